"""Cross-file checks of every kind: taxonomy values, references, files, dates, W103."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..diagnostics import Report
from ..models import Showcase, Skill
from ..scripts import fold
from ..yamlio import position_of
from .booklet_selection import check_drift
from .checker import Checker
from .consultation import today
from .consultation_checks import check_consultation
from .kinds import KINDS
from .records import Catalogue
from .taxonomy import Taxo


def cross_check(
    cat: Catalogue,
    taxo: Taxo | None,
    report: Report,
    known: frozenset[str] | set[str] | None = None,
) -> None:
    """Everything that depends on other files: taxonomy values, regions, references, files."""
    check = Checker(cat, taxo, report, known)
    check_consultation(check, today())
    for skill in cat.skills.values():
        check_skill(check, skill)
    for showcase in cat.showcases.values():
        check_showcase(check, showcase)
    _check_salvaged(check)
    for showcase in cat.showcases.values():
        warn_unpublished(check, showcase)
    for elder in cat.elders.values():
        check.vocab(elder, "elder", "elder_type", "elder_types")
        check.region(elder, "elder", ("region",), elder.region)
    for pairing in cat.pairings.values():
        check.refs(pairing, "pairing", ("elders",), "elder")
        check.refs(pairing, "pairing", ("household", "showcase"), "showcase")
        check.region(pairing, "pairing", ("region",), pairing.region)
        if pairing.household.showcase is None and not pairing.household.code:
            path, line, col = check.at("pairing", pairing.id, ("household",))
            report.add(
                path,
                line,
                col,
                "E102",
                "household 需要填写 showcase（案例 id）或 code（内部户编码）之一",
            )
    for booklet in cat.booklets.values():
        check.refs(booklet, "booklet", ("showcases",), "showcase")
        check.refs(booklet, "booklet", ("skills",), "skill")
        if booklet.filter is not None and taxo is not None:
            for fname, vocab_name in (
                ("industry", "industries"),
                ("activity", "activities"),
                ("tag", "tags"),
            ):
                value = getattr(booklet.filter, fname)
                if value is None:
                    continue
                canon = getattr(taxo, vocab_name).resolve(value)
                if canon is None:
                    path, line, col = check.at("booklet", booklet.id, ("filter", fname))
                    report.add(path, line, col, "E104", f"筛选条件“{value}”不在分类表中")
                else:
                    setattr(booklet.filter, fname, canon)
            if booklet.filter.province is not None:
                prov = taxo.provinces.get(fold(booklet.filter.province))
                if prov is None:
                    path, line, col = check.at("booklet", booklet.id, ("filter", "province"))
                    report.add(
                        path, line, col, "E104", f"省份“{booklet.filter.province}”不在分类表中"
                    )
                else:
                    booklet.filter.province = prov[0]
        if booklet.filter is not None:
            src = cat.sources[("booklet", booklet.id)]
            line = position_of(src.raw, ("filter",))[0]  # the ``filter:`` key itself
            check_drift(cat, booklet, report, src.yaml_path, line)
        if booklet.cover_image:
            check.file_exists("booklet", booklet.id, ("cover_image",), booklet.cover_image)
        if not booklet.showcases and not booklet.skills and booklet.filter is None:
            path, line, col = check.at("booklet", booklet.id, ("id",))
            report.add(
                path, line, col, "E102", "小册子没有内容：请填写 showcases、skills 或 filter"
            )


def _check_salvaged(check: Checker) -> None:
    """The cross-file checks of the records with field errors, on their valid fields (one
    run reports every problem of every file)."""
    for (kind, _), record in check.cat.salvaged.items():
        if kind == "skill":
            check_skill(check, record)
        elif kind == "showcase":
            check_showcase(check, record)
        elif kind == "elder":
            check.vocab(record, "elder", "elder_type", "elder_types")
            check.region(record, "elder", ("region",), record.region)


def check_skill(check: Checker, skill: Skill) -> None:
    """Cross-file checks of one skill (taxonomy values, regions, elders, files)."""
    report, taxo = check.report, check.taxo
    check.vocab(skill, "skill", "category", "industries")
    check.vocab(skill, "skill", "tags", "tags")
    check.vocab(skill, "skill", "poverty_causes", "poverty_causes")
    for index, province in enumerate(skill.suitable_regions or [] if taxo else []):
        prov = taxo.provinces.get(fold(province)) if taxo else None
        if prov is None:
            path, line, col = check.at("skill", skill.id, ("suitable_regions", index))
            report.add(path, line, col, "E104", f"省份“{province}”不在分类表 regions 中")
        else:
            skill.suitable_regions[index] = prov[0]
    check.refs(skill, "skill", ("who_to_ask", "elders"), "elder")
    check.refs(skill, "skill", ("authors",), "elder")
    if skill.review_due is not None and skill.review_due < dt.date.today():
        path, line, col = check.at("skill", skill.id, ("review_due",))
        report.add(
            path,
            line,
            col,
            "W101",
            f"复核日期 {skill.review_due} 已过；请请核验单位重新核验，并更新 review_due",
        )
    for index, step in enumerate(skill.steps or []):
        if step.image:
            check.file_exists("skill", skill.id, ("steps", index, "image"), step.image)


def check_showcase(check: Checker, showcase: Showcase) -> None:
    """Cross-file checks of one showcase (taxonomy values, region, skills, elders, photos)."""
    check.vocab(showcase, "showcase", "industry", "industries")
    check.vocab(showcase, "showcase", "poverty_causes", "poverty_causes")
    check.vocab(showcase, "showcase", "assistance_measures", "assistance_measures")
    check.vocab(showcase, "showcase", "activities", "activities")
    check.vocab(showcase, "showcase", "tags", "tags")
    check.vocab(showcase, "showcase", "period", "periods")
    check.region(showcase, "showcase", ("region",), showcase.region)
    check.refs(showcase, "showcase", ("skills",), "skill")
    check.refs(showcase, "showcase", ("elders",), "elder")
    for index, photo in enumerate(showcase.photos or []):
        check.file_exists("showcase", showcase.id, ("photos", index, "file"), photo.file)
    warn_implausible(check, showcase)


#: The years of each period of the taxonomy (the national campaign, then the transition).
#: A household exits within the campaign or before the story's period ends, never earlier.
PERIOD_YEARS = {"攻坚期": (2013, 2020), "过渡期": (2021, 2025)}
CAMPAIGN_START = 2013


def warn_implausible(check: Checker, showcase: Showcase) -> None:
    """W104 for key figures that are valid one by one but not together: the "after" year
    before the "before" year, income after below income before, the exit year outside the
    story's period."""
    figures = showcase.key_figures
    if figures is None or figures.income_before is None or figures.income_after is None:
        return
    before, after = figures.income_before, figures.income_after
    warnings: list[tuple[tuple[str, ...], str]] = []
    if after.year is not None and before.year is not None and after.year <= before.year:
        warnings.append(
            (
                ("income_after", "year"),
                f"帮扶后的年份 {after.year} 不晚于帮扶前的年份 {before.year}；"
                "请检查是不是把 income_before 和 income_after 写反了",
            )
        )
    if after.amount is not None and before.amount is not None and after.amount < before.amount:
        warnings.append(
            (
                ("income_after", "amount"),
                f"帮扶后的人均收入 {after.amount:g} 元低于帮扶前的 {before.amount:g} 元；"
                "请核对数字（是不是写反了，或少写了一位）",
            )
        )
    years = PERIOD_YEARS.get(showcase.period or "")
    exit_year = figures.exit_year
    if years is not None and exit_year is not None and not CAMPAIGN_START <= exit_year <= years[1]:
        bound = (
            f"晚于“{showcase.period}”的结束（{years[1]} 年）"
            if exit_year > years[1]
            else (f"早于脱贫攻坚的开始（{CAMPAIGN_START} 年）")
        )
        warnings.append((("exit_year",), f"脱贫年份 {exit_year} {bound}；请核对年份或 period"))
    for loc, message in warnings:
        path, line, col = check.at("showcase", showcase.id, ("key_figures", *loc))
        check.report.add(path, line, col, "W104", message)


def warn_unpublished(check: Checker, showcase: Showcase) -> None:
    """W103: a published showcase points at a skill or elder that is not published (no link
    appears)."""
    if showcase.status != "published":
        return
    cat = check.cat
    for field_name, kind in (("skills", "skill"), ("elders", "elder")):
        label = KINDS[kind].editor_label
        for index, ref in enumerate(getattr(showcase, field_name)):
            target: Any = cat.pool(kind).get(ref)
            if target is not None and target.status != "published":
                path, line, col = check.at("showcase", showcase.id, (field_name, index))
                check.report.add(
                    path,
                    line,
                    col,
                    "W103",
                    f"引用的{label}“{ref}”尚未发布（{target.status}），网站和小册子上不会出现这个链接",
                )
