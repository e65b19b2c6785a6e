"""HTML for one booklet, and the press PDF WeasyPrint makes from it.

The templates are written in Simplified Chinese; the whole rendered HTML then goes through
``cat.converter`` into the booklet's script, so every word (labels, cover, TOC, colophon and
the content) ends up in one script while protected terms stay as written.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import logging
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from pydantic import BaseModel

from .. import qr
from ..content import Catalogue
from ..markup import render_markdown
from ..models import Booklet, Elder
from . import cache, fonts
from .images import PlacedImage, prepare
from .layout import BLEED_MM, FONT_SIZES, MARKS_MM, MM, TRIMS, Trim
from .select import Selection

DEFAULT_SITE_URL = "https://lamplight.example.org/"

EDITION_LABELS = {"standard": "普通版", "large_print": "大字版"}
SCRIPT_LABELS = {"hans": "简体字", "hant": "繁体字"}


# ---------------------------------------------------------------------- environment


@functools.cache
def environment() -> jinja2.Environment:
    """The one Jinja2 environment for booklet templates (package data)."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("generators", "templates/booklet"),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


# ---------------------------------------------------------------------- helpers


def site_url(root: Path) -> str:
    """``site_url`` from mkdocs.yml when present, else the placeholder domain (ends in /)."""
    config = root / "mkdocs.yml"
    url = DEFAULT_SITE_URL
    if config.is_file():
        match = re.search(r"^site_url:\s*['\"]?([^'\"\s#]+)", config.read_text("utf-8"), re.M)
        if match:
            url = match.group(1)
    return url if url.endswith("/") else url + "/"


_BLACK = "device-cmyk(0 0 0 1)"
_WHITE = "device-cmyk(0 0 0 0)"


def qr_svg(url: str) -> str:
    """QR code as inline SVG in pure black (K 100) on white paper, never RGB."""
    return qr.qr_svg(url, dark=_BLACK, light=_WHITE)


def _hex_to_cmyk(colour: str) -> str:
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    k = 1 - max(r, g, b)
    if k >= 1:
        return "device-cmyk(0 0 0 1)"
    c, m, y = ((1 - v - k) / (1 - k) for v in (r, g, b))
    return f"device-cmyk({c:.3f} {m:.3f} {y:.3f} {k:.3f})"


def _money(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _number(value: float) -> str:
    return f"{value:g}"


def _render_markdown(text: str) -> str:
    html = render_markdown(text)
    # Demote headings by one level (the item title is the h2 of the booklet) and drop
    # images: photos come from the YAML, cleaned and placed by images.prepare.
    html = re.sub(r"<(/?)h([1-5])\b", lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", html)
    html = re.sub(r"<img\b[^>]*>", "", html)
    return html


@functools.cache
def _qr_stamp() -> tuple[str, ...]:
    """What a cached QR drawing depends on besides its URL (segno and our code)."""
    import segno

    return (segno.__version__, cache.code_stamp(__file__, qr.__file__))


@functools.cache
def _markdown_stamp() -> tuple[str, ...]:
    """What cached Markdown HTML depends on besides the text (the libraries and our code)."""
    import markdown
    import nh3

    from .. import markup

    return (
        markdown.__version__,
        str(getattr(nh3, "__version__", "")),
        cache.code_stamp(__file__, markup.__file__),
    )


def _strings(value: Any, skip: frozenset[str]) -> Iterable[str]:
    if isinstance(value, BaseModel):
        value = value.model_dump()
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in skip:
                yield from _strings(item, skip)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, skip)
    elif isinstance(value, str):
        yield value


_NOT_PRINTED = frozenset(
    {"id", "status", "consent", "consent_ref", "file", "image", "elders", "skills", "authors"}
)


def content_date(cat: Catalogue, booklet: Booklet, selection: Selection) -> dt.date:
    """SOURCE_DATE_EPOCH when set, else the newest date in the booklet's own content."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    dates: list[dt.date] = []
    for show in selection.showcases:
        if show.consent is not None:
            dates.append(show.consent.signed)
    for skill in selection.skills:
        dates.append(skill.validated_by.date)
    return max(dates, default=dt.date(2020, 1, 1))


# ---------------------------------------------------------------------- context


@dataclass
class Context:
    """Everything the template needs, plus what preflight wants to know about it."""

    values: dict[str, Any]
    images: list[PlacedImage] = field(default_factory=list)
    item_texts: dict[str, str] = field(default_factory=dict)
    """Label of each item (Chinese, names the file) → all its printed text."""


def _elder_line(elder: Elder) -> dict[str, str]:
    return {
        "name": elder.display_name,
        "type": elder.elder_type,
        "unit": elder.unit,
        "expertise": "、".join(elder.expertise),
        "bio": elder.bio,
    }


def build_context(
    cat: Catalogue, root: Path, booklet: Booklet, selection: Selection, workdir: Path
) -> Context:
    trim = TRIMS[booklet.trim]
    fs = FONT_SIZES[booklet.edition]
    face = fonts.faces(booklet.script)
    base_url = site_url(root)
    date = content_date(cat, booklet, selection)
    ctx = Context(values={})
    large = booklet.edition == "large_print"
    photo_w = trim.content_width
    photo_h = (trim.height - trim.margin_top - trim.margin_bottom) * 0.45
    step_w = trim.content_width * (0.85 if large else 0.7)
    skill_anchor = {k.id: f"skill-{k.id}" for k in selection.skills}

    cache_dir = cache.folder(root)

    def image(path: Path, label: str, max_w: float, max_h: float) -> PlacedImage:
        placed = prepare(path, label, workdir, max_w, max_h, cache_dir)
        ctx.images.append(placed)
        return placed

    def qr(url: str) -> str:
        return cache.text(cache_dir, "qr", (url, *_qr_stamp()), lambda: qr_svg(url))

    def markdown(text: str) -> str:
        stamp = _markdown_stamp()
        return cache.text(cache_dir, "markdown", (text, *stamp), lambda: _render_markdown(text))

    stories: list[dict[str, Any]] = []
    for show in selection.showcases:
        folder = cat.folder(show)
        rel = cat.source("showcase", show.id).yaml_path
        label = f"典型案例“{show.title}”（{rel}）"
        kf = show.key_figures
        top = max(kf.income_before.amount, kf.income_after.amount, 1)
        ratio = kf.income_after.amount / kf.income_before.amount if kf.income_before.amount else 0
        children = ""
        if show.children is not None and show.children.count:
            children = f"家里 {show.children.count} 个孩子在读书" + (
                "，一个也没有辍学。" if show.children.all_enrolled else "。"
            )
        photos = [
            {
                "image": image(folder / p.file, f"{label}的照片 {p.file}", photo_w, photo_h),
                "caption": p.caption,
            }
            for p in show.photos
            if p.consent_ref
        ]
        skills = []
        for ident in show.skills:
            skill = cat.skills.get(ident)
            if skill is None or skill.status != "published":
                continue
            url = f"{base_url}skills/{ident}/"
            skills.append(
                {
                    "title": skill.title,
                    "summary": skill.summary,
                    "url": url,
                    "qr": qr(url),
                    "in_booklet": ident in skill_anchor,
                    "anchor": skill_anchor.get(ident, ""),
                }
            )
        elders = [_elder_line(selection.elders[e]) for e in show.elders if e in selection.elders]
        body = cat.body(show)
        stories.append(
            {
                "anchor": f"showcase-{show.id}",
                "title": show.title,
                "display_name": show.display_name,
                "region": show.region.label(),
                "period": show.period,
                "industry": show.industry,
                "summary": show.summary,
                "chart": {
                    "before_year": kf.income_before.year,
                    "before_amount": _money(kf.income_before.amount),
                    "before_pct": f"{max(2.0, kf.income_before.amount / top * 100):.1f}",
                    "after_year": kf.income_after.year,
                    "after_amount": _money(kf.income_after.amount),
                    "after_pct": f"{max(2.0, kf.income_after.amount / top * 100):.1f}",
                    "ratio": f"{ratio:.1f}" if ratio >= 1.05 else "",
                    "exit_year": kf.exit_year,
                },
                "children": children,
                "body_html": markdown(body),
                "photos": photos,
                "measures": "、".join(show.assistance_measures),
                "replicability": show.replicability,
                "skills": skills,
                "elders": elders,
            }
        )
        text = "\n".join([*_strings(show, _NOT_PRINTED), body, *(e["bio"] for e in elders)])
        ctx.item_texts[label] = text

    tutorials: list[dict[str, Any]] = []
    for skill in selection.skills:
        folder = cat.folder(skill)
        rel = cat.source("skill", skill.id).yaml_path
        label = f"技能教程“{skill.title}”（{rel}）"
        url = f"{base_url}skills/{skill.id}/"
        total = sum(m.quantity * m.price for m in skill.materials)
        who = [
            f"{e.display_name}（{e.elder_type}，{e.unit}）：{e.contact.name}"
            for ident in skill.who_to_ask.elders
            if (e := selection.elders.get(ident)) is not None
        ]
        steps = [
            {
                "text": st.text,
                "caution": st.caution,
                "image": image(
                    folder / st.image, f"{label}第 {n} 步的配图 {st.image}", step_w, photo_h
                )
                if st.image
                else None,
            }
            for n, st in enumerate(skill.steps, start=1)
        ]
        calendar = [
            {
                "months": f"{c.from_month} 月"
                if c.from_month == c.to_month
                else f"{c.from_month}–{c.to_month} 月",
                "task": c.task,
            }
            for c in skill.calendar
        ]
        body = cat.body(skill)
        tutorials.append(
            {
                "anchor": skill_anchor[skill.id],
                "title": skill.title,
                "summary": skill.summary,
                "category": skill.category,
                "problem": skill.problem,
                "regions": "、".join(skill.suitable_regions),
                "climate": skill.climate,
                "soil": skill.soil,
                "labour_days": _number(skill.labour_days),
                "body_html": markdown(body) if body.strip() else "",
                "price_year": skill.cost.price_year,
                "materials": [
                    {
                        "name": m.name,
                        "quantity": _number(m.quantity),
                        "unit": m.unit,
                        "price": _money(m.price),
                        "subtotal": _money(m.quantity * m.price),
                    }
                    for m in skill.materials
                ],
                "materials_total": _money(total),
                "calendar": calendar,
                "steps": steps,
                "cost": {
                    "setup": _money(skill.cost.setup),
                    "per_cycle": _money(skill.cost.per_cycle),
                    "cycle": skill.cost.cycle,
                },
                "ret": {
                    "yield_": skill.expected_return.yield_,
                    "price": skill.expected_return.price,
                    "net": _money(skill.expected_return.net),
                    "payback_months": skill.expected_return.payback_months,
                    "assumptions": skill.expected_return.assumptions,
                },
                "safety": skill.safety,
                "mistakes": skill.mistakes,
                "where_to_sell": skill.where_to_sell,
                "who_elders": who,
                "station": skill.who_to_ask.station,
                "hotline": skill.who_to_ask.hotline,
                "validated": f"{skill.validated_by.organisation} {skill.validated_by.name}，{skill.validated_by.date.year} 年 {skill.validated_by.date.month} 月",
                "review_due": f"{skill.review_due.year} 年 {skill.review_due.month} 月",
                "url": url,
                "qr": qr(url),
            }
        )
        ctx.item_texts[label] = "\n".join([*_strings(skill, _NOT_PRINTED), body, *who])

    # Contact page: elders' public channels, stations, and the registered hotlines.
    contacts: list[dict[str, Any]] = []
    seen: set[str] = set()
    elder_ids: list[str] = []
    for show in selection.showcases:
        elder_ids += show.elders
    for skill in selection.skills:
        elder_ids += skill.who_to_ask.elders + skill.authors
    for ident in elder_ids:
        elder = selection.elders.get(ident)
        if elder is None or elder.contact.name in seen:
            continue
        seen.add(elder.contact.name)
        contacts.append(
            {
                "name": elder.contact.name,
                "who": f"{elder.display_name}（{elder.elder_type}）：{'、'.join(elder.expertise)}",
                "how": elder.contact.how,
                "hotline": elder.contact.hotline,
            }
        )
        ctx.item_texts[f"五老“{elder.display_name}”（content/elders/{elder.id}.yaml）"] = "\n".join(
            _strings(elder, _NOT_PRINTED)
        )
    for skill in selection.skills:
        station = skill.who_to_ask.station
        if station and station not in seen:
            seen.add(station)
            contacts.append(
                {
                    "name": station,
                    "who": f"“{skill.title}”的技术指导",
                    "how": "到当地乡镇农业服务中心或县农业农村局询问",
                    "hotline": skill.who_to_ask.hotline,
                }
            )
    hotlines = [{"name": c.name, "number": c.number} for c in cat.public_channels.channels]

    foreword = [p.strip() for p in (booklet.foreword or "").split("\n") if p.strip()]
    ctx.item_texts[f"小册子定义（content/booklets/{booklet.id}.yaml）"] = "\n".join(
        _strings(booklet, frozenset({"id", "cover_image", "cover_color", "shop_notes", "filter"}))
    )
    cover_image = None
    if booklet.cover_image:
        cover_image = image(
            root / "content" / "booklets" / booklet.cover_image,
            f"小册子封面图片 {booklet.cover_image}",
            trim.width - 32,
            trim.height * 0.35,
        )

    ctx.values = {
        "b": {
            "title": booklet.title,
            "subtitle": booklet.subtitle,
            "edition": booklet.edition,
            "quantity": booklet.quantity,
            "unit_line": "关心下一代工作委员会 “五老” 编",
        },
        "foreword": foreword,
        "edition_label": f"{EDITION_LABELS[booklet.edition]} · {SCRIPT_LABELS[booklet.script]}",
        "faces": face,
        "fs": fs,
        "trim": trim,
        "bleed": BLEED_MM,
        "cover_cmyk": _hex_to_cmyk(booklet.cover_color),
        "accent_cmyk": _hex_to_cmyk(booklet.cover_color),
        "qr_mm": 26 if large else 20,
        "dt_width": 5 if large else 5,
        "note_line_mm": 12 if large else 9,
        "created": f"{date.isoformat()}T00:00:00Z",
        "date_label": f"{date.year} 年 {date.month} 月",
        "content_version": cat.content_version,
        "sample": cat.sample,
        "stories": stories,
        "tutorials": tutorials,
        "contacts_page": booklet.contact_page,
        "contacts": contacts,
        "hotlines": hotlines,
        "site_url": base_url,
        "site_qr": qr(base_url),
        "cover_image": cover_image,
    }
    return ctx


# ---------------------------------------------------------------------- PDF


IMAGE_BASE = "https://booklet.invalid/"
"""Base URL of the cleaned images: stable, so image ids (hashes of URLs) are reproducible."""


def _fetcher(workdir: Path) -> Any:
    """Serve only the cleaned images in ``workdir``; nothing is fetched from elsewhere."""

    def read(url: str) -> bytes:
        name = url.removeprefix(IMAGE_BASE)
        if not url.startswith(IMAGE_BASE) or "/" in name or not (workdir / name).is_file():
            raise ValueError(f"resource not allowed in booklets: {url}")
        return (workdir / name).read_bytes()

    try:
        from weasyprint.urls import URLFetcher, URLFetcherResponse
    except ImportError:  # WeasyPrint < 68: a plain function returning a dict

        def fetch(url: str) -> dict[str, Any]:
            return {"string": read(url), "mime_type": "image/jpeg", "redirected_url": url}

        return fetch

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


_PX_MM = 25.4 / 96
"""Millimetres per CSS pixel (WeasyPrint lays pages out in CSS pixels)."""


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
    pages: int
    notes_pages: int
    page_items: dict[int, str]
    """1-based page → label of the item printed there (for messages)."""
    images: list[PlacedImage]
    item_texts: dict[str, str]
    weasy_warnings: list[str]
    trim: Trim
    marks: bool
    html: str
    texts: list[PageText] = field(default_factory=list)
    """The printed text of each page, in page order (for preflight)."""


def _convert(cat: Catalogue, html: str, script: str) -> str:
    return cat.converter.convert(html, "hant" if script == "hant" else "hans")


def render_press(
    cat: Catalogue,
    root: Path,
    booklet: Booklet,
    selection: Selection,
    workdir: Path,
    *,
    marks: bool = False,
) -> Press:
    """Render the press PDF: bleed, notes pages up to a multiple of 4, optional crop marks."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    ctx = build_context(cat, root, booklet, selection, workdir)
    env = environment()
    html = _convert(cat, env.get_template("booklet.html").render(**ctx.values), booklet.script)
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
        pad = (-count) % 4
        pages = list(doc.pages)
        if pad:
            trim = TRIMS[booklet.trim]
            lines = int(
                (trim.height - trim.margin_top - trim.margin_bottom - 20)
                / ctx.values["note_line_mm"]
            )
            notes_html = env.get_template("notes.html").render(
                **ctx.values, folios=list(range(count, count + pad)), note_lines=lines
            )
            notes = HTML(
                string=_convert(cat, notes_html, booklet.script),
                base_url=IMAGE_BASE,
                url_fetcher=fetcher,
            ).render(font_config=font_config)
            pages = pages[:-1] + list(notes.pages) + pages[-1:]
        final = doc.copy(pages)
        identifier = f"lamplight-{booklet.id}-{cat.content_version}".encode()
        pdf = final.write_pdf(pdf_identifier=identifier, pdf_version="1.6")
    finally:
        logger.removeHandler(handler)

    page_items: dict[int, str] = {}
    labels = {f"showcase-{s.id}": f"典型案例“{s.title}”" for s in selection.showcases}
    labels.update({f"skill-{k.id}": f"技能教程“{k.title}”" for k in selection.skills})
    labels.update(
        {"contact": "咨询服务页", "colophon": "版权页", "toc": "目录", "inside-cover": "封二"}
    )
    current = "封面"
    for number, page in enumerate(pages, start=1):
        for anchor in page.anchors:
            if anchor in labels:
                current = labels[anchor]
        page_items[number] = current
    page_items[len(pages)] = "封底"
    for number in range(count, count + pad):
        page_items[number] = "笔记页"

    if marks:
        pdf = add_crop_marks(pdf)
    assert pdf is not None
    return Press(
        pdf=pdf,
        pages=len(pages),
        notes_pages=pad,
        page_items=page_items,
        images=ctx.images,
        item_texts=ctx.item_texts,
        weasy_warnings=handler.messages,
        trim=TRIMS[booklet.trim],
        marks=marks,
        html=html,
        texts=[page_text(page) for page in pages],
    )


def add_crop_marks(pdf: bytes) -> bytes:
    """Widen each page to trim + 10 mm and draw K-100 crop marks outside the bleed.

    TrimBox and BleedBox are kept; MediaBox and CropBox grow so the marks sit outside
    the 3 mm bleed, where the shop cuts them away.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DecodedStreamObject, FloatObject, NameObject

    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    out = MARKS_MM * MM
    bleed = BLEED_MM * MM
    for page in writer.pages:
        x0, y0, x1, y1 = (float(v) for v in page.trimbox)
        box = ArrayObject(
            FloatObject(round(v, 4)) for v in (x0 - out, y0 - out, x1 + out, y1 + out)
        )
        page[NameObject("/MediaBox")] = box
        page[NameObject("/CropBox")] = box
        start, end = bleed + 1, out
        lines = []
        for x in (x0, x1):
            for y, sign in ((y0, -1), (y1, 1)):
                lines.append(f"{x:.3f} {y + sign * start:.3f} m {x:.3f} {y + sign * end:.3f} l S")
        for y in (y0, y1):
            for x, sign in ((x0, -1), (x1, 1)):
                lines.append(f"{x + sign * start:.3f} {y:.3f} m {x + sign * end:.3f} {y:.3f} l S")
        marks = DecodedStreamObject()
        marks.set_data(("Q q 0.25 w 0 0 0 1 K\n" + "\n".join(lines) + "\nQ\n").encode())
        opening = DecodedStreamObject()
        opening.set_data(b"q\n")
        contents = page.get_contents()
        assert contents is not None
        page[NameObject("/Contents")] = ArrayObject(
            [writer._add_object(opening), writer._add_object(contents), writer._add_object(marks)]
        )
    writer.compress_identical_objects()
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
