"""Everything ``booklet.html`` needs for one booklet: front matter, items, back matter.

The templates are written in Simplified Chinese; the whole rendered HTML then goes through
``cat.converter`` into the booklet's script, so every word (labels, cover, TOC, colophon and
the content) ends up in one script while protected terms stay as written.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import urls
from ..content import Catalogue
from ..models import Booklet
from . import fonts
from .assets import Assets, store_of
from .images import PlacedImage
from .items import Items, printed_strings
from .layout import BLEED_MM, FONT_SIZES, TRIMS
from .pdfx import Profile
from .questions import render_questions
from .select import Selection

EDITION_LABELS = {"standard": "普通版", "large_print": "大字版"}
SCRIPT_LABELS = {"hans": "简体字", "hant": "繁体字"}

_NOT_PRINTED_BOOKLET = frozenset({"id", "cover_image", "cover_color", "shop_notes", "filter"})


@dataclass
class Context:
    """Everything the template needs, plus what preflight wants to know about it."""

    values: dict[str, Any]
    """The template's variables."""
    images: list[PlacedImage] = field(default_factory=list)
    """Every image placed in the booklet, in order."""
    item_texts: dict[str, str] = field(default_factory=dict)
    """Label of each item (Chinese, names the file) → all its printed text."""


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


def _hex_to_cmyk(colour: str) -> str:
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    k = 1 - max(r, g, b)
    if k >= 1:
        return "device-cmyk(0 0 0 1)"
    c, m, y = ((1 - v - k) / (1 - k) for v in (r, g, b))
    return f"device-cmyk({c:.3f} {m:.3f} {y:.3f} {k:.3f})"


def _render_cover(root: Path, booklet: Booklet, assets: Assets) -> PlacedImage | None:
    if not booklet.cover_image:
        return None
    trim = TRIMS[booklet.trim]
    return assets.image(
        root / "content" / "booklets" / booklet.cover_image,
        f"小册子封面图片 {booklet.cover_image}",
        trim.width - 32,
        trim.height * 0.35,
    )


def _render_front_matter(booklet: Booklet, large: bool) -> dict[str, Any]:
    """Cover, foreword and page settings: what comes from the booklet definition itself."""
    return {
        "b": {
            "title": booklet.title,
            "subtitle": booklet.subtitle,
            "edition": booklet.edition,
            "quantity": booklet.quantity,
            "unit_line": "关心下一代工作委员会 “五老” 编",
        },
        "foreword": [p.strip() for p in (booklet.foreword or "").split("\n") if p.strip()],
        "edition_label": f"{EDITION_LABELS[booklet.edition]} · {SCRIPT_LABELS[booklet.script]}",
        "faces": fonts.faces(booklet.script),
        "fs": FONT_SIZES[booklet.edition],
        "trim": TRIMS[booklet.trim],
        "bleed": BLEED_MM,
        "cover_cmyk": _hex_to_cmyk(booklet.cover_color),
        "accent_cmyk": _hex_to_cmyk(booklet.cover_color),
        "qr_mm": 26 if large else 20,
        "dt_width": 5,
        "note_line_mm": 12 if large else 9,
    }


def _render_back_matter(
    cat: Catalogue, date: dt.date, base_url: str, assets: Assets, version: str
) -> dict[str, Any]:
    """Colophon and the site link on the back cover."""
    return {
        "created": f"{date.isoformat()}T00:00:00Z",
        "date_label": f"{date.year} 年 {date.month} 月",
        "content_version": version,
        "sample": cat.sample,
        "hotlines": [{"name": c.name, "number": c.number} for c in cat.public_channels.channels],
        "site_url": base_url,
        "site_qr": assets.qr(base_url),
    }


def build_context(
    cat: Catalogue,
    root: Path,
    booklet: Booklet,
    selection: Selection,
    workdir: Path,
    *,
    base_url: str | None = None,
    content_version: str,
    cmyk: Profile | None = None,
) -> Context:
    """The template values of ``booklet``; ``base_url`` defaults to mkdocs.yml's ``site_url``.

    With a ``cmyk`` profile (PDF/X-1a) the photos are converted to CMYK through it.
    ``content_version`` is printed in the colophon (see ``reuse.booklet_version``).
    """
    base_url = urls.site_url(root) if base_url is None else base_url
    large = booklet.edition == "large_print"
    assets = Assets(store_of(root), workdir, cmyk)
    items = Items(cat, selection, assets, base_url, TRIMS[booklet.trim])
    stories = items.stories()
    tutorials = items.tutorials(large)
    contacts = items.contacts()
    questions = render_questions(items)
    items.texts[f"小册子定义（content/booklets/{booklet.id}.yaml）"] = "\n".join(
        printed_strings(booklet, _NOT_PRINTED_BOOKLET)
    )
    values = {
        **_render_front_matter(booklet, large),
        **_render_back_matter(
            cat,
            content_date(cat, booklet, selection),
            base_url,
            assets,
            content_version,
        ),
        "stories": stories,
        "tutorials": tutorials,
        "questions": questions,
        "contacts_page": booklet.contact_page,
        "contacts": contacts,
        "cover_image": _render_cover(root, booklet, assets),
    }
    return Context(values, assets.images, items.texts)
