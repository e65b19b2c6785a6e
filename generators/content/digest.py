"""What is new since a date, and the ready-to-paste group message of each item.

Editors post these into the villages' WeChat/QQ groups, where link cards are unreliable: a
message is the title, two short lines and the page's address, in the chosen script. An
item's date is when it became news: a notice's publish date, an answer's date, a story's
consent date (it could not be published before), a tutorial's field-validation date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .. import urls
from ..models import Notice, Question, Showcase
from ..text import strip_markdown
from .consultation import is_current, published_notices, published_questions, today
from .kinds import KINDS
from .records import Catalogue

#: At most this many characters in one line of a message (a phone shows it unbroken).
LINE_LIMIT = 60
#: The kinds a digest names, in the order it prints them.
DIGEST_KINDS = ("notice", "question", "showcase", "skill")


@dataclass(frozen=True)
class NewItem:
    """One published item with the date it became news."""

    kind: str
    """Its kind (``notice``, ``question``, ``showcase``, ``skill``)."""
    ident: str
    """Its id."""
    date: dt.date
    """When it became news."""
    title: str
    """Its title (original script)."""
    lines: tuple[str, str]
    """The two lines under the title (original script)."""

    @property
    def path(self) -> str:
        """Its page relative to a script's site root."""
        return KINDS[self.kind].page_path(self.ident)


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= LINE_LIMIT else text[: LINE_LIMIT - 1] + "…"


def _notice_lines(notice: Notice) -> tuple[str, str]:
    if notice.training is not None:
        t = notice.training
        return notice.summary, f"{t.date.isoformat()} {t.time}，{t.place}"
    if notice.market is not None:
        m = notice.market
        price = f"{m.price_low:g}–{m.price_high:g} 元/{m.unit}"
        when = m.date.isoformat() if m.date else ""
        return notice.summary, f"{m.product}：{price}（{when}，{m.source or ''}）"
    tried = notice.technique.tried_at if notice.technique is not None else ""
    return notice.summary, f"试过的地方：{tried}"


def _question_lines(question: Question) -> tuple[str, str]:
    answer = strip_markdown(question.answer).split("\n")[0]
    return f"问：{question.question}", f"答：{answer}"


def _items(cat: Catalogue, on: dt.date) -> list[NewItem]:
    found: list[NewItem] = []
    for notice in published_notices(cat):
        if is_current(notice, on):
            lines = _notice_lines(notice)
            title = f"【{notice.sort}】{notice.title}"
            found.append(NewItem("notice", notice.id, notice.published, title, lines))
    for question in published_questions(cat, "web"):
        lines = _question_lines(question)
        found.append(NewItem("question", question.id, question.answered, question.title, lines))
    for story in cat.published_showcases("web"):
        assert story.consent is not None
        found.append(_story_item(story))
    for skill in cat.published_skills():
        lines = (skill.summary, f"{skill.category} · 适合：{'、'.join(skill.suitable_regions)}")
        found.append(NewItem("skill", skill.id, skill.validated_by.date, skill.title, lines))
    return found


def _story_item(story: Showcase) -> NewItem:
    assert story.consent is not None
    lines = (story.summary, f"{story.region.label()} · {story.industry}")
    return NewItem("showcase", story.id, story.consent.signed, story.title, lines)


def new_items(cat: Catalogue, since: dt.date, on: dt.date | None = None) -> list[NewItem]:
    """Items that became news on or after ``since`` (current notices only, as of ``on``):
    notices first, then answers, stories and tutorials, newest first within each."""
    on = on or today()
    order = {kind: index for index, kind in enumerate(DIGEST_KINDS)}
    chosen = [item for item in _items(cat, on) if item.date >= since]
    return sorted(chosen, key=lambda i: (order[i.kind], -i.date.toordinal(), i.ident))


def group_message(cat: Catalogue, item: NewItem, base_url: str, script: str = "hans") -> str:
    """The ready-to-paste message of one item: title, two lines, link, in ``script``."""
    label = KINDS[item.kind].reader_label
    title = item.title if item.kind == "notice" else f"【{label}】{item.title}"
    text = "\n".join([title, _clip(item.lines[0]), _clip(item.lines[1])])
    text = cat.converter.hant(text) if script == "hant" else cat.converter.hans(text)
    prefix = "zh-hant/" if script == "hant" else ""
    link = urls.absolute(base_url, prefix + item.path)
    more = "詳情" if script == "hant" else "详情"
    return f"{text}\n{more}：{link}"


def digest(cat: Catalogue, since: dt.date, base_url: str, script: str = "hans") -> str:
    """Every group message of what is new since ``since``, under one heading."""
    items = new_items(cat, since)
    heading = f"一盏灯：{since.isoformat()} 以来的新内容（共 {len(items)} 条）"
    parts: list[Any] = [cat.converter.hant(heading) if script == "hant" else heading]
    parts.extend(group_message(cat, item, base_url, script) for item in items)
    return "\n\n".join(parts) + "\n"


__all__ = ["NewItem", "digest", "group_message", "new_items"]
