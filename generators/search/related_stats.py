"""Term statistics of the published items, and the more-like-this answer for one item.

For a page: its characteristic words (whoosh's Bo1 query expansion model over the words of
its title and text), then the items that score best for those words plus its tags and
industry (whoosh's BM25F weighting) — what ``searcher.more_like`` does in whoosh, computed
for all pages in one pass: each word's postings are scored once for every page.
"""

from __future__ import annotations

import heapq
from array import array
from collections import Counter
from collections.abc import Iterable
from math import log

from whoosh.classify import Bo1Model
from whoosh.scoring import bm25

from ..content.documents import SearchDoc

KEY_TERMS = 20
"""How many characteristic words of the page to look for in the others."""
TAG_BOOST = 2.0
INDUSTRY_BOOST = 1.0
BM25_B = 0.75
BM25_K1 = 1.2
TOP_POSTINGS = 200
"""Per characteristic word, the items it scores highest for that become candidates (keeps
each answer's cost independent of the number of items)."""
SEP = "\x1f"
"""Between the jieba words of a cut text."""

Key = tuple[str, str]
"""(kind, id) of an item."""


class TermStats:
    """Term statistics of the published items (the fields whoosh would index).

    Kept compact, as whoosh keeps its postings: body words are numbered once, and each item's
    words and each word's postings are arrays of machine integers (docs/benchmarks.md).
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
        """The ``limit`` items most like ``doc`` (whose words are ``vector``), best first."""
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
