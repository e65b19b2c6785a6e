"""The 问答 section of a booklet: each listed question as asked, its answer, who answered."""

from __future__ import annotations

from typing import Any

from .. import urls
from ..content import KINDS
from .items import Items


def render_questions(items: Items) -> list[dict[str, Any]]:
    """Template values of the booklet's questions; their printed text goes to ``items.texts``."""
    cat, elders = items.cat, items.selection.elders
    out: list[dict[str, Any]] = []
    for question in items.selection.questions:
        by = question.answered_by
        names = [elders[e].display_name for e in by.elders if e in elders]
        team = cat.teams.get(by.team) if by.team else None
        if team is not None and team.status == "published":
            names.append(team.name)
        url = urls.absolute(items.base_url, KINDS["question"].page_path(question.id))
        value = {
            "anchor": f"question-{question.id}",
            "title": question.title,
            "question": question.question,
            "answer_html": items.assets.markdown(question.answer),
            "by": "、".join(names),
            "date": question.answered.isoformat(),
            "url": url,
        }
        items.texts[f"问答“{question.title}”（content/questions/{question.id}.yaml）"] = "\n".join(
            [question.title, question.question, question.answer, value["by"]]
        )
        out.append(value)
    return out
