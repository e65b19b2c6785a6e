"""“相关内容”: skills and stories like the one on the page (whoosh more-like-this).

The site generator asks for every skill and story page, so the index is built once per
catalogue in memory and kept while the catalogue lives and its content does not change.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from whoosh.query import Or, Query, Term

from ..models import Showcase, Skill
from .documents import published_documents, showcase_doc, skill_doc
from .index import fingerprint, memory_index
from .text import normalise, protected_extras

if TYPE_CHECKING:
    from whoosh.index import Index

    from ..catalogue import Catalogue

KEY_TERMS = 20
"""How many characteristic words of the page to look for in the others."""
TAG_BOOST = 2.0
INDUSTRY_BOOST = 1.0


@dataclass
class _Related:
    ref: weakref.ReferenceType[Any]
    fingerprint: str
    index: Index
    searcher: Any
    answers: dict[tuple[str, str, int], list[tuple[str, str]]]


_cache: dict[int, _Related] = {}
_lock = threading.Lock()


def _related_index(cat: Catalogue) -> _Related:
    key = id(cat)
    want = fingerprint(cat)
    with _lock:
        entry = _cache.get(key)
        if entry is not None and entry.ref() is cat and entry.fingerprint == want:
            return entry
        if entry is not None:
            entry.searcher.close()
        for stale in [k for k, v in _cache.items() if v.ref() is None]:
            _cache.pop(stale).searcher.close()
        ix = memory_index(cat, published_documents(cat, ("skill", "showcase")))
        entry = _Related(weakref.ref(cat), want, ix, ix.searcher(), {})
        _cache[key] = entry
        return entry


def related_items(
    cat: Catalogue, record: Skill | Showcase, limit: int = 5
) -> list[Skill | Showcase]:
    """Up to ``limit`` published skills and web-consented stories most like ``record``.

    Never ``record`` itself, never anything unpublished; the same answer every time.
    """
    if limit <= 0:
        return []
    entry = _related_index(cat)
    key = (record.kind, record.id, limit)
    if key not in entry.answers:
        entry.answers[key] = _compute(cat, entry, record, limit)
    out: list[Skill | Showcase] = []
    for kind, ident in entry.answers[key]:
        item = cat.skills.get(ident) if kind == "skill" else cat.showcases.get(ident)
        if item is not None:
            out.append(item)
    return out


def _compute(
    cat: Catalogue, entry: _Related, record: Skill | Showcase, limit: int
) -> list[tuple[str, str]]:
    searcher = entry.searcher
    doc = skill_doc(cat, record) if isinstance(record, Skill) else showcase_doc(cat, record)
    conv = cat.converter
    text = normalise(doc.title + "\n" + doc.text, conv)
    extras = protected_extras(doc.title + "\n" + doc.text, conv)
    if extras:
        text += "\n" + "\n".join(extras)
    key_terms = searcher.key_terms_from_text("body", text, numterms=KEY_TERMS, normalize=True)
    parts: list[Query] = [Term("body", word, boost=float(weight)) for word, weight in key_terms]
    parts += [Term("tags", tag, boost=TAG_BOOST) for tag in doc.tags]
    parts += [Term("industry", ind, boost=INDUSTRY_BOOST) for ind in doc.industries]
    if not parts:
        return []
    # a few spare hits cover the item itself; scoring every document would make this O(N) per call
    results = searcher.search(Or(parts), limit=limit + 5)
    scored: list[tuple[float, str, str]] = []
    for hit in results:
        fields = hit.fields()
        if fields["kind"] == doc.kind and fields["id"] == doc.id:
            continue
        scored.append((round(float(hit.score), 6), fields["kind"], fields["id"]))
    scored.sort(key=lambda t: (-t[0], t[1], t[2]))
    return [(kind, ident) for _score, kind, ident in scored[:limit]]


def clear_cache() -> None:
    """Forget every in-memory index (tests)."""
    with _lock:
        for entry in _cache.values():
            entry.searcher.close()
        _cache.clear()


__all__ = ["related_items", "clear_cache"]
