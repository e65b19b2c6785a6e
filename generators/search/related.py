"""“相关内容”: skills and stories like the one on the page (more-like-this).

For every published skill and story: its characteristic words (whoosh's Bo1 query
expansion model over the words of its title and text), then the items that score best for
those words plus its tags and industry (whoosh's BM25F weighting) — what
``searcher.more_like`` does in whoosh, computed for all pages in one pass: each word's
postings are scored once for every page instead of once per page.

Text is cut into words with jieba (the editors' index does the same) once per text and word
list; the cuts and the answers are cached under ``<root>/.lamplight-cache/related/``, keyed by
everything they depend on, so a rebuild of unchanged content reads the answers back and an
edit re-cuts only the edited text.

The live preview (``lamplight serve``) may pass ``stale_ok=True``: after an edit, items whose
text did not change keep their previous answers and only the edited or new items are looked
up. The full build never does that (its answers depend on the content only).
"""

from __future__ import annotations

import hashlib
import heapq
import json
import os
import threading
import weakref
from array import array
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from math import log
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh.classify import Bo1Model
from whoosh.scoring import bm25

from ..content.documents import (
    SearchDoc,
    catalogue_words,
    published_documents,
    showcase_doc,
    skill_doc,
)
from ..models import Showcase, Skill
from ..text import is_word, normalise, protected_extras, segmenter, words_key

if TYPE_CHECKING:
    from ..content import Catalogue

#: Bump when the scoring changes (cached answers are then remade).
RELATED_VERSION = "6"
CUTS_VERSION = "5"
"""Bump when the word cutting changes (cached cuts are then remade)."""
KEY_TERMS = 20
"""How many characteristic words of the page to look for in the others."""
TAG_BOOST = 2.0
INDUSTRY_BOOST = 1.0
BM25_B = 0.75
BM25_K1 = 1.2
DEPTH = 8
"""Answers kept per item (``limit`` up to this is served from the cache)."""
TOP_POSTINGS = 200
"""Per characteristic word, the items it scores highest for that become candidates (keeps
each answer's cost independent of the number of items)."""
KEEP_ON_DISK = 2
"""Cached answer sets kept per project (the newest ones)."""

Key = tuple[str, str]


class _Stats:
    """Term statistics of the published items (the fields whoosh would index).

    Kept compact, as whoosh keeps its postings: body words are numbered once, and each item's
    words and each word's postings are arrays of machine integers (at N = 10,000 the
    per-item dictionaries this replaced held over a gigabyte).
    """

    def __init__(self, docs: list[SearchDoc], cuts: list[str]):
        self.keys: list[Key] = [(d.kind, d.id) for d in docs]
        self.number = {key: n for n, key in enumerate(self.keys)}
        self.n = len(docs)
        self.ids: dict[str, int] = {}
        """Body word → its number."""
        self.words: list[str] = []
        """Number → body word."""
        self.terms: list[array[int]] = []
        """Per item: the numbers of its body words, in order of first appearance."""
        self.counts: list[array[int]] = []
        """Per item: how often each of those words appears."""
        self.cf = array("q")
        """Per body word: its count over all items."""
        post_items: list[array[int]] = []
        post_counts: list[array[int]] = []
        lengths = array("q")
        for number, cut in enumerate(cuts):
            vector = Counter(cut.split(SEP)) if cut else Counter()
            terms, counts = array("I"), array("I")
            for word, count in vector.items():
                term = self.ids.get(word)
                if term is None:
                    term = self.ids[word] = len(self.words)
                    self.words.append(word)
                    self.cf.append(0)
                    post_items.append(array("I"))
                    post_counts.append(array("I"))
                terms.append(term)
                counts.append(count)
                self.cf[term] += count
                post_items[term].append(number)
                post_counts[term].append(count)
            self.terms.append(terms)
            self.counts.append(counts)
            lengths.append(sum(counts))
        self.body_postings = (post_items, post_counts)
        fields: dict[str, list[Counter[str]]] = {
            "tags": [Counter(d.tags) for d in docs],
            "industry": [Counter(d.industries) for d in docs],
        }
        self.lengths: dict[str, array[int]] = {"body": lengths}
        self.postings: dict[str, dict[str, list[tuple[int, int]]]] = {}
        for name, vectors in fields.items():
            self.lengths[name] = array("q", [sum(v.values()) for v in vectors])
            table: dict[str, list[tuple[int, int]]] = {}
            for number, field_vector in enumerate(vectors):
                for word, count in field_vector.items():
                    table.setdefault(word, []).append((number, count))
            self.postings[name] = table
        self.avg = {
            name: (sum(values) / self.n if self.n else 0.0) or 1.0
            for name, values in self.lengths.items()
        }
        self.model = Bo1Model(self.n, sum(lengths))
        self._scored: dict[tuple[str, str], list[tuple[int, float]]] = {}
        self._best: dict[int, tuple[array[int], array[float]]] = {}
        self._fields: dict[tuple[str, str], dict[int, float]] = {}

    def vector(self, number: int) -> tuple[list[tuple[int, int]], int]:
        """Item ``number``'s (word number, count) pairs and its length in words."""
        pairs = list(zip(self.terms[number], self.counts[number], strict=True))
        return pairs, self.lengths["body"][number]

    def vector_of(self, cut: str) -> tuple[list[tuple[int, int]], int]:
        """The same for a text cut elsewhere (words the items never use are left out)."""
        vector = Counter(cut.split(SEP)) if cut else Counter()
        pairs = [(self.ids[w], c) for w, c in vector.items() if w in self.ids]
        return pairs, sum(vector.values())

    def key_terms(self, pairs: list[tuple[int, int]], total: int) -> list[tuple[int, float]]:
        """The words that characterise a text (``whoosh.classify.Expander``, Bo1)."""
        scored: list[tuple[float, int]] = []
        best = 0.0
        for term, weight in pairs:
            cf = self.cf[term]
            if not cf:
                continue
            score = self.model.score(weight, cf, total)
            best = max(best, score)
            scored.append((score, term))
        if not scored:
            return []
        norm = self.model.normalizer(best, total) or 1.0
        words = self.words
        ranked = sorted(scored, key=lambda x: (-x[0], words[x[1]]))[:KEY_TERMS]
        return [(term, score / norm) for score, term in ranked]

    def scored(self, name: str, word: str) -> list[tuple[int, float]]:
        """(item number, BM25F score) of every item holding ``word`` in field ``name``
        (tags, industry)."""
        key = (name, word)
        found = self._scored.get(key)
        if found is None:
            postings = self.postings[name].get(word, [])
            found = self._scored[key] = self._bm25(name, postings)
        return found

    def _bm25(self, name: str, postings: Iterable[tuple[int, int]]) -> list[tuple[int, float]]:
        postings = list(postings)
        idf = log(self.n / (len(postings) + 1)) + 1
        avg = self.avg[name]
        lengths = self.lengths[name]
        return [
            (number, bm25(idf, count, lengths[number], avg, BM25_B, BM25_K1))
            for number, count in postings
        ]

    def best_for(self, term: int) -> Iterable[tuple[int, float]]:
        """The items body word ``term`` scores highest for, at most :data:`TOP_POSTINGS`."""
        found = self._best.get(term)
        if found is None:
            items, counts = self.body_postings[0][term], self.body_postings[1][term]
            scored = self._bm25("body", zip(items, counts, strict=True))
            if len(scored) > TOP_POSTINGS:
                scored = heapq.nsmallest(TOP_POSTINGS, scored, key=lambda item: (-item[1], item[0]))
            found = self._best[term] = (
                array("I", [n for n, _s in scored]),
                array("d", [s for _n, s in scored]),
            )
        return zip(found[0], found[1], strict=True)

    def field_scores(self, name: str, value: str) -> dict[int, float]:
        """Item number → BM25F score of ``value`` in field ``name`` (tags, industry)."""
        key = (name, value)
        found = self._fields.get(key)
        if found is None:
            found = self._fields[key] = dict(self.scored(name, value))
        return found

    def answer(
        self, doc: SearchDoc, vector: tuple[list[tuple[int, int]], int], limit: int
    ) -> list[Key]:
        # Candidates come from the page's characteristic words, each word bringing only the
        # items it scores highest for; tags and industry then add to the candidates' scores.
        # (An industry is shared by a seventh of all items: as a source of candidates it made
        # every answer cost O(N), the whole pass O(N²).)
        totals: dict[int, float] = {}
        for term, weight in self.key_terms(*vector):
            for number, score in self.best_for(term):
                totals[number] = totals.get(number, 0.0) + score * weight
        boosts = [("tags", tag, TAG_BOOST) for tag in doc.tags]
        boosts += [("industry", ind, INDUSTRY_BOOST) for ind in doc.industries]
        if not totals:  # no words to go by (an empty text): the same tags or trade
            for name, value, _boost in boosts:
                for number, _score in self.scored(name, value)[:TOP_POSTINGS]:
                    totals.setdefault(number, 0.0)
        for name, value, boost in boosts:
            scores = self.field_scores(name, value)
            for number in totals:
                extra = scores.get(number)
                if extra:
                    totals[number] += extra * boost
        me = self.number.get((doc.kind, doc.id))
        totals.pop(me, None)  # type: ignore[arg-type]
        best = heapq.nsmallest(
            limit, totals.items(), key=lambda item: (-round(item[1], 6), self.keys[item[0]])
        )
        return [self.keys[number] for number, _score in best]


@dataclass
class _Model:
    ref: weakref.ReferenceType[Any]
    key: str
    digests: dict[Key, str]
    answers: dict[Key, list[Key]]
    stats: _Stats | None = None
    cache_dir: Path | None = None
    extra: dict[tuple[str, str, int], list[Key]] = field(default_factory=dict)
    fingerprints: dict[Key, str] = field(default_factory=dict)
    """Per item: :func:`_fingerprints` of the catalogue these answers were made for."""
    words: tuple[str, ...] = ()
    """The word list the texts were cut with."""

    stats_lock: threading.Lock = field(default_factory=threading.Lock)

    def get_stats(self, cat: Catalogue) -> _Stats:
        """The statistics these answers were computed from (rebuilt from cached cuts)."""
        with self.stats_lock:
            if self.stats is None:
                docs = published_documents(cat, ("skill", "showcase"))
                self.words = self.words or catalogue_words(cat)
                cuts = _cut_all([_body(cat, d) for d in docs], self.words, self.cache_dir)
                self.stats = _Stats(docs, cuts)
            return self.stats


_by_catalogue: dict[int, _Model] = {}
_latest_by_root: dict[Path, _Model] = {}
_lock = threading.RLock()


SEP = "\x1f"
"""Between the jieba words of a cut text."""


def _body(cat: Catalogue, doc: SearchDoc) -> str:
    conv = cat.converter
    text = normalise(doc.title + "\n" + doc.text, conv)
    extras = protected_extras(doc.title + "\n" + doc.text, conv)
    if extras:
        text += "\n" + "\n".join(extras)
    return text


_cutter: Any = None


def _use_words(words: tuple[str, ...]) -> None:
    global _cutter
    _cutter = segmenter(words)


def _cut(text: str) -> str:
    """jieba's words of ``text`` (search mode, as the editors' index cuts it), joined by SEP."""
    return SEP.join(
        word
        for word, _start, _end in _cutter.tokenize(text, mode="search", HMM=True)
        if is_word(word)
    )


def _cut_all(texts: list[str], words: tuple[str, ...], cache_dir: Path | None) -> list[str]:
    """Cut every text, reusing earlier cuts (by text and word list) and both cores."""
    key = words_key(words)
    store = cache_dir / f"cuts-{CUTS_VERSION}-{key}.json" if cache_dir else None
    known: dict[str, str] = {}
    if store is not None and store.is_file():
        try:
            loaded = json.loads(store.read_text(encoding="utf-8"))
            known = loaded if isinstance(loaded, dict) else {}
        except (OSError, ValueError):
            known = {}
    hashes = [hashlib.sha256(t.encode()).hexdigest()[:24] for t in texts]
    todo = {h: t for h, t in zip(hashes, texts, strict=True) if h not in known}
    if todo:
        _use_words(words)  # built once here, inherited by the worker processes
        # (no fork while other threads run, e.g. in the live preview's server)
        if len(todo) >= 64 and (os.cpu_count() or 1) > 1 and threading.active_count() == 1:
            with get_context("fork").Pool(2) as pool:
                cuts = pool.map(_cut, list(todo.values()), chunksize=16)
        else:
            cuts = [_cut(t) for t in todo.values()]
        known.update(zip(todo, cuts, strict=True))
        if store is not None:
            keep = {h: known[h] for h in dict.fromkeys(hashes)}
            store.parent.mkdir(parents=True, exist_ok=True)
            tmp = store.with_name(f".{store.name}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps(keep, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, store)
            for old in store.parent.glob("cuts-*.json"):
                if old != store:
                    old.unlink(missing_ok=True)
    return [known[h] for h in hashes]


def _doc_digest(doc: SearchDoc) -> str:
    data = json.dumps(
        [doc.kind, doc.id, doc.title, doc.text, doc.tags, doc.industries], ensure_ascii=False
    )
    return hashlib.sha256(data.encode()).hexdigest()[:20]


def _cache_key(words: tuple[str, ...], digests: dict[Key, str]) -> str:
    data = "\n".join(
        [RELATED_VERSION, words_key(words)]
        + [f"{k}:{i}:{d}" for (k, i), d in sorted(digests.items())]
    )
    return hashlib.sha256(data.encode()).hexdigest()[:20]


def _answer_one(
    cat: Catalogue,
    stats: _Stats,
    doc: SearchDoc,
    limit: int,
    words: tuple[str, ...] | None = None,
) -> list[Key]:
    """Answers for a document that may not be among the statistics (edited or unpublished),
    its text cut with ``words`` (the catalogue's, when not given)."""
    _use_words(words if words is not None else catalogue_words(cat))
    return stats.answer(doc, stats.vector_of(_cut(_body(cat, doc))), limit)


def _answer_all(stats: _Stats, docs: list[SearchDoc]) -> dict[Key, list[Key]]:
    return {
        (doc.kind, doc.id): stats.answer(doc, stats.vector(number), DEPTH)
        for number, doc in enumerate(docs)
    }


def _read_answers(path: Path) -> dict[Key, list[Key]] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {
            (k.split(":", 1)[0], k.split(":", 1)[1]): [(a, b) for a, b in v]
            for k, v in data.items()
        }
    except (OSError, ValueError, TypeError, IndexError, AttributeError):
        return None


def answers_json(answers: dict[Key, list[Key]]) -> str:
    """``answers`` as the JSON :func:`_read_answers` reads back."""
    payload = {f"{k}:{i}": [list(a) for a in v] for (k, i), v in sorted(answers.items())}
    return json.dumps(payload, ensure_ascii=False, sort_keys=True)


def _write_answers(cache_dir: Path, key: str, answers: dict[Key, list[Key]]) -> None:
    cache_dir.mkdir(parents=True, exist_ok=True)
    target = cache_dir / f"answers-{key}.json"
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.write_text(answers_json(answers), encoding="utf-8")
    os.replace(tmp, target)
    olds = sorted(cache_dir.glob("answers-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in [p for p in olds if p != target][KEEP_ON_DISK - 1 :]:
        old.unlink(missing_ok=True)


def _fingerprints(cat: Catalogue) -> dict[Key, str]:
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


def _stale_model(cat: Catalogue, previous: _Model, fingerprints: dict[Key, str]) -> _Model:
    """Live preview: the previous answers, with the edited and new items looked up again
    against the previous statistics (documents are made only for those items)."""
    changed = [k for k, f in fingerprints.items() if previous.fingerprints.get(k) != f]
    answers = {k: previous.answers[k] for k in fingerprints if k in previous.answers}
    stats = previous.get_stats(cat) if changed else previous.stats
    if changed:
        assert stats is not None
        words = previous.words or catalogue_words(cat)
        for kind, ident in changed:
            record: Any = cat.skills[ident] if kind == "skill" else cat.showcases[ident]
            doc = skill_doc(cat, record) if kind == "skill" else showcase_doc(cat, record)
            answers[(kind, ident)] = _answer_one(cat, stats, doc, DEPTH, words)
    key = hashlib.sha256(
        "\n".join(f"{k}:{i}:{f}" for (k, i), f in sorted(fingerprints.items())).encode()
    ).hexdigest()[:20]
    return _Model(
        weakref.ref(cat),
        "stale-" + key,
        previous.digests,
        answers,
        stats,
        previous.cache_dir,
        fingerprints=fingerprints,
        words=previous.words,
    )


def _model(cat: Catalogue, cache_dir: Path | None, stale_ok: bool) -> _Model:
    root = cat.root.resolve()
    with _lock:
        previous = _latest_by_root.get(root)
        if stale_ok and previous is not None:
            fingerprints = _fingerprints(cat)
            found = _by_catalogue.get(id(cat))
            if found is not None and found.ref() is cat and found.fingerprints == fingerprints:
                return found
            if previous.fingerprints == fingerprints:
                model = previous
                model.ref = weakref.ref(cat)
            else:
                model = _stale_model(cat, previous, fingerprints)
            _remember(root, cat, model)
            return model
    docs = published_documents(cat, ("skill", "showcase"))
    digests = {(d.kind, d.id): _doc_digest(d) for d in docs}
    words = catalogue_words(cat)
    key = _cache_key(words, digests)
    with _lock:
        found = _by_catalogue.get(id(cat))
        if found is not None and found.ref() is cat and found.key == key:
            return found
        cached = _read_answers(cache_dir / f"answers-{key}.json") if cache_dir is not None else None
        if previous is not None and previous.key == key:
            model = previous
            model.ref = weakref.ref(cat)
        elif cached is not None:
            model = _Model(weakref.ref(cat), key, digests, cached, cache_dir=cache_dir)
        else:
            cuts = _cut_all([_body(cat, d) for d in docs], words, cache_dir)
            stats = _Stats(docs, cuts)
            del cuts
            answers = _answer_all(stats, docs)
            # The statistics are the largest part of a build's memory at N = 10,000: a build
            # needs only the answers (a rare extra lookup rebuilds them from the cached cuts);
            # the live preview keeps them for the next edit.
            model = _Model(
                weakref.ref(cat), key, digests, answers, stats if stale_ok else None, cache_dir
            )
            del stats
            if cache_dir is not None:
                _write_answers(cache_dir, key, model.answers)
        model.fingerprints = _fingerprints(cat)
        model.words = model.words or words
        _remember(root, cat, model)
        return model


def _remember(root: Path, cat: Catalogue, model: _Model) -> None:
    for stale in [k for k, v in _by_catalogue.items() if v.ref() is None]:
        _by_catalogue.pop(stale)
    _by_catalogue[id(cat)] = model
    _latest_by_root[root] = model


def related_lookup(
    cat: Catalogue, *, cache_dir: Path | None = None, stale_ok: bool = False
) -> Callable[[Skill | Showcase, int], list[Skill | Showcase]]:
    """``lookup(record, limit)`` for many pages of one unchanging catalogue (one model lookup).

    ``cache_dir`` keeps the index and answers on disk between runs; ``stale_ok`` (preview
    only) lets unchanged items keep their answers after an edit.
    """
    model = _model(cat, cache_dir, stale_ok)

    def lookup(record: Skill | Showcase, limit: int = 5) -> list[Skill | Showcase]:
        return _resolve(cat, model, record, limit)

    return lookup


def warm_up(cat: Catalogue) -> None:
    """Live preview: after a build, prepare in a background thread what the next edit's
    related-items lookup needs (the statistics and the word cutter), so that the first edit
    does not wait for them."""
    with _lock:
        model = _by_catalogue.get(id(cat))
    if model is None or model.stats is not None:
        return

    def _prepare() -> None:
        model.get_stats(cat)
        segmenter(model.words)

    threading.Thread(target=_prepare, name="lamplight-related-warm-up", daemon=True).start()


def related_items(
    cat: Catalogue,
    record: Skill | Showcase,
    limit: int = 5,
    *,
    cache_dir: Path | None = None,
    stale_ok: bool = False,
) -> list[Skill | Showcase]:
    """Up to ``limit`` published skills and web-consented stories most like ``record``.

    Never ``record`` itself, never anything unpublished; the same answer every time.
    Checks the catalogue for changes on every call: use :func:`related_lookup` for many pages.
    """
    if limit <= 0:
        return []
    return _resolve(cat, _model(cat, cache_dir, stale_ok), record, limit)


def _resolve(
    cat: Catalogue, model: _Model, record: Skill | Showcase, limit: int
) -> list[Skill | Showcase]:
    if limit <= 0:
        return []
    key = (record.kind, record.id)
    if key in model.answers and limit <= DEPTH:
        found = model.answers[key][:limit]
    else:
        extra_key = (record.kind, record.id, limit)
        if extra_key not in model.extra:
            doc = skill_doc(cat, record) if isinstance(record, Skill) else showcase_doc(cat, record)
            model.extra[extra_key] = _answer_one(cat, model.get_stats(cat), doc, limit)
        found = model.extra[extra_key]
    out: list[Skill | Showcase] = []
    for kind, ident in found:
        item = cat.skills.get(ident) if kind == "skill" else cat.showcases.get(ident)
        if item is not None:
            out.append(item)
    return out


def clear_cache() -> None:
    """Forget every in-memory index and answer (tests)."""
    with _lock:
        _by_catalogue.clear()
        _latest_by_root.clear()


__all__ = ["related_items", "related_lookup", "warm_up", "clear_cache", "RELATED_VERSION"]
