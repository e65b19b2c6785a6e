"""The consultation line's pages: each answered question, its lists (newest, per industry,
per skill), each consultation team and their list; links from skills, elders and 找老师."""

from __future__ import annotations

import hashlib
import pickle
from typing import Any

from .. import urls
from ..content import KINDS
from ..content.consultation import published_questions, published_teams
from ..models import Question, Team
from .planner import Planner
from .render import markdown_html
from .structure import Entry, PageSpec

QUESTIONS = "questions"
TEAMS = "teams"
#: Data the consultation and notice pages add to pages planned elsewhere.
ANNOTATIONS = (
    "questions",
    "questions_src",
    "questions_total",
    "teams",
    "teams_src",
    "share",
    "notices",
    "notices_src",
)


def annotate(spec: PageSpec, extra: dict[str, Any]) -> None:
    """Add ``extra`` to a page planned elsewhere; its live-preview fingerprint then covers
    the added data too (else an edited question would leave its skill page stale)."""
    spec.context.update(extra)
    if spec.key:
        added = {k: spec.context[k] for k in ANNOTATIONS if k in spec.context}
        digest = hashlib.blake2b(pickle.dumps(added, protocol=5), digest_size=8).hexdigest()
        spec.key = spec.key.split("+", 1)[0] + "+" + digest


def question_entry(question: Question) -> Entry:
    """The list line of a question: its title, how it was asked, where and when."""
    asked = question.question if len(question.question) <= 40 else question.question[:39] + "…"
    return Entry(
        KINDS["question"].page_src(question.id),
        question.title,
        asked,
        "question",
        f"{question.industry} · {question.region.label()} · {question.answered} 解答",
    )


def team_entry(team: Team) -> Entry:
    """The list line of a team: its name, what it answers, where it serves."""
    area = team.area
    return Entry(
        KINDS["team"].page_src(team.id),
        team.name,
        "、".join(team.expertise),
        "team",
        f"{area.province}{area.county}"
        + (f"：{'、'.join(area.townships)}" if area.townships else ""),
    )


def add_consultation_pages(p: Planner) -> None:
    """Plan the question and team pages and lists; add their links to skill, elder, list pages."""
    questions = published_questions(p.cat, "web")
    teams = [t for t in published_teams(p.cat)]
    team_ids = {t.id for t in teams}
    for question in questions:
        _add_question_page(p, question, team_ids)
    for team in teams:
        _add_team_page(p, team, [q for q in questions if q.answered_by.team == team.id])
    _add_question_lists(p, questions)
    p.add_list(
        TEAMS,
        "咨询服务团",
        "consult_list.html",
        [team_entry(t) for t in teams],
        intro="五老和年轻技术员组成的咨询服务团：定期坐诊、上门巡回，也可以通过公开热线或群里提问。",
        chip_groups=[],
    )
    _link_from_other_pages(p, questions, teams)


def _add_question_page(p: Planner, question: Question, team_ids: set[str]) -> None:
    src = KINDS["question"].page_src(question.id)
    by = question.answered_by
    team = p.cat.teams[by.team] if by.team in team_ids and by.team is not None else None
    context = {
        "question": question,
        "answer": markdown_html(question.answer),
        "elders": [p.entry(p.cat.elders[e]) for e in by.elders if e in p.elder_ids],
        "team": team_entry(team) if team is not None else None,
        "skills": [p.entry(p.cat.skills[s]) for s in question.skills if s in p.skill_ids],
        "industry_src": urls.list_src(f"{QUESTIONS}/industry/{urls.slug(question.industry)}", 1),
        "qr": p.qr(src),
        "public_url": p.public_url(src),
        "kind_label": KINDS["question"].reader_label,
        "region_meta": question.region.label(),
    }
    what = f"问答“{question.title}”（content/questions/{question.id}.yaml）"
    p.add(PageSpec(src, "question.html", question.title, what, context))


def _add_team_page(p: Planner, team: Team, answered: list[Question]) -> None:
    src = KINDS["team"].page_src(team.id)
    qr_image = None
    if team.contact.qr_image:
        folder = p.cat.root / KINDS["team"].folder
        what_qr = f"咨询服务团“{team.name}”的群二维码"
        qr_image = p.media.picture(what_qr, folder, team.contact.qr_image, "入群二维码")
    area = team.area
    context = {
        "team": team,
        "elders": [p.entry(p.cat.elders[e]) for e in team.elders if e in p.elder_ids],
        "skills": [p.entry(p.cat.skills[s]) for s in team.skills if s in p.skill_ids],
        "questions": [question_entry(q) for q in answered],
        "region_links": p.region_links(area.province, area.county),
        "qr_image": qr_image,
        "public_url": p.public_url(src),
        "kind_label": KINDS["team"].reader_label,
        "region_meta": f"{area.province}{area.county}",
    }
    what = f"咨询服务团“{team.name}”（content/teams/{team.id}.yaml）"
    p.add(PageSpec(src, "team.html", team.name, what, context))


def _add_question_lists(p: Planner, questions: list[Question]) -> None:
    """最新解答 (all, newest first), one list per industry and one per skill."""
    by_industry: dict[str, list[Question]] = {}
    by_skill: dict[str, list[Question]] = {}
    for question in questions:
        by_industry.setdefault(question.industry, []).append(question)
        for skill_id in dict.fromkeys(question.skills):
            if skill_id in p.skill_ids:
                by_skill.setdefault(skill_id, []).append(question)
    industries = [
        (f"{name}（{len(by_industry[name])}）", _industry_src(name))
        for name in p.cat.taxonomy.industries
        if name in by_industry
    ]
    skills = [
        (f"{p.cat.skills[s].title}（{len(qs)}）", _skill_src(s))
        for s, qs in sorted(by_skill.items())
    ]
    groups = [("按产业", industries), ("按技能", skills)]
    crumbs = [("问答", urls.list_src(QUESTIONS, 1))]
    p.add_list(
        QUESTIONS,
        "问答：最新解答",
        "consult_list.html",
        [question_entry(q) for q in questions],
        intro="农户问过的问题和五老、咨询服务团的解答，最新的在前面。找不到自己的问题，可以向咨询服务团提问。",
        chip_groups=groups,
        more=[("咨询服务团", urls.list_src(TEAMS, 1))],
    )
    for name, members in by_industry.items():
        p.add_list(
            f"{QUESTIONS}/industry/{urls.slug(name)}",
            f"问答：{name}",
            "consult_list.html",
            [question_entry(q) for q in members],
            crumbs=crumbs,
            chip_groups=groups,
        )
    for skill_id, members in by_skill.items():
        p.add_list(
            f"{QUESTIONS}/skill/{skill_id}",
            f"常见问题：{p.cat.skills[skill_id].title}",
            "consult_list.html",
            [question_entry(q) for q in members],
            crumbs=crumbs,
            chip_groups=groups,
        )


def _industry_src(name: str) -> str:
    return urls.list_src(f"{QUESTIONS}/industry/{urls.slug(name)}", 1)


def _skill_src(skill_id: str) -> str:
    return urls.list_src(f"{QUESTIONS}/skill/{skill_id}", 1)


def _link_from_other_pages(p: Planner, questions: list[Question], teams: list[Team]) -> None:
    """常见问题 and 咨询服务团 on skill pages, 服务团 and 解答 on elder pages, teams on 找老师."""
    skill_src = {KINDS["skill"].page_src(s.id): s.id for s in p.skills}
    elder_src = {KINDS["elder"].page_src(e.id): e.id for e in p.elders}
    elders_list = urls.list_src("elders", 1)
    for spec in p.pages:
        extra: dict[str, Any] | None = None
        if spec.src in skill_src:
            ident = skill_src[spec.src]
            asked = [q for q in questions if ident in q.skills]
            extra = {
                "questions": [question_entry(q) for q in asked[:5]],
                "questions_src": _skill_src(ident) if asked else None,
                "questions_total": len(asked),
                "teams": [team_entry(t) for t in teams if ident in t.skills],
            }
        elif spec.src in elder_src:
            ident = elder_src[spec.src]
            extra = {
                "teams": [team_entry(t) for t in teams if ident in t.elders],
                "questions": [
                    question_entry(q) for q in questions if ident in q.answered_by.elders
                ],
            }
        elif spec.src == elders_list:
            extra = {"teams": [team_entry(t) for t in teams], "teams_src": urls.list_src(TEAMS, 1)}
        if extra is not None:
            annotate(spec, extra)
