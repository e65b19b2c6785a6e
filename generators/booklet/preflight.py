"""Preflight: every check is computed from the produced press PDF, never from settings.

Levels: FAIL stops ``lamplight booklet`` (non-zero exit), WARN is reported, OK passed.

- 页数: page count a multiple of 4 (saddle stitch) — FAIL otherwise.
- 页面框: TrimBox = trim size, BleedBox = trim + 3 mm, MediaBox ⊇ BleedBox
  (= BleedBox without crop marks); tolerance 0.1 pt — FAIL otherwise.
- 字体: every font embedded (FontFile/2/3), no Type 3, and the faces are the booklet's
  script (SC for Simplified, TC for Traditional) — FAIL otherwise.
- 图片分辨率: effective ppi of each placed image (pixels ÷ placed inches, from
  ``pdfimages -list``, which applies the page's transformation matrix) — FAIL under 150,
  WARN under 300.
- 颜色: RGB images, RGB vector colour, RGB or rich-black text — WARN (quick-print shops
  accept RGB; offset shops want CMYK and K-100 text).
- 透明: soft masks or constant alpha below 1 — FAIL (PDF/X-1a allows no transparency).
- 文字离裁切线: distance of every word's box (``pdftotext -bbox``) to the TrimBox —
  FAIL under 3 mm or beyond the trim, WARN under 5 mm.
- 缺字: every character of the PDF's text (``pdftotext``) against the cmap of the CJK
  faces — FAIL for any character the font cannot draw (it would print as a blank box);
  the items that contain it are named from a scan of their source text.
"""

from __future__ import annotations

import io
import re
import subprocess
from collections import defaultdict
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject

from . import fonts
from .impose import _page_data
from .layout import (
    BLEED_MM,
    MIN_PPI_FAIL,
    MIN_PPI_WARN,
    MM,
    SAFE_FAIL_MM,
    SAFE_WARN_MM,
)
from .render import Press

TOLERANCE_PT = 0.1
LEVELS = ("FAIL", "WARN", "OK")


@dataclass
class Finding:
    level: str
    check: str
    detail: str


@dataclass
class Preflight:
    """The preflight report of one press PDF."""

    slug: str
    title: str
    findings: list[Finding] = field(default_factory=list)

    def add(self, level: str, check: str, detail: str) -> None:
        self.findings.append(Finding(level, check, detail))

    @property
    def failed(self) -> bool:
        return any(f.level == "FAIL" for f in self.findings)

    def count(self, level: str) -> int:
        return sum(f.level == level for f in self.findings)

    def text(self) -> str:
        head = "未通过" if self.failed else "通过"
        lines = [
            f"印前检查：{self.title}（{self.slug}）",
            f"结果：{head}（FAIL {self.count('FAIL')} 项，WARN {self.count('WARN')} 项，OK {self.count('OK')} 项）",
            "",
        ]
        for level in LEVELS:
            for f in self.findings:
                if f.level == level:
                    lines.append(f"{f.level:<4}  {f.check}：{f.detail}")
        return "\n".join(lines) + "\n"


def _pages_label(pages: list[int]) -> str:
    pages = sorted(set(pages))
    if len(pages) > 8:
        return "第 " + "、".join(map(str, pages[:8])) + f" 等 {len(pages)} 页"
    return "第 " + "、".join(map(str, pages)) + " 页"


def _box(value: Any) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = (float(v) for v in value)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _resolve(obj: Any) -> Any:
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


# ---------------------------------------------------------------------- checks


def _check_pages(report: Preflight, reader: PdfReader) -> None:
    n = len(reader.pages)
    if n % 4:
        report.add("FAIL", "页数", f"共 {n} 页，不是 4 的倍数，不能骑马钉")
    else:
        report.add("OK", "页数", f"共 {n} 页（4 的倍数，可骑马钉）")


def _check_boxes(report: Preflight, reader: PdfReader, press: Press) -> None:
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
        report.add("FAIL", "成品尺寸", f"{_pages_label(bad_trim)}缺少 TrimBox 或尺寸不是 {size}")
    else:
        report.add("OK", "成品尺寸", f"每页 TrimBox 都是 {size}")
    if bad_bleed:
        report.add(
            "FAIL", "出血", f"{_pages_label(bad_bleed)}的 BleedBox 不是四边各 {BLEED_MM:g} mm"
        )
    else:
        report.add("OK", "出血", f"每页 BleedBox 都是成品尺寸四边各加 {BLEED_MM:g} mm")
    if bad_media:
        report.add("FAIL", "页面框", f"{_pages_label(bad_media)}的 MediaBox 与出血框不符")
    else:
        what = "含裁切标记，比出血框大" if press.marks else "等于出血框"
        report.add("OK", "页面框", f"每页 MediaBox {what}")


def _fonts_of(resources: Any, found: dict[str, DictionaryObject], seen: set[int]) -> None:
    resources = _resolve(resources)
    if not isinstance(resources, DictionaryObject):
        return
    for font in (_resolve(resources.get("/Font")) or {}).values():
        font = _resolve(font)
        found.setdefault(str(font.get("/BaseFont", "?")), font)
    for xobject in (_resolve(resources.get("/XObject")) or {}).values():
        ref = xobject.idnum if isinstance(xobject, IndirectObject) else id(xobject)
        xobject = _resolve(xobject)
        if ref in seen or xobject.get("/Subtype") != "/Form":
            continue
        seen.add(ref)
        _fonts_of(xobject.get("/Resources"), found, seen)


def _embedded(font: DictionaryObject) -> bool:
    if font.get("/Subtype") == "/Type0":
        descendants = _resolve(font.get("/DescendantFonts")) or []
        return all(_embedded(_resolve(d)) for d in descendants) and bool(descendants)
    descriptor = _resolve(font.get("/FontDescriptor"))
    if not isinstance(descriptor, DictionaryObject):
        return False
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def _check_fonts(report: Preflight, reader: PdfReader, script: str) -> list[str]:
    found: dict[str, DictionaryObject] = {}
    seen: set[int] = set()
    for page in reader.pages:
        _fonts_of(page.get("/Resources"), found, seen)
    type3 = [name for name, f in found.items() if f.get("/Subtype") == "/Type3"]
    not_embedded = [name for name, f in found.items() if name not in type3 and not _embedded(f)]
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


def _pdfimages(path: Path) -> list[dict[str, str]]:
    result = subprocess.run(
        ["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True
    )
    lines = result.stdout.splitlines()
    header = lines[0].split()
    rows = []
    for line in lines[2:]:
        cells = line.split()
        if len(cells) >= len(header):
            rows.append(dict(zip(header, cells, strict=False)))
    return rows


def _check_images(report: Preflight, path: Path, press: Press) -> None:
    rows = _pdfimages(path)
    by_pixels = defaultdict(list)
    for placed in press.images:
        by_pixels[placed.pixels].append(placed.source)
    low: dict[tuple[tuple[int, int], int], list[int]] = defaultdict(list)
    rgb_pages: list[int] = []
    smask_pages: list[int] = []
    count = 0
    lowest = 0.0
    for row in rows:
        page = int(row["page"])
        if row["type"] in {"smask", "mask"}:
            smask_pages.append(page)
            continue
        count += 1
        ppi = min(float(row["x-ppi"]), float(row["y-ppi"]))
        lowest = ppi if count == 1 else min(lowest, ppi)
        if row["color"] in {"rgb", "index", "icc"}:
            rgb_pages.append(page)
        if ppi < MIN_PPI_WARN:
            low[((int(row["width"]), int(row["height"])), round(ppi))].append(page)
    fails: list[str] = []
    warns: list[str] = []
    for (size, ppi), pages in sorted(low.items(), key=lambda kv: kv[1][0]):
        sources = by_pixels.get(size) or [press.page_items.get(p, "") for p in pages]
        line = (
            f"{_pages_label(pages)}的图片（{'；'.join(dict.fromkeys(sources))}）"
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
            f"{_pages_label(rgb_pages)}有 RGB 照片；快印店可直接印，胶印厂会转成 CMYK，颜色可能略有变化",
        )
    if smask_pages:
        report.add("FAIL", "透明", f"{_pages_label(smask_pages)}的图片带透明通道（软蒙版）")


_OP_RE = re.compile(rb"(?:^|\s)(q|Q|Tj|TJ|'|\"|rg|RG|k|K|g|G|sc|scn|SC|SCN|cs|CS|gs)\s*$")


def _scan_stream(data: bytes, state: dict[str, Any]) -> None:
    """Line-based scan of a WeasyPrint/pypdf content stream for colours used."""
    stack: list[tuple[str, tuple[float, ...]]] = []
    space = "/DeviceGray"
    fill: tuple[float, ...] = (0.0,)
    for raw in data.splitlines():
        line = raw.strip()
        match = _OP_RE.search(line)
        if not match:
            continue
        op = match.group(1).decode()
        args = line[: match.start(1)].split()
        if op == "q":
            stack.append((space, fill))
        elif op == "Q" and stack:
            space, fill = stack.pop()
        elif op == "cs":
            space = args[-1].decode() if args else space
        elif op in {"rg", "RG"}:
            state["rgb_ops"] += 1
            if op == "rg":
                space, fill = "/DeviceRGB", tuple(float(a) for a in args[-3:])
        elif op == "k":
            space, fill = "/DeviceCMYK", tuple(float(a) for a in args[-4:])
        elif op == "g":
            space, fill = "/DeviceGray", tuple(float(a) for a in args[-1:])
        elif op in {"sc", "scn"}:
            try:
                fill = tuple(float(a) for a in args)
            except ValueError:
                fill = ()
            if space == "/DeviceRGB":
                state["rgb_ops"] += 1
        elif op in {"SC", "SCN"}:
            pass
        elif op in {"Tj", "TJ", "'", '"'}:
            state["text_colours"][(space, fill)] += 1


def _check_colours(report: Preflight, reader: PdfReader) -> None:
    state: dict[str, Any] = {"rgb_ops": 0, "text_colours": defaultdict(int)}
    alpha: list[int] = []
    for number, page in enumerate(reader.pages, start=1):
        _scan_stream(_page_data(page), state)
        resources = _resolve(page.get("/Resources")) or {}
        for gs in (_resolve(resources.get("/ExtGState")) or {}).values():
            gs = _resolve(gs)
            for key in ("/CA", "/ca"):
                if key in gs and float(gs[key]) < 1:
                    alpha.append(number)
            if "/SMask" in gs and gs["/SMask"] != "/None":
                alpha.append(number)
        for xobject in (_resolve(resources.get("/XObject")) or {}).values():
            xobject = _resolve(xobject)
            if xobject.get("/Subtype") == "/Form":
                _scan_stream(xobject.get_data(), state)
    rich = [
        c
        for c in state["text_colours"]
        if c[0] == "/DeviceCMYK" and len(c[1]) == 4 and c[1][3] >= 0.9 and sum(c[1][:3]) > 0
    ]
    rgb_text = [c for c in state["text_colours"] if c[0] == "/DeviceRGB"]
    if state["rgb_ops"]:
        report.add("WARN", "颜色", f"有 {state['rgb_ops']} 处 RGB 矢量颜色（应为 CMYK）")
    if rgb_text:
        report.add("WARN", "文字颜色", "有文字用 RGB 颜色，黑色文字应为单色黑 K100")
    if rich:
        report.add("WARN", "文字颜色", "有文字用四色叠印黑（rich black），套印不准时会发虚")
    black = sum(
        n for c, n in state["text_colours"].items() if c == ("/DeviceCMYK", (0.0, 0.0, 0.0, 1.0))
    )
    total = sum(state["text_colours"].values())
    if not rgb_text and not rich:
        report.add(
            "OK",
            "文字颜色",
            f"黑色文字都是单色黑 K100（{black}/{total} 处文字为 K100，其余为封面反白或彩色标题）",
        )
    if not state["rgb_ops"]:
        report.add("OK", "颜色", "矢量颜色全部为 CMYK")
    if alpha:
        report.add("FAIL", "透明", f"{_pages_label(alpha)}用了透明效果（不透明度小于 100%）")
    else:
        report.add("OK", "透明", "没有透明效果")


_WORD_RE = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)


def _check_safe_area(report: Preflight, path: Path, reader: PdfReader, press: Press) -> None:
    result = subprocess.run(
        ["pdftotext", "-bbox", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    fails: dict[int, float] = {}
    warns: dict[int, float] = {}
    chunks = result.stdout.split("<page ")[1:]
    for number, (chunk, page) in enumerate(zip(chunks, reader.pages, strict=False), start=1):
        # pdftotext measures from the top-left corner of the CropBox (= MediaBox here).
        cx0, _, _, cy1 = _box(page.cropbox)
        tx0, ty0, tx1, ty1 = _box(page["/TrimBox"]) if "/TrimBox" in page else _box(page.mediabox)
        left, right = tx0 - cx0, tx1 - cx0
        top, bottom = cy1 - ty1, cy1 - ty0
        nearest = None
        for m in _WORD_RE.finditer(chunk):
            if not unescape(m.group(5)).strip():
                continue
            x0, y0, x1, y1 = (float(m.group(i)) for i in range(1, 5))
            gap = min(x0 - left, right - x1, y0 - top, bottom - y1) / MM
            nearest = gap if nearest is None else min(nearest, gap)
        if nearest is None:
            continue
        if nearest < SAFE_FAIL_MM:
            fails[number] = nearest
        elif nearest < SAFE_WARN_MM:
            warns[number] = nearest

    def describe(pages: dict[int, float]) -> str:
        return "；".join(
            f"第 {p} 页（{press.page_items.get(p, '')}）{gap:.1f} mm"
            for p, gap in sorted(pages.items())
        )

    if fails:
        report.add(
            "FAIL",
            "文字离裁切线",
            f"文字离裁切线不到 {SAFE_FAIL_MM:g} mm，会被裁掉：{describe(fails)}",
        )
    if warns:
        report.add(
            "WARN", "文字离裁切线", f"文字离裁切线不到 {SAFE_WARN_MM:g} mm：{describe(warns)}"
        )
    if not fails and not warns:
        report.add("OK", "文字离裁切线", f"所有文字离裁切线至少 {SAFE_WARN_MM:g} mm")


def _check_glyphs(report: Preflight, path: Path, press: Press, script: str) -> None:
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    )
    pages_of: dict[str, list[int]] = defaultdict(list)
    for number, text in enumerate(result.stdout.split("\f"), start=1):
        for char in fonts.missing_chars(text, "hant" if script == "hant" else "hans"):
            pages_of[char].append(number)
    # The converted source text of each item names where a character comes from, even
    # when the PDF text layer cannot show it.
    items_of: dict[str, list[str]] = defaultdict(list)
    for label, text in press.item_texts.items():
        for char in fonts.missing_chars(text, "hant" if script == "hant" else "hans"):
            items_of[char].append(label)
    chars = list(dict.fromkeys([*pages_of, *items_of]))
    if not chars:
        report.add("OK", "缺字", "所有文字都能用所选字体印出（逐字对照字体字符表）")
        return
    for char in chars:
        where = []
        if items_of.get(char):
            where.append("出现在" + "、".join(items_of[char]))
        if pages_of.get(char):
            where.append(_pages_label(pages_of[char]))
        report.add(
            "FAIL",
            "缺字",
            f"字符 {fonts.describe(char)} 字体里没有，会印成空白方块（{'，'.join(where)}）；"
            "请改用常用字，或用文字说明代替",
        )


def run(
    path: Path, press: Press, *, slug: str, title: str, script: str, notes: list[str]
) -> Preflight:
    """Check the press PDF at ``path``."""
    report = Preflight(slug, title)
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    _check_pages(report, reader)
    _check_boxes(report, reader, press)
    _check_fonts(report, reader, script)
    _check_images(report, path, press)
    _check_colours(report, reader)
    _check_safe_area(report, path, reader, press)
    _check_glyphs(report, path, press, script)
    for note in notes:
        report.add("WARN", "内容", note)
    return report
