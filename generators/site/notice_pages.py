"""The information line's pages: each notice, the current notices with filters by sort and
county, the archive of expired ones, and the home page's 最新通知 block."""

from __future__ import annotations

import datetime as dt

from .. import urls
from ..content import KINDS
from ..content.consultation import NOTICE_SORTS, is_current, published_notices, today
from ..content.digest import group_message, new_items
from ..models import Notice
from .charts import fmt_number
from .consult_pages import annotate
from .planner import Planner
from .posters import POSTER_KINDS, poster_path
from .render import markdown_html
from .structure import Entry, PageSpec

NOTICES = "notices"
ARCHIVE = f"{NOTICES}/archive"


def notice_entry(notice: Notice, on: dt.date) -> Entry:
    """The list line of a notice: sort, place and its dates."""
    state = f"{notice.expires} 到期" if on <= notice.expires else f"已于 {notice.expires} 过期"
    return Entry(
        KINDS["notice"].page_src(notice.id),
        f"【{notice.sort}】{notice.title}",
        notice.summary,
        "notice",
        f"{notice.region.label()} · {notice.published} 发布 · {state}",
    )


def _county_key(notice: Notice) -> tuple[str, str]:
    return (notice.region.province, notice.region.county or "")


def _sort_src(sort: str) -> str:
    return urls.list_src(f"{NOTICES}/sort/{urls.slug(sort)}", 1)


def _county_src(province: str, county: str) -> str:
    return urls.list_src(f"{NOTICES}/county/{urls.slug(province + county)}", 1)


def add_notice_pages(p: Planner, on: dt.date | None = None) -> None:
    """Plan every published notice's page, the current lists, the archive and the home block;
    ``on`` is the day notices are judged by (the build's SOURCE_DATE_EPOCH by default)."""
    on = on or today()
    notices = published_notices(p.cat)
    current = [n for n in notices if is_current(n, on)]
    expired = [n for n in notices if n.expires < on]
    listed = ({n.sort for n in current}, {_county_key(n) for n in current})
    for notice in notices:
        _add_notice_page(p, notice, on, listed)
    sorts = [s for s in NOTICE_SORTS if any(n.sort == s for n in current)]
    counties = sorted(dict.fromkeys(_county_key(n) for n in current))
    groups = [
        ("按类别", [(f"{s}（{sum(n.sort == s for n in current)}）", _sort_src(s)) for s in sorts]),
        (
            "按县",
            [
                (f"{c}（{sum(_county_key(n) == (pr, c) for n in current)}）", _county_src(pr, c))
                for pr, c in counties
            ],
        ),
    ]
    more = [(f"往期通知（{len(expired)}）", urls.list_src(ARCHIVE, 1))]
    crumbs = [("通知", urls.list_src(NOTICES, 1))]
    p.add_list(
        NOTICES,
        "通知",
        "consult_list.html",
        [notice_entry(n, on) for n in current],
        intro="培训、行情和新技术：关工委和农技部门发布的最新消息。过期的通知在“往期通知”里。",
        chip_groups=groups,
        more=more,
    )
    for sort in sorts:
        p.add_list(
            f"{NOTICES}/sort/{urls.slug(sort)}",
            f"通知：{sort}",
            "consult_list.html",
            [notice_entry(n, on) for n in current if n.sort == sort],
            crumbs=crumbs,
            chip_groups=groups,
            more=more,
        )
    for province, county in counties:
        p.add_list(
            f"{NOTICES}/county/{urls.slug(province + county)}",
            f"通知：{province}{county}",
            "consult_list.html",
            [notice_entry(n, on) for n in current if _county_key(n) == (province, county)],
            crumbs=crumbs,
            chip_groups=groups,
            more=more,
        )
    p.add_list(
        ARCHIVE,
        "往期通知",
        "consult_list.html",
        [notice_entry(n, on) for n in expired],
        intro="已经过期的通知留在这里备查：培训已经办过，价格已经过时，请以最新通知为准。",
        crumbs=crumbs,
        chip_groups=[],
    )
    _add_share_blocks(p, on)
    for spec in p.pages:
        if spec.src == "index.md":
            notices_src = urls.list_src(NOTICES, 1)
            annotate(
                spec,
                {"notices": [notice_entry(n, on) for n in current[:5]], "notices_src": notices_src},
            )


def _add_notice_page(
    p: Planner, notice: Notice, on: dt.date, listed: tuple[set[str], set[tuple[str, str]]]
) -> None:
    """The notice's page; its sort and county link to their lists only where those exist
    (``listed``: the sorts and counties of current notices)."""
    src = KINDS["notice"].page_src(notice.id)
    market = notice.market
    price = None
    if market is not None:
        low, high = fmt_number(market.price_low), fmt_number(market.price_high)
        price = f"{low}–{high} 元/{market.unit}" if low != high else f"{low} 元/{market.unit}"
    technique = notice.technique
    skills = technique.skills if technique is not None else []
    region = notice.region
    context = {
        "notice": notice,
        "expired": notice.expires < on,
        "details": markdown_html(notice.details) if notice.details else "",
        "price": price,
        "skills": [p.entry(p.cat.skills[s]) for s in skills if s in p.skill_ids],
        "sort_src": _sort_src(notice.sort) if notice.sort in listed[0] else None,
        "county_src": (
            _county_src(region.province, region.county or "")
            if _county_key(notice) in listed[1]
            else None
        ),
        "archive_src": urls.list_src(ARCHIVE, 1),
        "list_src": urls.list_src(NOTICES, 1),
        "qr": p.qr(src),
        "public_url": p.public_url(src),
        "kind_label": KINDS["notice"].reader_label,
        "region_meta": region.label(),
    }
    what = f"通知“{notice.title}”（content/notices/{notice.id}.yaml）"
    p.add(PageSpec(src, "notice.html", notice.title, what, context))


def _add_share_blocks(p: Planner, on: dt.date) -> None:
    """分享到群 on the page of every current notice and published story: the ready-to-paste
    group message (its link to this script's page) and the share poster."""
    shares = {}
    for item in new_items(p.cat, dt.date.min, on):
        if item.kind in POSTER_KINDS:
            message = group_message(p.cat, item, p.opt.public_url)
            shares[KINDS[item.kind].page_src(item.ident)] = {
                "lines": message.splitlines(),
                "poster": poster_path(item.kind, item.ident),
            }
    for spec in p.pages:
        if spec.src in shares:
            annotate(spec, {"share": shares[spec.src]})
