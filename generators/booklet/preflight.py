"""Preflight: every check is computed from the produced press PDF and its laid-out pages.

Levels: FAIL stops ``lamplight booklet`` (non-zero exit), WARN is reported, OK passed.
Everything runs in-process, in one pass over the PDF (no external tools).

- 页数: page count of the PDF a multiple of 4 (saddle stitch) — FAIL otherwise.
- 页面框: TrimBox = trim size, BleedBox = trim + 3 mm, MediaBox ⊇ BleedBox
  (= BleedBox without crop marks); tolerance 0.1 pt — FAIL otherwise.
- 字体: every font of the PDF embedded (FontFile/2/3), no Type 3, and the faces are the
  booklet's script (SC for Simplified, TC for Traditional) — FAIL otherwise.
- 图片分辨率: effective ppi of each placed image: its pixels ÷ its placed size in inches,
  the size taken from the transformation matrix in force where the content stream draws
  it (``Do``), through forms and tiling patterns — FAIL under 150, WARN under 300.
- 颜色: RGB images, RGB vector colour, RGB or rich-black text (from the content streams)
  — WARN (quick-print shops accept RGB; offset shops want CMYK and K-100 text).
- 透明: images with a soft mask or mask, and graphics states set (``gs``) with a soft
  mask or a constant alpha below 1 — FAIL (PDF/X-1a allows no transparency).
- 文字离裁切线: distance of every piece of printed text to the trim — FAIL under 3 mm or
  beyond the trim, WARN under 5 mm. Measured on the pages WeasyPrint laid out and drew
  the PDF from (``Press.texts``: each text box spans its advance width and the font's
  ascent + descent, the same boxes ``pdftotext -bbox`` reports for its words).
- 缺字: every character printed on those pages (the characters of the PDF's text layer)
  against the cmap of the CJK faces — FAIL for any character the font cannot draw (it
  would print as a blank box); the items that contain it are named from a scan of their
  source text.
"""

from __future__ import annotations

import io
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject, StreamObject

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


# ---------------------------------------------------------------------- content streams

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)

_OP_RE = re.compile(rb"(?:^|\s)(q|Q|cm|Do|Tj|TJ|'|\"|rg|RG|k|K|g|G|sc|scn|SC|SCN|cs|CS|gs)\s*$")


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    """``m`` then ``n`` (PDF order: ``m cm`` on a CTM ``n`` gives ``m × n``)."""
    a, b, c, d, e, f = m
    na, nb, nc, nd, ne, nf = n
    return (
        a * na + b * nc,
        a * nb + b * nd,
        c * na + d * nc,
        c * nb + d * nd,
        e * na + f * nc + ne,
        e * nb + f * nd + nf,
    )


def _matrix(value: Any) -> Matrix:
    value = _resolve(value)
    if value is None:
        return IDENTITY
    numbers = tuple(float(v) for v in value)
    return numbers if len(numbers) == 6 else IDENTITY  # type: ignore[return-value]


@dataclass
class ImageUse:
    """One placement of an image XObject, as ``pdfimages -list`` would list it."""

    page: int
    kind: str
    """``image``, ``stencil``, ``smask`` or ``mask``."""
    width: int
    height: int
    colour: str
    """``rgb``, ``gray``, ``cmyk``, ``icc``, ``index``, … (``-`` for masks)."""
    x_ppi: float
    y_ppi: float


@dataclass
class Scan:
    """What one pass over every content stream (pages and the forms they draw) found."""

    rgb_ops: int = 0
    text_colours: dict[tuple[str, tuple[float, ...]], int] = field(
        default_factory=lambda: defaultdict(int)
    )
    images: list[ImageUse] = field(default_factory=list)
    alpha_pages: list[int] = field(default_factory=list)


_COLOUR_NAMES = {
    "/DeviceRGB": "rgb",
    "/RGB": "rgb",
    "/CalRGB": "rgb",
    "/DeviceGray": "gray",
    "/G": "gray",
    "/CalGray": "gray",
    "/DeviceCMYK": "cmyk",
    "/CMYK": "cmyk",
    "/ICCBased": "icc",
    "/Indexed": "index",
    "/I": "index",
    "/Lab": "lab",
    "/Separation": "sep",
    "/DeviceN": "devn",
}


def _colour_kind(space: Any, resources: Any) -> str:
    """The colour-space column of ``pdfimages -list`` for an image's /ColorSpace."""
    space = _resolve(space)
    if isinstance(space, list) and space:
        space = _resolve(space[0])
    name = str(space)
    if name in _COLOUR_NAMES:
        return _COLOUR_NAMES[name]
    named = _resolve((_resolve(resources) or {}).get("/ColorSpace")) or {}
    if name in named:
        return _colour_kind(named[name], {})
    return "?"


def _image_uses(page: int, image: Any, ctm: Matrix, resources: Any) -> list[ImageUse]:
    width, height = int(image.get("/Width", 0)), int(image.get("/Height", 0))
    # The CTM maps the unit square onto the page: its column lengths are the placed size.
    placed_w = math.hypot(ctm[0], ctm[1]) / 72
    placed_h = math.hypot(ctm[2], ctm[3]) / 72
    if placed_w <= 0 or placed_h <= 0:
        return []
    stencil = bool(image.get("/ImageMask", False))
    uses = [
        ImageUse(
            page,
            "stencil" if stencil else "image",
            width,
            height,
            "-" if stencil else _colour_kind(image.get("/ColorSpace"), resources),
            width / placed_w,
            height / placed_h,
        )
    ]
    for key, kind in (("/SMask", "smask"), ("/Mask", "mask")):
        mask = _resolve(image.get(key))
        if isinstance(mask, StreamObject):
            w, h = int(mask.get("/Width", 0)), int(mask.get("/Height", 0))
            uses.append(ImageUse(page, kind, w, h, "-", w / placed_w, h / placed_h))
    return uses


def _scan_stream(
    data: bytes,
    resources: Any,
    ctm: Matrix,
    page: int,
    scan: Scan,
    active: frozenset[int] = frozenset(),
) -> None:
    """Line-based scan of a WeasyPrint/pypdf content stream.

    Tracks the graphics state (q/Q, cm, colour space and fill colour) and records the
    colours used (text colour per text-showing operator, RGB operators) and every image
    drawn, with the transformation it is drawn with, and graphics states that bring
    transparency. Forms and tiling patterns it uses are scanned in turn with their own
    matrices.
    """
    resources = _resolve(resources) or DictionaryObject()
    xobjects = _resolve(resources.get("/XObject")) or {}
    patterns = _resolve(resources.get("/Pattern")) or {}
    states = _resolve(resources.get("/ExtGState")) or {}
    stack: list[tuple[str, tuple[float, ...], Matrix]] = []
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
            stack.append((space, fill, ctm))
        elif op == "Q" and stack:
            space, fill, ctm = stack.pop()
        elif op == "cm":
            try:
                ctm = _multiply(_matrix(args[-6:]), ctm)
            except ValueError:
                pass
        elif op == "Do" and args:
            name = args[-1].decode()
            ref = xobjects.get(name)
            xobject = _resolve(ref)
            if not isinstance(xobject, StreamObject):
                continue
            subtype = xobject.get("/Subtype")
            if subtype == "/Image":
                scan.images += _image_uses(page, xobject, ctm, resources)
            elif subtype == "/Form":
                ident = ref.idnum if isinstance(ref, IndirectObject) else id(xobject)
                if ident not in active:  # a form drawing itself would never end
                    _scan_stream(
                        xobject.get_data(),
                        xobject.get("/Resources") or resources,
                        _multiply(_matrix(xobject.get("/Matrix")), ctm),
                        page,
                        scan,
                        active | {ident},
                    )
        elif op == "cs":
            space = args[-1].decode() if args else space
        elif op in {"rg", "RG"}:
            scan.rgb_ops += 1
            if op == "rg":
                space, fill = "/DeviceRGB", tuple(float(a) for a in args[-3:])
        elif op == "k":
            space, fill = "/DeviceCMYK", tuple(float(a) for a in args[-4:])
        elif op == "g":
            space, fill = "/DeviceGray", tuple(float(a) for a in args[-1:])
        elif op in {"sc", "scn", "SC", "SCN"}:
            if args and args[-1].startswith(b"/"):  # a pattern: scan what it draws
                ref = patterns.get(args[-1].decode())
                pattern = _resolve(ref)
                ident = ref.idnum if isinstance(ref, IndirectObject) else id(pattern)
                if (
                    isinstance(pattern, StreamObject)
                    and pattern.get("/PatternType") == 1
                    and ident not in active
                ):
                    _scan_stream(
                        pattern.get_data(),
                        pattern.get("/Resources") or resources,
                        _matrix(pattern.get("/Matrix")),
                        page,
                        scan,
                        active | {ident},
                    )
            elif op in {"sc", "scn"}:
                try:
                    fill = tuple(float(a) for a in args)
                except ValueError:
                    fill = ()
                if space == "/DeviceRGB":
                    scan.rgb_ops += 1
        elif op in {"Tj", "TJ", "'", '"'}:
            scan.text_colours[(space, fill)] += 1
        elif op == "gs" and args:
            if _alpha(_resolve(states.get(args[-1].decode()))):
                scan.alpha_pages.append(page)


def _alpha(state: Any) -> bool:
    """True when a graphics state sets a constant alpha below 1 or a soft mask."""
    if not isinstance(state, DictionaryObject):
        return False
    for key in ("/CA", "/ca"):
        if key in state and float(state[key]) < 1:  # type: ignore[arg-type]
            return True
    return "/SMask" in state and state["/SMask"] != "/None"


def _scan_pages(reader: PdfReader) -> Scan:
    scan = Scan()
    for number, page in enumerate(reader.pages, start=1):
        _scan_stream(_page_data(page), page.get("/Resources"), IDENTITY, number, scan)
    return scan


# ---------------------------------------------------------------------- checks (continued)


def _check_images(report: Preflight, scan: Scan, press: Press) -> None:
    by_pixels = defaultdict(list)
    for placed in press.images:
        by_pixels[placed.pixels].append(placed.source)
    low: dict[tuple[tuple[int, int], int], list[int]] = defaultdict(list)
    rgb_pages: list[int] = []
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
        if use.colour in {"rgb", "index", "icc"}:
            rgb_pages.append(use.page)
        if ppi < MIN_PPI_WARN:
            low[((use.width, use.height), round(ppi))].append(use.page)
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


def _check_colours(report: Preflight, scan: Scan) -> None:
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
            "FAIL", "透明", f"{_pages_label(scan.alpha_pages)}用了透明效果（不透明度小于 100%）"
        )
    else:
        report.add("OK", "透明", "没有透明效果")


def _check_safe_area(report: Preflight, press: Press) -> None:
    fails: dict[int, float] = {}
    warns: dict[int, float] = {}
    for number, page in enumerate(press.texts, start=1):
        nearest = page.nearest_mm
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


def _check_glyphs(report: Preflight, press: Press, script: str, cache_dir: Path | None) -> None:
    script = "hant" if script == "hant" else "hans"
    cover = fonts.coverage(script, cache_dir)  # type: ignore[arg-type]
    pages_of: dict[str, list[int]] = defaultdict(list)
    for number, page in enumerate(press.texts, start=1):
        for char in fonts.missing_chars(page.text, script, cover):  # type: ignore[arg-type]
            pages_of[char].append(number)
    # The converted source text of each item names where a character comes from, even
    # when the page text cannot show it.
    items_of: dict[str, list[str]] = defaultdict(list)
    for label, text in press.item_texts.items():
        for char in fonts.missing_chars(text, script, cover):  # type: ignore[arg-type]
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
    pdf: bytes | PdfReader,
    press: Press,
    *,
    slug: str,
    title: str,
    script: str,
    notes: list[str],
    cache_dir: Path | None = None,
) -> Preflight:
    """Check the press PDF (its bytes, or a reader already open on them)."""
    report = Preflight(slug, title)
    reader = pdf if isinstance(pdf, PdfReader) else PdfReader(io.BytesIO(pdf))
    _check_pages(report, reader)
    _check_boxes(report, reader, press)
    _check_fonts(report, reader, script)
    scan = _scan_pages(reader)
    _check_images(report, scan, press)
    _check_colours(report, scan)
    _check_safe_area(report, press)
    _check_glyphs(report, press, script, cache_dir)
    for note in notes:
        report.add("WARN", "内容", note)
    return report
