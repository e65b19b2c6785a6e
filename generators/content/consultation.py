"""The consultation and information lines: which answered questions, teams and notices are
published, which notices are current, and the date they are judged by."""

from __future__ import annotations

import datetime as dt
import os

from ..models import Notice, Question, Team
from ..scripts import fold
from .records import Catalogue

#: The three sorts of notice (Simplified; a Traditional spelling folds to the same).
NOTICE_SORTS = ("培训", "行情", "新技术")
#: Each sort's section of a notice record.
SORT_FIELDS = {"培训": "training", "行情": "market", "新技术": "technique"}


def today() -> dt.date:
    """The date notices and reviews are judged by: SOURCE_DATE_EPOCH (UTC) when set, so that
    builds and tests of the same content agree, else today."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if value.isdigit():
        return dt.datetime.fromtimestamp(int(value), tz=dt.UTC).date()
    return dt.date.today()


def sort_of(value: str) -> str | None:
    """The Simplified name of a notice sort written in either script (None: not a sort)."""
    folded = fold(value)
    return next((s for s in NOTICE_SORTS if fold(s) == folded), None)


def is_current(notice: Notice, on: dt.date) -> bool:
    """A notice is current from its publish date until its expiry date, both included."""
    return notice.published <= on <= notice.expires


def published_questions(cat: Catalogue, channel: str = "web") -> list[Question]:
    """Published questions, newest answer first; one retelling a household needs consent
    covering ``channel``."""
    out = [
        q
        for q in cat.questions.values()
        if q.status == "published"
        and (not q.retells_household or (q.consent is not None and channel in q.consent.scope))
    ]
    return sorted(out, key=lambda q: (-q.answered.toordinal(), q.id))


def published_teams(cat: Catalogue) -> list[Team]:
    """Published teams, by id."""
    return sorted((t for t in cat.teams.values() if t.status == "published"), key=lambda t: t.id)


def published_notices(cat: Catalogue) -> list[Notice]:
    """Published notices, newest first (current and expired)."""
    out = [n for n in cat.notices.values() if n.status == "published"]
    return sorted(out, key=lambda n: (-n.published.toordinal(), n.id))
