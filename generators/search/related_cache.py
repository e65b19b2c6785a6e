"""What related-item answers depend on, and the answer sets kept in the cache store."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

from ..cache import Store
from ..content.documents import SearchDoc
from ..models import Skill
from ..text import words_key
from .related_stats import SEP, Key

if TYPE_CHECKING:
    from ..content import Catalogue

RELATED_VERSION = "6"
"""Bump when the scoring changes (cached answers are then remade)."""
KEEP_ON_DISK = 2
"""Cached answer sets kept per project (the newest ones)."""


def doc_digest(doc: SearchDoc) -> str:
    """Hash of what an item's answers are computed from."""
    data = json.dumps(
        [doc.kind, doc.id, doc.title, doc.text, doc.tags, doc.industries], ensure_ascii=False
    )
    return hashlib.sha256(data.encode()).hexdigest()[:20]


def answers_key(words: tuple[str, ...], digests: dict[Key, str]) -> str:
    """Name of the answer set of these items (the scoring, the word list, every item)."""
    data = "\n".join(
        [RELATED_VERSION, words_key(words)]
        + [f"{k}:{i}:{d}" for (k, i), d in sorted(digests.items())]
    )
    return hashlib.sha256(data.encode()).hexdigest()[:20]


def read_answers(data: bytes | str | None) -> dict[Key, list[Key]] | None:
    """Answers from the JSON :func:`answers_json` wrote (``None`` when unreadable)."""
    if data is None:
        return None
    try:
        loaded = json.loads(data)
        return {
            (k.split(":", 1)[0], k.split(":", 1)[1]): [(a, b) for a, b in v]
            for k, v in loaded.items()
        }
    except (ValueError, TypeError, IndexError, AttributeError):
        return None


def answers_json(answers: dict[Key, list[Key]]) -> str:
    """``answers`` as the JSON :func:`read_answers` reads back."""
    payload = {f"{k}:{i}": [list(a) for a in v] for (k, i), v in sorted(answers.items())}
    return json.dumps(payload, ensure_ascii=False, sort_keys=True)


def write_answers(store: Store, key: str, answers: dict[Key, list[Key]]) -> None:
    """Keep ``answers`` as entry ``answers-<key>.json``, and only the newest few sets."""
    if store.folder is None:
        return
    name = f"answers-{key}.json"
    store.write(name, answers_json(answers))
    olds = sorted(
        store.folder.glob("answers-*.json"), key=lambda p: p.stat().st_mtime, reverse=True
    )
    for old in [p for p in olds if p.name != name][KEEP_ON_DISK - 1 :]:
        old.unlink(missing_ok=True)


def fingerprints(cat: Catalogue) -> dict[Key, str]:
    """What each published item's document is made from, cheaply: its source files' digest
    and the names of the elders it cites (the live preview compares these between rebuilds)."""
    out: dict[Key, str] = {}
    for kind, records in (
        ("skill", cat.published_skills()),
        ("showcase", cat.published_showcases("web")),
    ):
        for record in records:
            source = cat.sources.get((kind, record.id))
            refs = record.authors if isinstance(record, Skill) else record.elders
            names = SEP.join(cat.elders[e].display_name for e in refs if e in cat.elders)
            out[(kind, record.id)] = f"{source.digest if source else ''}{SEP}{names}"
    return out
