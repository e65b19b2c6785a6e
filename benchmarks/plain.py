"""The baseline: the same pages as plain Markdown, built by stock mkdocs-material.

One page per published skill, story and elder (title, summary, the structured fields as
Markdown lists and tables, the body, the photos), the general pages, and paginated link
lists for the main sections and for every facet value (industry, cause, measure, activity,
tag, province, county) — 20 links a page, like the real site. Same theme, a four-entry nav
(``navigation.prune``), built-in search off, no plugins. Two copies: Simplified and
Traditional (converted with OpenCC here, so conversion is not part of the baseline's time).
"""

from __future__ import annotations

import os
import shutil
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

MKDOCS_YML = """\
site_name: {name}
site_url: https://plain.example.org/
docs_dir: {docs}
site_dir: {site}
use_directory_urls: true
theme:
  name: material
  language: {language}
  font: false
  features:
    - navigation.prune
plugins: []
markdown_extensions:
  - tables
validation:
  nav:
    omitted_files: ignore
  links:
    unrecognized_links: ignore
nav:
  - 首页: index.md
  - 技能教程: skills/index.md
  - 典型案例: stories/index.md
  - 五老: elders/index.md
"""


def _link_file(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        return
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _table(rows: Iterable[Iterable[Any]], head: list[str]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _bullets(items: Iterable[Any]) -> str:
    return "\n".join(f"- {item}" for item in items)


def _list_pages(
    pages: dict[str, str], base: str, title: str, entries: list[tuple[str, str, str]], per_page: int
) -> None:
    chunks = [entries[i : i + per_page] for i in range(0, len(entries), per_page)] or [[]]
    for number, chunk in enumerate(chunks, start=1):
        src = f"{base}/index.md" if number == 1 else f"{base}/page/{number}.md"
        depth = src.count("/")
        up = "../" * depth
        lines = [f"# {title}" + (f"（第 {number} 页）" if number > 1 else ""), ""]
        for target, label, summary in chunk:
            lines.append(f"- [{label}]({up}{target}) — {summary}")
        nav = []
        if number > 1:
            prev = f"{base}/index.md" if number == 2 else f"{base}/page/{number - 1}.md"
            nav.append(f"[上一页]({up}{prev})")
        if number < len(chunks):
            nav.append(f"[下一页]({up}{base}/page/{number + 1}.md)")
        if nav:
            lines += ["", " · ".join(nav)]
        pages[src] = "\n".join(lines) + "\n"


def write_plain(cat: Any, out: Path, per_page: int = 20) -> dict[str, Any]:
    """Write ``out/docs-hans``, ``out/docs-hant`` and two mkdocs configs; return counts."""
    from generators.content import KINDS

    shutil.rmtree(out, ignore_errors=True)
    pages: dict[str, str] = {}
    media: dict[str, Path] = {}
    facets: dict[tuple[str, str], list[tuple[str, str, str]]] = defaultdict(list)

    skills = sorted(cat.published_skills(), key=lambda s: s.id)
    shows = sorted(cat.published_showcases("web"), key=lambda s: s.id)
    elders = sorted(cat.published_elders("web"), key=lambda e: e.id)

    for skill in skills:
        src = KINDS["skill"].page_src(skill.id)
        folder = cat.folder(skill)
        parts = [
            f"# {skill.title}",
            f"> {skill.summary}",
            "## 解决什么问题",
            skill.problem,
            "## 适合地区",
            "、".join(skill.suitable_regions),
            f"气候：{skill.climate}",
        ]
        if skill.soil:
            parts.append(f"场地：{skill.soil}")
        parts += [
            "## 农事历",
            _table(
                ((c.from_month, c.to_month, c.task) for c in skill.calendar),
                ["开始", "结束", "农事"],
            ),
        ]
        parts += [
            "## 材料和工具",
            _table(
                ((m.name, m.quantity, m.unit, m.price) for m in skill.materials),
                ["名称", "数量", "单位", "单价"],
            ),
        ]
        ret = skill.expected_return
        parts += [
            "## 投入和收益",
            _bullets(
                [
                    f"起步投入：{skill.cost.setup} 元",
                    f"每{skill.cost.cycle}投入：{skill.cost.per_cycle} 元",
                    f"产量：{ret.yield_}",
                    f"售价：{ret.price}",
                    f"净收入：{ret.net} 元",
                    f"回本：{ret.payback_months} 个月",
                    f"前提：{ret.assumptions}",
                ]
            ),
        ]
        parts.append("## 操作步骤")
        for number, step in enumerate(skill.steps, start=1):
            parts.append(f"{number}. {step.text}")
            if step.image:
                name = f"{skill.id}-{Path(step.image).name}"
                media[name] = folder / step.image
                parts.append(f"    ![{skill.title}](../media/{name})")
            if step.caution:
                parts.append(f"    注意：{step.caution}")
        if skill.safety:
            parts += ["## 安全", _bullets(skill.safety)]
        if skill.mistakes:
            parts += ["## 常见错误", _bullets(f"{m.mistake} —— {m.fix}" for m in skill.mistakes)]
        if skill.where_to_sell:
            parts += ["## 卖到哪里", _bullets(skill.where_to_sell)]
        body = cat.body(skill)
        body = body.replace("](images/", f"](../media/{skill.id}-")
        parts += ["## 详细说明", body]
        pages[src] = "\n\n".join(parts) + "\n"
        entry = (src, skill.title, skill.summary)
        facets[("industry", skill.category)].append(entry)
        for value in skill.tags:
            facets[("tag", value)].append(entry)
        for value in skill.poverty_causes:
            facets[("cause", value)].append(entry)
        for value in skill.suitable_regions:
            facets[("region", value)].append(entry)

    for show in shows:
        src = KINDS["showcase"].page_src(show.id)
        folder = cat.folder(show)
        kf = show.key_figures
        parts = [
            f"# {show.title}",
            f"> {show.summary}",
            _table(
                [
                    ("地区", show.region.label()),
                    ("产业", show.industry),
                    (
                        "帮扶前人均纯收入",
                        f"{kf.income_before.amount} 元（{kf.income_before.year} 年）",
                    ),
                    (
                        "帮扶后人均纯收入",
                        f"{kf.income_after.amount} 元（{kf.income_after.year} 年）",
                    ),
                    ("脱贫年份", kf.exit_year),
                ],
                ["项目", "内容"],
            ),
        ]
        for photo in show.photos:
            name = f"{show.id}-{Path(photo.file).name}"
            media[name] = folder / photo.file
            parts.append(f"![{photo.caption}](../media/{name})")
        parts += [cat.body(show), "## 照着做需要的条件", _bullets(show.replicability)]
        pages[src] = "\n\n".join(parts) + "\n"
        entry = (src, show.title, show.summary)
        facets[("industry", show.industry)].append(entry)
        for name, values in (
            ("cause", show.poverty_causes),
            ("measure", show.assistance_measures),
            ("activity", show.activities),
            ("tag", show.tags),
        ):
            for value in values:
                facets[(name, value)].append(entry)
        facets[("region", show.region.province)].append(entry)
        if show.region.county:
            facets[("region", show.region.province + "/" + show.region.county)].append(entry)

    for elder in elders:
        src = KINDS["elder"].page_src(elder.id)
        pages[src] = (
            "\n\n".join(
                [
                    f"# {elder.display_name}",
                    f"> {'、'.join(elder.expertise)}",
                    elder.bio,
                    _bullets(
                        [
                            f"单位：{elder.unit}",
                            f"地区：{elder.region.label()}",
                            f"联系：{elder.contact.name}",
                            elder.contact.how,
                        ]
                    ),
                ]
            )
            + "\n"
        )

    _list_pages(
        pages,
        "skills",
        "技能教程",
        [(KINDS["skill"].page_src(s.id), s.title, s.summary) for s in skills],
        per_page,
    )
    _list_pages(
        pages,
        "stories",
        "典型案例",
        [(KINDS["showcase"].page_src(s.id), s.title, s.summary) for s in shows],
        per_page,
    )
    _list_pages(
        pages,
        "elders",
        "五老",
        [(KINDS["elder"].page_src(e.id), e.display_name, "、".join(e.expertise)) for e in elders],
        per_page,
    )
    for number, ((facet, value), entries) in enumerate(sorted(facets.items())):
        _list_pages(pages, f"browse/{facet}-{number}", value, entries, per_page)
    for page in cat.pages.values():
        pages[f"pages/{page.slug}.md"] = f"# {page.title}\n\n{page.body}\n"
    pages["index.md"] = (
        "# 一盏灯\n\n"
        + _bullets(
            [
                "[技能教程](skills/index.md)",
                "[典型案例](stories/index.md)",
                "[五老](elders/index.md)",
            ]
        )
        + "\n"
    )

    convert = cat.converter
    for script in ("hans", "hant"):
        docs = out / f"docs-{script}"
        for src, text in pages.items():
            path = docs / src
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(convert.convert(text, script), encoding="utf-8")
        for name, source in media.items():
            _link_file(source, docs / "media" / name)
        (out / f"mkdocs-{script}.yml").write_text(
            convert.convert(
                MKDOCS_YML.format(
                    name="一盏灯（对照组）",
                    docs=f"docs-{script}",
                    site=f"site-{script}",
                    language="zh-Hant" if script == "hant" else "zh",
                ),
                script,
            ),
            encoding="utf-8",
        )
    return {"pages": len(pages), "media": len(media)}
