"""The checks of the PDF's structure and drawing: pages, boxes, fonts, images, colours."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from .layout import BLEED_MM, MIN_PPI_FAIL, MIN_PPI_WARN, MM
from .pdfinspect import Scan, embedded, fonts_of
from .render import Press
from .report import Preflight, pages_label

TOLERANCE_PT = 0.1
"""How far a page box may be off its size (pt)."""


def _box(value: Any) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = (float(v) for v in value)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def check_pages(report: Preflight, reader: PdfReader) -> None:
    """页数: a multiple of 4 (saddle stitch)."""
    n = len(reader.pages)
    if n % 4:
        report.add("FAIL", "页数", f"共 {n} 页，不是 4 的倍数，不能骑马钉")
    else:
        report.add("OK", "页数", f"共 {n} 页（4 的倍数，可骑马钉）")


def check_boxes(report: Preflight, reader: PdfReader, press: Press) -> None:
    """成品尺寸, 出血, 页面框: TrimBox, BleedBox and MediaBox of every page."""
    want_w, want_h = press.trim.width * MM, press.trim.height * MM
    bleed = BLEED_MM * MM
    bad_trim: list[int] = []
    bad_bleed: list[int] = []
    bad_media: list[int] = []
    for number, page in enumerate(reader.pages, start=1):
        if "/TrimBox" not in page or "/BleedBox" not in page:
            bad_trim.append(number)
            continue
        tx0, ty0, tx1, ty1 = _box(page["/TrimBox"])
        if abs((tx1 - tx0) - want_w) > TOLERANCE_PT or abs((ty1 - ty0) - want_h) > TOLERANCE_PT:
            bad_trim.append(number)
        bx0, by0, bx1, by1 = _box(page["/BleedBox"])
        if any(
            abs(a - b) > TOLERANCE_PT
            for a, b in (
                (bx0, tx0 - bleed),
                (by0, ty0 - bleed),
                (bx1, tx1 + bleed),
                (by1, ty1 + bleed),
            )
        ):
            bad_bleed.append(number)
        mx0, my0, mx1, my1 = _box(page.mediabox)
        inside = mx0 <= bx0 + TOLERANCE_PT and my0 <= by0 + TOLERANCE_PT
        inside = inside and mx1 >= bx1 - TOLERANCE_PT and my1 >= by1 - TOLERANCE_PT
        equal = max(abs(mx0 - bx0), abs(my0 - by0), abs(mx1 - bx1), abs(my1 - by1)) <= TOLERANCE_PT
        if not inside or (not press.marks and not equal):
            bad_media.append(number)
    size = f"{press.trim.width:g}×{press.trim.height:g} mm"
    if bad_trim:
        report.add("FAIL", "成品尺寸", f"{pages_label(bad_trim)}缺少 TrimBox 或尺寸不是 {size}")
    else:
        report.add("OK", "成品尺寸", f"每页 TrimBox 都是 {size}")
    if bad_bleed:
        report.add(
            "FAIL", "出血", f"{pages_label(bad_bleed)}的 BleedBox 不是四边各 {BLEED_MM:g} mm"
        )
    else:
        report.add("OK", "出血", f"每页 BleedBox 都是成品尺寸四边各加 {BLEED_MM:g} mm")
    if bad_media:
        report.add("FAIL", "页面框", f"{pages_label(bad_media)}的 MediaBox 与出血框不符")
    else:
        what = "含裁切标记，比出血框大" if press.marks else "等于出血框"
        report.add("OK", "页面框", f"每页 MediaBox {what}")


def check_fonts(report: Preflight, reader: PdfReader, script: str) -> list[str]:
    """字体: embedded, no Type 3, the script's faces; returns the font names."""
    found: dict[str, DictionaryObject] = {}
    seen: set[int] = set()
    for page in reader.pages:
        fonts_of(page.get("/Resources"), found, seen)
    type3 = [name for name, f in found.items() if f.get("/Subtype") == "/Type3"]
    not_embedded = [name for name, f in found.items() if name not in type3 and not embedded(f)]
    want = "SC" if script == "hans" else "TC"
    names = sorted({re.sub(r"^[A-Z]{6}\+", "", n.lstrip("/")) for n in found})
    wrong = [
        n
        for n in names
        if not re.search(rf"CJK[- ]?{want}\b", n.replace("-", " ") + " ")
        and not re.search(rf"CJK-{want}", n)
    ]
    if type3:
        report.add("FAIL", "字体", "有 Type 3 字体（印刷厂无法处理）：" + "、".join(type3))
    if not_embedded:
        report.add("FAIL", "字体", "有字体没有嵌入：" + "、".join(not_embedded))
    if wrong:
        report.add(
            "FAIL",
            "字体",
            f"用了不属于{'简体' if script == 'hans' else '繁体'}字形的字体（可能是缺字时的替补字体）："
            + "、".join(wrong),
        )
    if not (type3 or not_embedded or wrong):
        report.add(
            "OK", "字体", f"{len(found)} 个字体全部以子集嵌入，无 Type 3：" + "、".join(names)
        )
    return names


def check_images(report: Preflight, scan: Scan, press: Press) -> None:
    """图片分辨率, RGB photos and soft masks, from the images the content streams draw."""
    by_pixels = defaultdict(list)
    for placed in press.images:
        by_pixels[placed.pixels].append(placed.source)
    low: dict[tuple[tuple[int, int], int], list[int]] = defaultdict(list)
    rgb_pages: list[int] = []
    tagged_pages: list[int] = []
    smask_pages: list[int] = []
    count = 0
    lowest = 0.0
    for use in scan.images:
        if use.kind in {"smask", "mask"}:
            smask_pages.append(use.page)
            continue
        count += 1
        # The matrix is written with 6 decimals: a photo placed at exactly 300 ppi reads
        # back as 299.9999…, so compare at 0.1 ppi.
        ppi = round(min(use.x_ppi, use.y_ppi), 1)
        lowest = ppi if count == 1 else min(lowest, ppi)
        if use.colour in {"rgb", "index"}:
            rgb_pages.append(use.page)
        elif use.colour == "icc":  # RGB tagged with the sRGB profile (PDF/X-4)
            tagged_pages.append(use.page)
        if ppi < MIN_PPI_WARN:
            low[((use.width, use.height), round(ppi))].append(use.page)
    fails: list[str] = []
    warns: list[str] = []
    for (size, ppi), pages in sorted(low.items(), key=lambda kv: kv[1][0]):
        sources = by_pixels.get(size) or [press.page_items.get(p, "") for p in pages]
        line = (
            f"{pages_label(pages)}的图片（{'；'.join(dict.fromkeys(sources))}）"
            f"{size[0]}×{size[1]} 像素，实际 {ppi} ppi"
        )
        (fails if ppi < MIN_PPI_FAIL else warns).append(line)
    if fails:
        report.add(
            "FAIL",
            "图片分辨率",
            f"低于 {MIN_PPI_FAIL} ppi，印出来会模糊，请换更清楚的原图：" + "；".join(fails),
        )
    if warns:
        report.add(
            "WARN",
            "图片分辨率",
            f"低于 {MIN_PPI_WARN} ppi（可以印，但不够清楚）：" + "；".join(warns),
        )
    if not fails and not warns:
        detail = f"{count} 张图片，最低 {lowest:.0f} ppi" if count else "没有图片"
        report.add("OK", "图片分辨率", detail)
    if rgb_pages:
        report.add(
            "WARN",
            "颜色",
            f"{pages_label(rgb_pages)}有 RGB 照片；快印店可直接印，胶印厂会转成 CMYK，颜色可能略有变化",
        )
    if tagged_pages and not rgb_pages:
        report.add(
            "OK",
            "颜色",
            f"{pages_label(tagged_pages)}的照片是带 sRGB 配置文件的 RGB（PDF/X-4 允许），"
            "印刷厂按输出意图转 CMYK，不会乱转",
        )
    if smask_pages:
        report.add("FAIL", "透明", f"{pages_label(smask_pages)}的图片带透明通道（软蒙版）")


def check_colours(report: Preflight, scan: Scan) -> None:
    """颜色, 文字颜色, 透明: vector and text colours and transparency of the drawing."""
    rich = [
        c
        for c in scan.text_colours
        if c[0] == "/DeviceCMYK" and len(c[1]) == 4 and c[1][3] >= 0.9 and sum(c[1][:3]) > 0
    ]
    rgb_text = [c for c in scan.text_colours if c[0] == "/DeviceRGB"]
    if scan.rgb_ops:
        report.add("WARN", "颜色", f"有 {scan.rgb_ops} 处 RGB 矢量颜色（应为 CMYK）")
    if rgb_text:
        report.add("WARN", "文字颜色", "有文字用 RGB 颜色，黑色文字应为单色黑 K100")
    if rich:
        report.add("WARN", "文字颜色", "有文字用四色叠印黑（rich black），套印不准时会发虚")
    black = sum(
        n for c, n in scan.text_colours.items() if c == ("/DeviceCMYK", (0.0, 0.0, 0.0, 1.0))
    )
    total = sum(scan.text_colours.values())
    if not rgb_text and not rich:
        report.add(
            "OK",
            "文字颜色",
            f"黑色文字都是单色黑 K100（{black}/{total} 处文字为 K100，其余为封面反白或彩色标题）",
        )
    if not scan.rgb_ops:
        report.add("OK", "颜色", "矢量颜色全部为 CMYK")
    if scan.alpha_pages:
        report.add(
            "FAIL", "透明", f"{pages_label(scan.alpha_pages)}用了透明效果（不透明度小于 100%）"
        )
    else:
        report.add("OK", "透明", "没有透明效果")
