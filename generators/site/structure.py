"""What a site plan is made of: build options, planned pages, list lines and small helpers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import urls
from ..content import KINDS
from ..models import Elder, Showcase, Skill

SAMPLE_NOTICE = "样例内容：本页是演示用的虚构示例，人物、地点和数字都不是真实的。"

#: Facets with a flat list of values: (key, heading, taxonomy attribute).
FACETS: tuple[tuple[str, str, str], ...] = (
    ("industry", "按产业", "industries"),
    ("cause", "按致贫原因", "poverty_causes"),
    ("measure", "按帮扶措施", "assistance_measures"),
    ("activity", "按关工委活动", "activities"),
)


@dataclass(frozen=True)
class Options:
    """How one script's site is built."""

    script: str = "hans"
    """"hans" (Simplified, site root) or "hant" (Traditional mirror)."""
    directory_urls: bool = True
    """False for the offline bundle (links end in .html)."""
    public_url: str = urls.DEFAULT_SITE_URL
    """Public URL of this script's site root, ending with a slash (used for QR codes)."""
    per_page: int = 20
    """Items per index page."""
    cache_dir: Path = Path(".lamplight-cache/images")
    """Where resized photos are cached."""
    related_dir: Path | None = None
    """Where related-item answers are cached between runs (None: memory only)."""


@dataclass
class PageSpec:
    """One generated page."""

    src: str
    """Virtual source path, e.g. ``skills/sheng-tai-yang-zhu.md``."""
    template: str
    """Template under ``generators/templates/site/pages/``."""
    title: str
    """Page title (also the <title>)."""
    what: str
    """Human description for error messages, e.g. 技能教程“…”（sheng-tai-yang-zhu）."""
    context: dict[str, Any] = field(default_factory=dict)
    """Template data."""
    key: str = ""
    """Live preview: fingerprint of everything the page is made from ("" = not taken)."""


@dataclass
class Plan:
    """Everything the plugin adds to the MkDocs build."""

    pages: list[PageSpec]
    """Every page to build, in planning order."""
    media: dict[str, Path]
    """File name under media/ → the resized photo on disk."""
    nav: list[dict[str, Any]]
    """The navigation (titles in Simplified, MkDocs' nav format)."""


@dataclass(frozen=True)
class Entry:
    """A line in a list of items."""

    src: str
    """Page source of the item."""
    title: str
    """Title (an elder's display name)."""
    summary: str
    """One line under the title."""
    kind: str
    """Kind name (``skill``, ``showcase``, ``elder``)."""
    meta: str = ""
    """Small print: category, region, role."""

    @property
    def kind_label(self) -> str:
        """The kind's name for readers (技能, 榜样, 五老)."""
        kind = KINDS.get(self.kind)
        return kind.reader_label if kind is not None else ""


def entry(record: Skill | Showcase | Elder) -> Entry:
    """The list line for a record."""
    if isinstance(record, Skill):
        src = KINDS["skill"].page_src(record.id)
        return Entry(src, record.title, record.summary, "skill", record.category)
    if isinstance(record, Showcase):
        return Entry(
            KINDS["showcase"].page_src(record.id),
            record.title,
            record.summary,
            "showcase",
            f"{record.region.label()} · {record.industry}",
        )
    return Entry(
        KINDS["elder"].page_src(record.id),
        record.display_name,
        "、".join(record.expertise),
        "elder",
        f"{record.elder_type} · {record.region.label()}",
    )


def month_label(start: int, end: int) -> str:
    """“3月”, “4–6月” or “11月到次年2月”."""
    if start == end:
        return f"{start}月"
    if start < end:
        return f"{start}–{end}月"
    return f"{start}月到次年{end}月"


def months_active(start: int, end: int) -> list[bool]:
    """Twelve flags, January first, for a span that may wrap over the new year."""
    if start <= end:
        return [start <= m <= end for m in range(1, 13)]
    return [m >= start or m <= end for m in range(1, 13)]


def paginate(items: list[Any], per_page: int) -> list[list[Any]]:
    """Split ``items`` into pages of ``per_page`` (always at least one, possibly empty, page)."""
    per_page = max(1, per_page)
    chunks = [items[i : i + per_page] for i in range(0, len(items), per_page)]
    return chunks or [[]]


def sorted_records(records: Iterable[Any]) -> list[Any]:
    """Records in id order."""
    return sorted(records, key=lambda r: r.id)
