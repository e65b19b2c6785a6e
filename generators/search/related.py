"""“相关内容”: skills and stories like the one on the page (more-like-this).

A :class:`RelatedIndex` answers for every published skill and story of one project (see
:mod:`.related_stats` for the scoring). The word cuts and the answers are cached in its
store (``<root>/.lamplight-cache/related/``), keyed by everything they depend on, so a
rebuild of unchanged content reads the answers back and an edit re-cuts only the edited
text. The index keeps its answers in memory between the catalogues it is asked about.

The live preview (``lamplight serve``) may pass ``stale_ok=True``: after an edit, items whose
text did not change keep their previous answers and only the edited or new items are looked
up. The full build never does that (its answers depend on the content only).
"""

from __future__ import annotations

import hashlib
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..cache import Store
from ..content.documents import (
    SearchDoc,
    catalogue_words,
    published_documents,
    showcase_doc,
    skill_doc,
)
from ..models import Showcase, Skill
from ..text import segmenter
from .related_cache import (
    RELATED_VERSION,
    answers_key,
    doc_digest,
    fingerprints,
    read_answers,
    write_answers,
)
from .related_cuts import Cutter, body_text, cut_all
from .related_stats import Key, TermStats

if TYPE_CHECKING:
    from ..content import Catalogue

DEPTH = 8
"""Answers kept per item (``limit`` up to this is served from the cache)."""

Lookup = Callable[[Skill | Showcase, int], list[Skill | Showcase]]
"""``lookup(record, limit)``: the related items of one record."""


@dataclass
class _Model:
    """The answers for one catalogue (and what an extra lookup needs)."""

    ref: weakref.ReferenceType[Any]
    """The catalogue these answers are for."""
    key: str
    """Hash of everything the answers depend on (their cache entry's name)."""
    answers: dict[Key, list[Key]]
    """Item → its :data:`DEPTH` best related items."""
    stats: TermStats | None = None
    """The statistics the answers came from (kept by the live preview only)."""
    extra: dict[tuple[str, str, int], list[Key]] = field(default_factory=dict)
    """Answers for records or limits beyond ``answers``."""
    fingerprints: dict[Key, str] = field(default_factory=dict)
    """Per item: :func:`.related_cache.fingerprints` of the catalogue these answers were made for."""
    words: tuple[str, ...] = ()
    """The word list the texts were cut with."""
    stats_lock: threading.Lock = field(default_factory=threading.Lock)
    """Held while the statistics are rebuilt (the warm-up thread and a lookup may race)."""

    def get_stats(self, cat: Catalogue, store: Store) -> TermStats:
        """The statistics these answers were computed from (rebuilt from cached cuts)."""
        with self.stats_lock:
            if self.stats is None:
                docs = published_documents(cat, ("skill", "showcase"))
                self.words = self.words or catalogue_words(cat)
                cuts = cut_all([body_text(cat, d) for d in docs], self.words, store)
                self.stats = TermStats(docs, cuts)
            return self.stats


def answer_for(
    cat: Catalogue,
    stats: TermStats,
    doc: SearchDoc,
    limit: int,
    words: tuple[str, ...] | None = None,
) -> list[Key]:
    """Answers for a document that may not be among the statistics (edited or unpublished),
    its text cut with ``words`` (the catalogue's, when not given)."""
    cutter = Cutter(words if words is not None else catalogue_words(cat))
    return stats.answer(doc, stats.vector_of(cutter.cut(body_text(cat, doc))), limit)


def answer_all(stats: TermStats, docs: list[SearchDoc]) -> dict[Key, list[Key]]:
    """The :data:`DEPTH` answers of every item the statistics were made from."""
    return {
        (doc.kind, doc.id): stats.answer(doc, stats.vector(number), DEPTH)
        for number, doc in enumerate(docs)
    }


def _doc_of(cat: Catalogue, record: Skill | Showcase) -> SearchDoc:
    return skill_doc(cat, record) if isinstance(record, Skill) else showcase_doc(cat, record)


class RelatedIndex:
    """Related items of one project's catalogues; the caller keeps it between rebuilds.

    ``cache_dir`` keeps the word cuts and answers on disk between runs (``None``: memory
    only). The live preview keeps one index for the whole session, so that an edit re-uses
    the previous catalogue's answers (``stale_ok``).
    """

    def __init__(self, cache_dir: Path | None = None):
        self.store = Store(cache_dir)
        """Where cuts and answers are kept."""
        self._lock = threading.RLock()
        self._by_catalogue: dict[int, _Model] = {}
        self._latest: _Model | None = None

    def lookup(self, cat: Catalogue, *, stale_ok: bool = False) -> Lookup:
        """``lookup(record, limit)`` for many pages of one unchanging catalogue."""
        model = self._model(cat, stale_ok)

        def lookup(record: Skill | Showcase, limit: int = 5) -> list[Skill | Showcase]:
            return self._resolve(cat, model, record, limit)

        return lookup

    def items(
        self, cat: Catalogue, record: Skill | Showcase, limit: int = 5, *, stale_ok: bool = False
    ) -> list[Skill | Showcase]:
        """Up to ``limit`` published skills and web-consented stories most like ``record``.

        Never ``record`` itself, never anything unpublished; the same answer every time.
        Checks the catalogue for changes on every call: use :meth:`lookup` for many pages.
        """
        if limit <= 0:
            return []
        return self._resolve(cat, self._model(cat, stale_ok), record, limit)

    def warm_up(self, cat: Catalogue) -> None:
        """Live preview: after a build, prepare in a background thread what the next edit's
        lookup needs (the statistics and the word cutter), so the first edit does not wait."""
        with self._lock:
            model = self._by_catalogue.get(id(cat))
        if model is None or model.stats is not None:
            return

        def _prepare() -> None:
            model.get_stats(cat, self.store)
            segmenter(model.words)

        threading.Thread(target=_prepare, name="lamplight-related-warm-up", daemon=True).start()

    def knows(self, cat: Catalogue) -> bool:
        """Whether answers for ``cat`` are in memory."""
        with self._lock:
            found = self._by_catalogue.get(id(cat))
            return found is not None and found.ref() is cat

    def _model(self, cat: Catalogue, stale_ok: bool) -> _Model:
        with self._lock:
            previous = self._latest
            if stale_ok and previous is not None:
                return self._resolve_stale(cat, previous)
        docs = published_documents(cat, ("skill", "showcase"))
        digests = {(d.kind, d.id): doc_digest(d) for d in docs}
        words = catalogue_words(cat)
        key = answers_key(words, digests)
        with self._lock:
            found = self._by_catalogue.get(id(cat))
            if found is not None and found.ref() is cat and found.key == key:
                return found
            cached = read_answers(self.store.read(f"answers-{key}.json"))
            if previous is not None and previous.key == key:
                model = previous
                model.ref = weakref.ref(cat)
            elif cached is not None:
                model = _Model(weakref.ref(cat), key, cached)
            else:
                model = self._compute(cat, key, docs, words, stale_ok)
            model.fingerprints = fingerprints(cat)
            model.words = model.words or words
            self._remember(cat, model)
            return model

    def _compute(
        self,
        cat: Catalogue,
        key: str,
        docs: list[SearchDoc],
        words: tuple[str, ...],
        keep_stats: bool,
    ) -> _Model:
        """Answers from fresh statistics; a build drops them (they are most of its memory),
        the live preview keeps them for the next edit."""
        stats = TermStats(docs, cut_all([body_text(cat, d) for d in docs], words, self.store))
        model = _Model(weakref.ref(cat), key, answer_all(stats, docs))
        if keep_stats:
            model.stats = stats
        write_answers(self.store, key, model.answers)
        return model

    def _resolve_stale(self, cat: Catalogue, previous: _Model) -> _Model:
        """Live preview: the previous answers, with the edited and new items looked up again
        against the previous statistics (documents are made only for those items)."""
        current = fingerprints(cat)
        found = self._by_catalogue.get(id(cat))
        if found is not None and found.ref() is cat and found.fingerprints == current:
            return found
        if previous.fingerprints == current:
            model = previous
            model.ref = weakref.ref(cat)
        else:
            changed = [k for k, f in current.items() if previous.fingerprints.get(k) != f]
            answers = {k: previous.answers[k] for k in current if k in previous.answers}
            stats = previous.get_stats(cat, self.store) if changed else previous.stats
            words = previous.words or catalogue_words(cat)
            for kind, ident in changed:
                assert stats is not None
                record: Any = cat.skills[ident] if kind == "skill" else cat.showcases[ident]
                answers[(kind, ident)] = answer_for(cat, stats, _doc_of(cat, record), DEPTH, words)
            key = hashlib.sha256(
                "\n".join(f"{k}:{i}:{f}" for (k, i), f in sorted(current.items())).encode()
            ).hexdigest()[:20]
            model = _Model(
                weakref.ref(cat),
                "stale-" + key,
                answers,
                stats,
                fingerprints=current,
                words=previous.words,
            )
        self._remember(cat, model)
        return model

    def _remember(self, cat: Catalogue, model: _Model) -> None:
        for gone in [k for k, v in self._by_catalogue.items() if v.ref() is None]:
            self._by_catalogue.pop(gone)
        self._by_catalogue[id(cat)] = model
        self._latest = model

    def _resolve(
        self, cat: Catalogue, model: _Model, record: Skill | Showcase, limit: int
    ) -> list[Skill | Showcase]:
        if limit <= 0:
            return []
        key = (record.kind, record.id)
        if key in model.answers and limit <= DEPTH:
            found = model.answers[key][:limit]
        else:
            extra_key = (record.kind, record.id, limit)
            if extra_key not in model.extra:
                stats = model.get_stats(cat, self.store)
                model.extra[extra_key] = answer_for(cat, stats, _doc_of(cat, record), limit)
            found = model.extra[extra_key]
        out: list[Skill | Showcase] = []
        for kind, ident in found:
            item = cat.skills.get(ident) if kind == "skill" else cat.showcases.get(ident)
            if item is not None:
                out.append(item)
        return out


__all__ = [
    "RELATED_VERSION",
    "RelatedIndex",
]
