"""Searchable documents of answered questions, consultation teams and current notices."""

from __future__ import annotations

from ..models import Notice, Question, Region, Team
from ..text import normalise, strip_markdown
from .consultation import is_current, published_notices, published_questions, published_teams, today
from .doc_parts import SearchDoc, join_text, region_names
from .records import Catalogue


def question_doc(cat: Catalogue, question: Question) -> SearchDoc:
    """A question: how it was asked, its answer, who answered, its skills."""
    conv = cat.converter
    by = question.answered_by
    team = cat.teams.get(by.team) if by.team else None
    text = join_text(
        question.question,
        strip_markdown(question.answer),
        [cat.elders[e].display_name for e in by.elders if e in cat.elders],
        team.name if team is not None else None,
        [cat.skills[s].title for s in question.skills if s in cat.skills],
        question.industry,
        question.region.label(),
        question.tags,
    )
    return SearchDoc(
        id=question.id,
        kind="question",
        title=question.title,
        text=text,
        industries=[normalise(question.industry, conv)],
        regions=region_names(cat, question.region),
        region_label=question.region.label(),
        tags=[normalise(t, conv) for t in question.tags],
        status=question.status,
        record=question,
    )


def team_doc(cat: Catalogue, team: Team) -> SearchDoc:
    """A team: its expertise, members, area, schedule and contact."""
    conv = cat.converter
    area = team.area
    region = Region(province=area.province, county=area.county)
    skills = [cat.skills[s] for s in team.skills if s in cat.skills]
    text = join_text(
        team.intro,
        team.expertise,
        [cat.elders[e].display_name for e in team.elders if e in cat.elders],
        [t.role for t in team.technicians],
        region.label(),
        area.townships,
        team.schedule,
        team.contact.name,
        team.contact.how,
        [s.title for s in skills],
    )
    return SearchDoc(
        id=team.id,
        kind="team",
        title=team.name,
        text=text,
        industries=sorted({normalise(s.category, conv) for s in skills}),
        regions=region_names(cat, region) + [normalise(t, conv) for t in area.townships],
        region_label=region.label(),
        tags=[normalise(t, conv) for t in team.expertise],
        status=team.status,
        record=team,
    )


def notice_doc(cat: Catalogue, notice: Notice) -> SearchDoc:
    """A notice: its summary and the fields of its sort."""
    training, market, technique = notice.training, notice.market, notice.technique
    text = join_text(
        notice.sort,
        notice.summary,
        strip_markdown(notice.details) if notice.details else None,
        [training.topic, training.place, training.organiser, training.audience, training.signup]
        if training is not None
        else None,
        [market.product, market.market, market.source or ""] if market is not None else None,
        [technique.what, technique.tried_at] if technique is not None else None,
        notice.region.label(),
    )
    return SearchDoc(
        id=notice.id,
        kind="notice",
        title=notice.title,
        text=text,
        regions=region_names(cat, notice.region),
        region_label=notice.region.label(),
        tags=[normalise(notice.sort, cat.converter)],
        status=notice.status,
        record=notice,
    )


def consultation_documents(cat: Catalogue, kinds: tuple[str, ...]) -> list[SearchDoc]:
    """Documents of the published questions, teams and current notices (by id) among
    ``kinds``; expired notices stay out of search as they stay out of the lists."""
    docs: list[SearchDoc] = []
    if "question" in kinds:
        questions = sorted(published_questions(cat, "web"), key=lambda q: q.id)
        docs.extend(question_doc(cat, q) for q in questions)
    if "team" in kinds:
        docs.extend(team_doc(cat, t) for t in published_teams(cat))
    if "notice" in kinds:
        on = today()
        current = sorted(
            (n for n in published_notices(cat) if is_current(n, on)), key=lambda n: n.id
        )
        docs.extend(notice_doc(cat, n) for n in current)
    return docs
