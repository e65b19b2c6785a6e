"""Pages that list items: home, the three lists, browsing by facet and region, pairings, pages."""

from __future__ import annotations

from collections import Counter
from typing import Any

from .. import urls
from ..content import KINDS
from .planner import Planner
from .structure import FACETS, PageSpec

BROWSE = "browse/index.md"
_BROWSE_CRUMB = ("分类浏览", BROWSE)


def add_home_page(p: Planner) -> None:
    """Plan the home page: featured stories, first skills, counts."""
    featured = [s for s in p.showcases if s.featured] or p.showcases[:3]
    context = {
        "featured": [p.entry(s) for s in featured],
        "skills": [p.entry(s) for s in p.skills[:6]],
        "counts": {
            "skills": len(p.skills),
            "showcases": len(p.showcases),
            "elders": len(p.elders),
        },
    }
    p.add(PageSpec("index.md", "home.html", "首页", "首页", context))


def add_item_lists(p: Planner) -> None:
    """Plan the paginated lists of skills, stories and elders."""
    p.add_list(
        "skills",
        "学技能",
        "list.html",
        [p.entry(s) for s in p.skills],
        intro="一步一步学会一门手艺：每篇都有月历、材料和成本、步骤图、安全提醒和请教的人。",
    )
    p.add_list(
        "stories",
        "看榜样",
        "list.html",
        [p.entry(s) for s in p.showcases],
        intro="身边人家怎样靠一门手艺过上好日子：他们的做法、成效和经验。",
    )
    p.add_list(
        "elders",
        "找老师",
        "list.html",
        [p.entry(e) for e in p.elders],
        intro="“五老”志愿者：老干部、老战士、老专家、老教师、老模范。可以通过公开的咨询渠道向他们请教。",
    )


def add_browse_pages(p: Planner) -> None:
    """Plan the browse page and one list per facet value, province and county."""
    groups = []
    for key, heading, attr in FACETS:
        values = []
        for value in getattr(p.cat.taxonomy, attr, None) or []:
            members = p.facet_members(key, value)
            if not members:
                continue
            base = f"browse/{key}/{urls.slug(value)}"
            values.append({"name": value, "src": urls.list_src(base, 1), "count": len(members)})
            p.add_list(
                base, f"{heading[1:]}：{value}", "list.html", members, crumbs=[_BROWSE_CRUMB]
            )
        groups.append({"heading": heading, "entries": values})
    provinces = [_add_province(p, province) for province in p.cat.taxonomy.regions or []]
    context = {"groups": groups, "provinces": [x for x in provinces if x is not None]}
    p.add(PageSpec(BROWSE, "browse.html", "分类浏览", "分类浏览页", context))


def _add_province(p: Planner, province: Any) -> dict[str, Any] | None:
    """Plan one province's list and its counties' lists; its line on the browse page."""
    members = p.region_members(province.name, None)
    if not members:
        return None
    base = f"browse/region/{urls.slug(province.name)}"
    counties = []
    for county in province.counties:
        county_members = p.region_members(province.name, county.name)
        if not county_members:
            continue
        county_base = f"{base}/{urls.slug(county.name)}"
        counties.append(
            {
                "name": county.name,
                "src": urls.list_src(county_base, 1),
                "count": len(county_members),
            }
        )
        p.add_list(
            county_base,
            f"地区：{province.name}{county.name}",
            "list.html",
            county_members,
            crumbs=[_BROWSE_CRUMB, (province.name, urls.list_src(base, 1))],
        )
    p.add_list(
        base,
        f"地区：{province.name}",
        "list.html",
        members,
        crumbs=[_BROWSE_CRUMB],
        children=counties,
    )
    return {
        "name": province.name,
        "src": urls.list_src(base, 1),
        "count": len(members),
        "counties": counties,
    }


def add_pairings_page(p: Planner) -> None:
    """Plan the pairing statistics: per county and per published elder."""
    by_county: dict[tuple[str, str], Counter[str]] = {}
    by_elder: Counter[str] = Counter()
    hidden = 0
    for pairing in sorted(p.cat.pairings.values(), key=lambda x: x.id):
        key = (pairing.region.province, pairing.region.county or "（未填县）")
        counts = by_county.setdefault(key, Counter())
        counts["total"] += 1
        counts[pairing.relation] += 1
        if pairing.end is None:
            counts["ongoing"] += 1
        for elder_id in pairing.elders:
            if elder_id in p.elder_ids:
                by_elder[elder_id] += 1
            else:
                hidden += 1
    counties = [
        {
            "province": province,
            "county": county,
            "total": n["total"],
            "paired": n["结对户"],
            "contact": n["联系户"],
            "ongoing": n["ongoing"],
        }
        for (province, county), n in sorted(by_county.items())
    ]
    elders = [
        {"entry": p.entry(p.cat.elders[e]), "count": n}
        for e, n in sorted(by_elder.items(), key=lambda item: (-item[1], item[0]))
    ]
    context = {
        "counties": counties,
        "elders": elders,
        "hidden": hidden,
        "total": len(p.cat.pairings),
    }
    p.add(PageSpec("pairings/index.md", "pairings.html", "结对帮扶", "结对帮扶统计页", context))


def add_general_pages(p: Planner) -> list[dict[str, str]]:
    """Plan the hand-written pages (content/pages/); their navigation entries."""
    nav = []
    for page in sorted(p.cat.pages.values(), key=lambda x: (x.order, x.slug)):
        src = KINDS["page"].page_src(page.slug)
        folder = (p.cat.root / page.path).parent
        what = f"页面“{page.title}”（{page.path}）"
        body = p.media.body_html(what, src, folder, page.body)
        p.add(PageSpec(src, "page.html", page.title, what, {"body": body}))
        nav.append({page.title: src})
    return nav
