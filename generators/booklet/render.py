"""The press PDF WeasyPrint makes from a booklet's HTML, and what rendering learnt about it."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..content import Catalogue
from ..models import Booklet
from .context import Context, build_context
from .images import PlacedImage
from .layout import TRIMS, Trim
from .marks import add_crop_marks
from .pdfx import STANDARDS, Profile, Standard, mark, press_profile
from .reuse import booklet_version
from .select import Selection
from .templates import environment

IMAGE_BASE = "https://booklet.invalid/"
"""Base URL of the cleaned images: stable, so image ids (hashes of URLs) are reproducible."""

_PX_MM = 25.4 / 96
"""Millimetres per CSS pixel (WeasyPrint lays pages out in CSS pixels)."""

_FIXED_LABELS = {
    "contact": "咨询服务页",
    "colophon": "版权页",
    "toc": "目录",
    "inside-cover": "封二",
}
"""Anchors of the fixed pages → their names in messages."""


def _fetcher(workdir: Path) -> Any:
    """Serve only the cleaned images in ``workdir``; nothing is fetched from elsewhere."""

    def read(url: str) -> bytes:
        name = url.removeprefix(IMAGE_BASE)
        if not url.startswith(IMAGE_BASE) or "/" in name or not (workdir / name).is_file():
            raise ValueError(f"resource not allowed in booklets: {url}")
        return (workdir / name).read_bytes()

    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class Fetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            return URLFetcherResponse(url, body=read(url), headers={"Content-Type": "image/jpeg"})

    return Fetcher(fail_on_errors=True)


class _GlyphLog(logging.Handler):
    """Collects WeasyPrint warnings (missing glyphs, unknown CSS) while rendering."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@dataclass(frozen=True)
class PageText:
    """What one laid-out page prints as text."""

    text: str
    """Every character of the page's text boxes (running heads and folios included)."""
    nearest_mm: float | None
    """Distance of the text box closest to the trim, in mm (negative beyond it)."""


def page_text(page: Any) -> PageText:
    """The text a laid-out WeasyPrint page draws, and how close it comes to the trim.

    Walks every box of the page (margin boxes and positioned boxes included) and keeps the
    text boxes that are drawn (``visibility: visible``); a text box spans its advance
    width and the font's ascent + descent, like the word boxes of ``pdftotext -bbox``.
    Coordinates are relative to the page box, which is the trim (the bleed lies outside).
    Text inside SVG images is not seen here (the booklet templates draw none).
    """
    from weasyprint.formatting_structure.boxes import TextBox

    width, height = page.width, page.height
    parts: list[str] = []
    nearest: float | None = None
    for box in page._page_box.descendants(placeholders=True):
        if not isinstance(box, TextBox) or box.style["visibility"] != "visible":
            continue
        parts.append(box.text)
        if not box.text.strip():
            continue
        x0, y0 = box.content_box_x(), box.content_box_y()
        gap = min(x0, y0, width - (x0 + box.width), height - (y0 + box.height))
        nearest = gap if nearest is None else min(nearest, gap)
    return PageText("\n".join(parts), None if nearest is None else nearest * _PX_MM)


@dataclass
class Press:
    """The press PDF and what rendering learnt about it."""

    pdf: bytes
    """The press PDF itself."""
    pages: int
    """Its page count (a multiple of 4)."""
    notes_pages: int
    """How many notes pages pad it to a multiple of 4."""
    page_items: dict[int, str]
    """1-based page → label of the item printed there (for messages)."""
    images: list[PlacedImage]
    """Every image placed, in order."""
    item_texts: dict[str, str]
    """Label of each item → all its printed text."""
    weasy_warnings: list[str]
    """WeasyPrint's warnings while rendering."""
    trim: Trim
    """The finished page size."""
    marks: bool
    """Whether crop marks were drawn."""
    html: str
    """The converted HTML the pages were rendered from."""
    texts: list[PageText] = field(default_factory=list)
    """The printed text of each page, in page order (for preflight)."""
    standard: Standard = STANDARDS["4"]
    """The PDF/X standard the press PDF follows."""
    profile: Profile | None = None
    """Its CMYK output profile."""


def notes_pages(count: int) -> int:
    """How many notes pages fill ``count`` pages up to a multiple of 4 (saddle stitch)."""
    return (-count) % 4


def _convert(cat: Catalogue, html: str, script: str) -> str:
    return cat.converter.convert(html, "hant" if script == "hant" else "hans")


def _render_notes(
    cat: Catalogue, booklet: Booklet, ctx: Context, first: int, pad: int, fetcher: Any, fonts: Any
) -> list[Any]:
    """The ``pad`` notes pages (folios from ``first``) that fill the booklet to a multiple of 4."""
    from weasyprint import HTML

    trim = TRIMS[booklet.trim]
    lines = int(
        (trim.height - trim.margin_top - trim.margin_bottom - 20) / ctx.values["note_line_mm"]
    )
    html = (
        environment()
        .get_template("notes.html")
        .render(**ctx.values, folios=list(range(first, first + pad)), note_lines=lines)
    )
    notes = HTML(
        string=_convert(cat, html, booklet.script), base_url=IMAGE_BASE, url_fetcher=fetcher
    ).render(font_config=fonts)
    return list(notes.pages)


def _resolve_page_items(
    selection: Selection, pages: list[Any], count: int, pad: int
) -> dict[int, str]:
    """1-based page → the label of what it prints (from the anchors each page carries)."""
    labels = {f"showcase-{s.id}": f"典型案例“{s.title}”" for s in selection.showcases}
    labels.update({f"skill-{k.id}": f"技能教程“{k.title}”" for k in selection.skills})
    labels.update(_FIXED_LABELS)
    page_items: dict[int, str] = {}
    current = "封面"
    for number, page in enumerate(pages, start=1):
        for anchor in page.anchors:
            if anchor in labels:
                current = labels[anchor]
        page_items[number] = current
    page_items[len(pages)] = "封底"
    for number in range(count, count + pad):
        page_items[number] = "笔记页"
    return page_items


def render_press(
    cat: Catalogue,
    root: Path,
    booklet: Booklet,
    selection: Selection,
    workdir: Path,
    *,
    marks: bool = False,
    base_url: str | None = None,
    pdf_x: str = "4",
    content_version: str | None = None,
) -> Press:
    """Render the press PDF: bleed, notes pages up to a multiple of 4, optional crop marks.

    ``base_url`` (the site's address, for links and QR codes) defaults to mkdocs.yml's.
    ``pdf_x`` names the PDF/X standard (``4`` or ``1a``, see ``pdfx.STANDARDS``).
    ``content_version`` (printed, and part of the PDF identifier) defaults to the digest
    of the booklet's own content (``reuse.booklet_version``).
    """
    version = content_version or booklet_version(cat, root, booklet, selection)
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    standard = STANDARDS[pdf_x]
    profile = press_profile()
    ctx = build_context(
        cat,
        root,
        booklet,
        selection,
        workdir,
        base_url=base_url,
        cmyk=profile if standard.cmyk_photos else None,
        content_version=version,
    )
    html = environment().get_template("booklet.html").render(**ctx.values)
    html = _convert(cat, html, booklet.script)
    font_config = FontConfiguration()
    handler = _GlyphLog()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        fetcher = _fetcher(workdir)
        doc = HTML(string=html, base_url=IMAGE_BASE, url_fetcher=fetcher).render(
            font_config=font_config
        )
        count = len(doc.pages)
        pad = notes_pages(count)
        pages = list(doc.pages)
        if pad:
            notes = _render_notes(cat, booklet, ctx, count, pad, fetcher, font_config)
            pages = pages[:-1] + notes + pages[-1:]
        identifier = f"lamplight-{booklet.id}-{version}".encode()
        pdf = doc.copy(pages).write_pdf(pdf_identifier=identifier, pdf_variant=standard.variant)
    finally:
        logger.removeHandler(handler)
    assert pdf is not None
    if marks:
        pdf = add_crop_marks(pdf)
    pdf = mark(pdf, standard, profile)
    return Press(
        pdf=pdf,
        pages=len(pages),
        notes_pages=pad,
        page_items=_resolve_page_items(selection, pages, count, pad),
        images=ctx.images,
        item_texts=ctx.item_texts,
        weasy_warnings=handler.messages,
        trim=TRIMS[booklet.trim],
        marks=marks,
        html=html,
        texts=[page_text(page) for page in pages],
        standard=standard,
        profile=profile,
    )
