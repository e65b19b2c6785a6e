"""Which showcases and skills go into a booklet, and the refusal rules.

Explicitly listed items must be publishable in print: a showcase needs ``status: published``
and a consent whose scope includes ``print``; a skill needs ``status: published``. When a
booklet lists an item that is not, the whole booklet is refused (nothing is written), with
a Chinese message naming the item. Items picked by ``filter`` are silently limited to the
publishable ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..content import Catalogue
from ..content.booklet_selection import matches_showcase, matches_skill
from ..content.consultation import published_questions
from ..models import Booklet, Elder, Question, Showcase, Skill
from ..scripts import fold


class BookletRefused(Exception):
    """A booklet that must not be printed; the message is Chinese and names the item."""


@dataclass
class Selection:
    """The items of one booklet, in order."""

    showcases: list[Showcase]
    """The stories, in booklet order."""
    skills: list[Skill]
    """The tutorials, in booklet order."""
    elders: dict[str, Elder]
    """Elders that may appear in print (published, print consent), by id."""
    notes: list[str] = field(default_factory=list)
    """Chinese remarks for the preflight report (things left out on purpose)."""
    questions: list[Question] = field(default_factory=list)
    """The answered questions of the 问答 section, in booklet order."""


def _region_key(item: Showcase | Skill) -> str:
    if isinstance(item, Showcase):
        return fold(item.region.label())
    return fold("".join(item.suitable_regions))


def select(cat: Catalogue, booklet: Booklet) -> Selection:
    """The booklet's items; raises :class:`BookletRefused` for unprintable listed items."""
    name = f"小册子“{booklet.title}”（{booklet.id}）"
    where = f"content/booklets/{booklet.id}.yaml"
    printable_shows = {s.id: s for s in cat.published_showcases("print")}
    printable_skills = {s.id: s for s in cat.published_skills()}

    showcases: list[Showcase] = []
    for ident in booklet.showcases:
        show = cat.showcases.get(ident)
        if show is None:
            raise BookletRefused(
                f"{name}无法生成：找不到典型案例“{ident}”；请检查 {where} 中的 showcases"
            )
        if ident not in printable_shows:
            if show.status != "published":
                why = f"状态是“{show.status}”，还没有发布"
            elif show.consent is None:
                why = "没有农户的发布同意记录"
            else:
                why = "农户的同意书只同意网上发布，没有同意印刷（consent.scope 里没有 print）"
            raise BookletRefused(
                f"{name}无法生成：典型案例“{show.title}”（{ident}）{why}。"
                f"请先取得印刷发布同意并发布，或从 {where} 的 showcases 中删去它"
            )
        showcases.append(show)
    skills: list[Skill] = []
    for ident in booklet.skills:
        skill = cat.skills.get(ident)
        if skill is None:
            raise BookletRefused(
                f"{name}无法生成：找不到技能教程“{ident}”；请检查 {where} 中的 skills"
            )
        if ident not in printable_skills:
            raise BookletRefused(
                f"{name}无法生成：技能教程“{skill.title}”（{ident}）状态是“{skill.status}”，还没有发布。"
                f"请先发布，或从 {where} 的 skills 中删去它"
            )
        skills.append(skill)

    if booklet.filter is not None:
        for show in printable_shows.values():
            if show not in showcases and matches_showcase(show, booklet):
                showcases.append(show)
        for skill in printable_skills.values():
            if skill not in skills and matches_skill(skill, booklet):
                skills.append(skill)

    if booklet.order == "title":
        showcases.sort(key=lambda s: fold(s.title))
        skills.sort(key=lambda s: fold(s.title))
    elif booklet.order == "region":
        showcases.sort(key=lambda s: (_region_key(s), fold(s.title)))
        skills.sort(key=lambda s: (_region_key(s), fold(s.title)))
    elif booklet.filter is not None:
        # Listed items first in their order; filtered ones after them, by id (stable).
        listed_s = len(booklet.showcases)
        showcases[listed_s:] = sorted(showcases[listed_s:], key=lambda s: s.id)
        listed_k = len(booklet.skills)
        skills[listed_k:] = sorted(skills[listed_k:], key=lambda s: s.id)

    if not showcases and not skills:
        raise BookletRefused(
            f"{name}无法生成：按清单和筛选条件没有选到任何已发布、可印刷的内容；请检查 {where}"
        )

    elders = {e.id: e for e in cat.published_elders("print")}
    notes: list[str] = []
    for show in showcases:
        for ident in show.elders:
            if ident not in elders:
                notes.append(f"典型案例“{show.title}”中的五老“{ident}”没有印刷发布同意，未印出")
        for photo in show.photos:
            if not photo.consent_ref:
                notes.append(f"典型案例“{show.title}”的照片 {photo.file} 没有人物同意编号，未印出")
    return Selection(showcases, skills, elders, notes, _select_questions(cat, booklet, name, where))


def _select_questions(cat: Catalogue, booklet: Booklet, name: str, where: str) -> list[Question]:
    """The listed questions; one not published, or retelling a household without print
    consent, refuses the booklet."""
    printable = {q.id: q for q in published_questions(cat, "print")}
    chosen: list[Question] = []
    for ident in booklet.questions:
        question = cat.questions.get(ident)
        if question is None:
            raise BookletRefused(
                f"{name}无法生成：找不到问答“{ident}”；请检查 {where} 中的 questions"
            )
        if ident not in printable:
            raise BookletRefused(
                f"{name}无法生成：问答“{question.title}”（{ident}）还不能印刷"
                "（没有发布，或讲到的农户没有同意印刷）。"
                f"请先发布并取得印刷同意，或从 {where} 的 questions 中删去它"
            )
        chosen.append(question)
    return chosen
