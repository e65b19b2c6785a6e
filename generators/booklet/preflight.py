"""Preflight: every check is computed from the produced press PDF and its laid-out pages.

Levels: FAIL stops ``lamplight booklet`` (non-zero exit), WARN is reported, OK passed.
Everything runs in-process, in one pass over the PDF (no external tools, no Ghostscript).

- 页数: page count of the PDF a multiple of 4 (saddle stitch) — FAIL otherwise.
- 页面框: TrimBox = trim size, BleedBox = trim + 3 mm, MediaBox ⊇ BleedBox
  (= BleedBox without crop marks); tolerance 0.1 pt — FAIL otherwise.
- 字体: every font of the PDF embedded (FontFile/2/3), no Type 3, and the faces are the
  booklet's script (SC for Simplified, TC for Traditional) — FAIL otherwise.
- 图片分辨率: effective ppi of each placed image: its pixels ÷ its placed size in inches,
  the size taken from the transformation matrix in force where the content stream draws
  it (``Do``), through forms and tiling patterns — FAIL under 150, WARN under 300.
- 颜色: untagged RGB images, RGB vector colour, RGB or rich-black text (from the content
  streams) — WARN (quick-print shops accept RGB; offset shops want CMYK and K-100 text);
  RGB photos tagged with the sRGB profile (``ICCBased``, PDF/X-4) are OK: the RIP converts
  them with the output intent.
- 透明: images with a soft mask or mask, and graphics states set (``gs``) with a soft
  mask or a constant alpha below 1 — FAIL (PDF/X-1a allows no transparency).
- 文字离裁切线: distance of every piece of printed text to the trim — FAIL under 3 mm or
  beyond the trim, WARN under 5 mm. Measured on the pages WeasyPrint laid out and drew
  the PDF from (``Press.texts``: each text box spans its advance width and the font's
  ascent + descent, the same boxes ``pdftotext -bbox`` reports for its words).
- 输出意图, PDF/X 标准, 陷印标记, RGB 图片 (X-1a), 图片插值, 总墨量: the PDF/X checks, see
  ``pdfxchecks`` (total ink computed here with Pillow from the photos' pixels).
- 缺字: every character printed on those pages (the characters of the PDF's text layer)
  against the cmap of the CJK faces — FAIL for any character the font cannot draw (it
  would print as a blank box); the items that contain it are named from a scan of their
  source text.
"""

from __future__ import annotations

import io
from collections import defaultdict

from pypdf import PdfReader

from ..cache import Store
from . import checks, fonts, pdfxchecks
from .layout import SAFE_FAIL_MM, SAFE_WARN_MM
from .pdfinspect import scan_pages
from .render import Press
from .report import Finding, Preflight, pages_label

__all__ = ["Finding", "Preflight", "run"]


def _check_safe_area(report: Preflight, press: Press) -> None:
    """文字离裁切线: the nearest text of every laid-out page."""
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


def _check_glyphs(report: Preflight, press: Press, script: str, store: Store | None) -> None:
    """缺字: printed characters the faces cannot draw, and the items they come from."""
    cover = fonts.coverage("hant" if script == "hant" else "hans", store)
    pages_of: dict[str, list[int]] = defaultdict(list)
    for number, page in enumerate(press.texts, start=1):
        for char in fonts.missing_chars(page.text, cover):
            pages_of[char].append(number)
    # The converted source text of each item names where a character comes from, even
    # when the page text cannot show it.
    items_of: dict[str, list[str]] = defaultdict(list)
    for label, text in press.item_texts.items():
        for char in fonts.missing_chars(text, cover):
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
            where.append(pages_label(pages_of[char]))
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
    store: Store | None = None,
) -> Preflight:
    """Check the press PDF (its bytes, or a reader already open on them).

    ``store`` keeps the fonts' character sets and the photos' ink coverage between runs
    (the booklet step's cache).
    """
    report = Preflight(slug, title)
    reader = pdf if isinstance(pdf, PdfReader) else PdfReader(io.BytesIO(pdf))
    checks.check_pages(report, reader)
    checks.check_boxes(report, reader, press)
    checks.check_fonts(report, reader, script)
    scan = scan_pages(reader)
    checks.check_images(report, scan, press)
    checks.check_colours(report, scan)
    profile = pdfxchecks.check_pdfx(report, reader, press.standard)
    images = pdfxchecks.image_objects(reader, scan)
    pdfxchecks.check_rgb_images(report, images, press.standard)
    pdfxchecks.check_interpolation(report, images)
    pdfxchecks.check_ink(report, images, profile, store)
    _check_safe_area(report, press)
    _check_glyphs(report, press, script, store)
    for note in notes:
        report.add("WARN", "内容", note)
    return report
