"""Cross-file checks of answered questions, consultation teams and notices."""

from __future__ import annotations

import datetime as dt

from ..models import Notice, Question, Region, Team
from ..scripts import fold
from .checker import Checker
from .consent import CHILD_WORDS
from .consultation import NOTICE_SORTS, SORT_FIELDS, is_current, sort_of


def check_consultation(check: Checker, on: dt.date) -> None:
    """Every question, team and notice; ``on`` is the date reviews and notices are judged by."""
    cat = check.cat
    for question in cat.questions.values():
        check_question(check, question, on)
    for team in cat.teams.values():
        check_team(check, team)
    for notice in cat.notices.values():
        check_notice(check, notice, on)
    for booklet in cat.booklets.values():
        check.refs(booklet, "booklet", ("questions",), "question")


def _add(
    check: Checker, kind: str, ident: str, loc: tuple[int | str, ...], code: str, msg: str
) -> None:
    path, line, col = check.at(kind, ident, loc)
    check.report.add(path, line, col, code, msg)


def check_question(check: Checker, question: Question, on: dt.date) -> None:
    """Taxonomy values, region, references, review date and consent of one question."""
    check.vocab(question, "question", "industry", "industries")
    check.vocab(question, "question", "tags", "tags")
    check.region(question, "question", ("region",), question.region)
    check.refs(question, "question", ("skills",), "skill")
    check.refs(question, "question", ("answered_by", "elders"), "elder")
    check.refs(question, "question", ("answered_by", "team"), "team")
    if not question.answered_by.elders and question.answered_by.team is None:
        _add(
            check,
            "question",
            question.id,
            ("answered_by",),
            "E102",
            "answered_by 需要填写 elders（五老 id）或 team（咨询服务团 id）之一",
        )
    if question.review_due < on:
        _add(
            check,
            "question",
            question.id,
            ("review_due",),
            "W101",
            f"复核日期 {question.review_due} 已过；请请解答人重新核对，并更新 review_due",
        )
    if question.status != "published" or not question.retells_household:
        return
    if question.consent is None:
        _add(
            check,
            "question",
            question.id,
            ("status",),
            "E401",
            "这条问答讲到了某户人家的具体情况（retells_household: true），已设为 published，"
            "但没有 consent（农户发布同意记录）；请补上，或把 status 改为 review",
        )
    elif not question.consent.guardian and any(
        w in question.question + question.answer for w in CHILD_WORDS
    ):
        _add(
            check,
            "question",
            question.id,
            ("consent",),
            "E403",
            "问答提到了未成年子女，需要监护人单独同意；取得后请把 consent.guardian 设为 true，"
            "否则请删去有关孩子的内容",
        )


def check_team(check: Checker, team: Team) -> None:
    """Members, skills, area served and public contact channel of one team."""
    check.refs(team, "team", ("elders",), "elder")
    if not team.elders:
        _add(
            check,
            "team",
            team.id,
            ("elders",),
            "E102",
            "服务团至少要有一位五老：在 elders 里填写五老 id",
        )
    check.refs(team, "team", ("skills",), "skill")
    area = team.area
    served = Region(province=area.province, county=area.county)
    check.region(team, "team", ("area",), served)
    area.province, area.county = served.province, served.county or area.county
    for index, town in enumerate(area.townships):
        region = Region(province=area.province, county=area.county, township=town)
        loc: tuple[int | str, ...] = ("area", "townships", index)
        _check_township(check, "team", team.id, loc, region)
        if region.township is not None:
            area.townships[index] = region.township
    contact = team.contact
    if contact.hotline is None and contact.qr_image is None:
        _add(
            check,
            "team",
            team.id,
            ("contact",),
            "E102",
            "服务团需要一个公开联系渠道：contact 里填写 hotline（登记过的公开热线）"
            "或 qr_image（群二维码图片）；不能写个人电话",
        )
    if contact.hotline is not None:
        numbers = {c.number.replace(" ", "") for c in check.cat.public_channels.channels}
        if contact.hotline.replace(" ", "") not in numbers:
            _add(
                check,
                "team",
                team.id,
                ("contact", "hotline"),
                "E201",
                f"热线“{contact.hotline}”没有在 content/public_channels.yaml 登记；"
                "只能写登记过的公开热线，不能写个人电话",
            )
    if contact.qr_image is not None:
        check.file_exists("team", team.id, ("contact", "qr_image"), contact.qr_image)


def _check_township(
    check: Checker, kind: str, ident: str, loc: tuple[int | str, ...], region: Region
) -> None:
    """E104 for a township not under the county (the county itself is checked elsewhere)."""
    taxo = check.taxo
    if taxo is None or region.township is None:
        return
    prov = taxo.provinces.get(fold(region.province))
    county = prov[1].get(fold(region.county or "")) if prov else None
    if county is None:
        return
    town = county[1].resolve(region.township)
    if town is None:
        _add(
            check,
            kind,
            ident,
            loc,
            "E104",
            f"乡镇“{region.township}”不在分类表中“{county[0]}”之下；请检查名称或先在分类表中添加",
        )
    region.township = town


def check_notice(check: Checker, notice: Notice, on: dt.date) -> None:
    """Sort and its section, region, dates, a market price's date and source, a training's
    date against ``on``."""
    check.region(notice, "notice", ("region",), notice.region)
    if notice.region.county is None:
        _add(
            check,
            "notice",
            notice.id,
            ("region",),
            "E102",
            "通知的 region 至少要写到县（county），网站按县筛选通知",
        )
    if notice.expires < notice.published:
        _add(
            check,
            "notice",
            notice.id,
            ("expires",),
            "E106",
            f"过期日期 {notice.expires} 早于发布日期 {notice.published}；请改正",
        )
    sort = sort_of(notice.sort)
    if sort is None:
        _add(
            check,
            "notice",
            notice.id,
            ("sort",),
            "E104",
            f"通知类别“{notice.sort}”不对；只能是 " + "、".join(NOTICE_SORTS) + " 之一",
        )
        return
    notice.sort = sort
    section = SORT_FIELDS[sort]
    if getattr(notice, section) is None:
        _add(
            check,
            "notice",
            notice.id,
            ("sort",),
            "E102",
            f"{sort}通知需要填写 {section} 部分（可以用 lamplight new notice 看模板）",
        )
    if notice.market is not None:
        _check_market(check, notice)
    if notice.technique is not None:
        check.refs(notice, "notice", ("technique", "skills"), "skill")
    training = notice.training
    if sort == "培训" and training is not None and training.date < on and is_current(notice, on):
        _add(
            check,
            "notice",
            notice.id,
            ("training", "date"),
            "W105",
            f"培训日期 {training.date} 已经过了，通知却还在有效期内（到 {notice.expires}）；"
            "请把 expires 改到培训那天，让它进入往期通知",
        )


def _check_market(check: Checker, notice: Notice) -> None:
    """E108 for a price without its date or source; E106 for a reversed price range."""
    market = notice.market
    assert market is not None
    missing = [
        name for name, value in (("date", market.date), ("source", market.source)) if not value
    ]
    if missing:
        _add(
            check,
            "notice",
            notice.id,
            ("market",),
            "E108",
            "行情价格缺少"
            + "和".join({"date": "日期（date）", "source": "来源（source）"}[m] for m in missing)
            + "；没有日期和来源的价格不能发布，请补上",
        )
    if market.price_low > market.price_high:
        _add(
            check,
            "notice",
            notice.id,
            ("market", "price_high"),
            "E106",
            f"最高价 {market.price_high} 低于最低价 {market.price_low}；请改正",
        )
