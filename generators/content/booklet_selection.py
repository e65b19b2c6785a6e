"""Which items a booklet's ``filter`` picks, and the record of the last build's picks.

The booklet step (``generators/booklet/select.py``) uses the matching rules to assemble a
booklet; ``lamplight build``/``booklet`` compare the picked items with the record of the
previous build and say which entered or left (a new story can silently change a booklet
whose subtitle and foreword were written for the old set); ``lamplight check`` warns (W601)
when the picked items differ from that record.
"""

from __future__ import annotations

import json

from ..cache import Store
from ..diagnostics import Report
from ..models import Booklet, Showcase, Skill
from ..scripts import fold
from .records import Catalogue

RECORD_STORE = "booklets"
"""Namespace of the picks records under ``.lamplight-cache/``."""


def matches_showcase(show: Showcase, booklet: Booklet) -> bool:
    """Whether the booklet's filter picks this story."""
    flt = booklet.filter
    if flt is None:
        return False
    checks = [
        flt.industry is None or fold(show.industry) == fold(flt.industry),
        flt.province is None or fold(show.region.province) == fold(flt.province),
        flt.activity is None or fold(flt.activity) in {fold(a) for a in show.activities},
        flt.tag is None or fold(flt.tag) in {fold(t) for t in show.tags},
    ]
    return all(checks)


def matches_skill(skill: Skill, booklet: Booklet) -> bool:
    """Whether the booklet's filter picks this tutorial."""
    flt = booklet.filter
    if flt is None:
        return False
    if flt.industry is None and flt.province is None and flt.tag is None:
        return False  # an activity-only filter selects stories, not tutorials
    checks = [
        flt.industry is None or fold(skill.category) == fold(flt.industry),
        flt.province is None or fold(flt.province) in {fold(r) for r in skill.suitable_regions},
        flt.tag is None or fold(flt.tag) in {fold(t) for t in skill.tags},
    ]
    return all(checks)


def picked(cat: Catalogue, booklet: Booklet) -> dict[str, str]:
    """The printable items the filter picks (beside the listed ones), sorted:
    ``showcase:ID`` or ``skill:ID`` → title."""
    items: dict[str, str] = {}
    if booklet.filter is None:
        return items
    for show in cat.published_showcases("print"):
        if show.id not in booklet.showcases and matches_showcase(show, booklet):
            items[f"showcase:{show.id}"] = show.title
    for skill in cat.published_skills():
        if skill.id not in booklet.skills and matches_skill(skill, booklet):
            items[f"skill:{skill.id}"] = skill.title
    return dict(sorted(items.items()))


def _store(cat: Catalogue) -> Store:
    return Store.of(cat.root, RECORD_STORE)


def last_picks(cat: Catalogue, slug: str) -> dict[str, str] | None:
    """The filter's picks at the last build of booklet ``slug``, or ``None`` (never built)."""
    data = _store(cat).read(f"{slug}-picks.json")
    if data is None:
        return None
    try:
        value = json.loads(data)
    except ValueError:
        return None
    if not isinstance(value, dict):
        return None
    return {str(k): str(v) for k, v in value.items()}


def record_picks(cat: Catalogue, slug: str, items: dict[str, str]) -> None:
    """Remember the filter's picks of this build of booklet ``slug``."""
    text = json.dumps(items, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    _store(cat).write(f"{slug}-picks.json", text)


def changes(before: dict[str, str] | None, now: dict[str, str]) -> list[str]:
    """Chinese lines naming the items that entered or left since ``before``."""
    if before is None:
        return []
    lines = [f"  新加入：{_named(i, now)}" for i in sorted(set(now) - set(before))]
    lines += [f"  已移出：{_named(i, before)}" for i in sorted(set(before) - set(now))]
    return lines


def _named(key: str, items: dict[str, str]) -> str:
    kind, _, ident = key.partition(":")
    label = "典型案例" if kind == "showcase" else "技能教程"
    return f"{label}“{items[key]}”（{ident}）"


def picks_changes(cat: Catalogue, slug: str, *, written: bool) -> list[str]:
    """Lines naming what entered or left filtered booklet ``slug`` since its last build; a
    booklet that was ``written`` becomes the new record."""
    booklet = cat.booklets.get(slug)
    if booklet is None or booklet.filter is None:
        return []
    now = picked(cat, booklet)
    lines = changes(last_picks(cat, slug), now)
    if written:
        record_picks(cat, slug, now)
    if not lines:
        return []
    return [
        f"小册子“{booklet.title}”（{slug}）按筛选条件选到的内容自上次生成以来有变化，"
        "请核对副标题和前言是否仍然相符：",
        *lines,
    ]


def check_drift(cat: Catalogue, booklet: Booklet, report: Report, path: str, line: int) -> None:
    """W601 when the filter now picks other items than at the last build (more, fewer, or
    the same number with one swapped for another)."""
    before = last_picks(cat, booklet.id)
    if booklet.filter is None or before is None:
        return
    now = picked(cat, booklet)
    if set(now) == set(before):
        return
    entered = "、".join(_named(i, now) for i in sorted(set(now) - set(before))) or "无"
    left = "、".join(_named(i, before) for i in sorted(set(before) - set(now))) or "无"
    count = (
        f"从上次生成时的 {len(before)} 项变为 {len(now)} 项"
        if len(now) != len(before)
        else f"仍是 {len(now)} 项，但换了内容"
    )
    report.add(
        path,
        line,
        1,
        "W601",
        f"小册子“{booklet.title}”按筛选条件选到的内容{count}（新加入：{entered}；"
        f"已移出：{left}）；请核对副标题和前言是否仍然相符，"
        "确认后运行 lamplight build 或 lamplight booklet 更新记录",
    )
