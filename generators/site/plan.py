"""Which pages one script's site has, with their data, and its navigation."""

from __future__ import annotations

from typing import Any

from ..content import Catalogue
from .consult_pages import add_consultation_pages
from .index_pages import (
    add_browse_pages,
    add_general_pages,
    add_home_page,
    add_item_lists,
    add_pairings_page,
)
from .item_pages import add_elder_page, add_showcase_page, add_skill_page
from .notice_pages import add_notice_pages
from .planner import Planner
from .session import SiteSession
from .structure import Options, PageSpec, Plan

NAV: list[dict[str, Any]] = [
    {"首页": "index.md"},
    {"学技能": "skills/index.md"},
    {"看榜样": "stories/index.md"},
    {"找老师": "elders/index.md"},
    {"分类浏览": "browse/index.md"},
    {"结对帮扶": "pairings/index.md"},
    {"搜索": "search/index.md"},
]


def plan_site(cat: Catalogue, options: Options, session: SiteSession | None = None) -> Plan:
    """Every page of one script's site, with its data; photos resized on the way.

    ``session`` carries what earlier builds of the same command prepared (a fresh one when
    omitted).
    """
    p = Planner(cat, options, session or SiteSession(cat))
    for skill in p.skills:
        add_skill_page(p, skill)
    for showcase in p.showcases:
        add_showcase_page(p, showcase)
    for elder in p.elders:
        add_elder_page(p, elder)
    add_home_page(p)
    add_item_lists(p)
    add_browse_pages(p)
    add_pairings_page(p)
    p.add(PageSpec("search/index.md", "search.html", "搜索", "搜索页", {}))
    add_consultation_pages(p)
    add_notice_pages(p)
    extra_nav = add_general_pages(p)
    nav = [dict(item) for item in NAV]
    if len(extra_nav) == 1:
        nav.append(extra_nav[0])
    elif extra_nav:
        nav.append({"关于": extra_nav})
    preview = p.session.preview
    if preview is not None:
        preview.entries = dict(p.entries)
    return Plan(p.pages, dict(sorted(p.media.files.items())), nav)


def nav_sources(nav: list[dict[str, Any]]) -> list[str]:
    """Every page source named in the navigation."""
    out: list[str] = []
    for item in nav:
        for target in item.values():
            out.extend(nav_sources(target) if isinstance(target, list) else [target])
    return out
