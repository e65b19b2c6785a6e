"""Near-copies among skills and among stories (``lamplight check`` warning W201).

A story copied from another with a few words changed shares most of its character
shingles with the original, whatever script either is written in; two different stories
about the same trade share only the common phrases. Each item becomes the set of
character 4-grams of its normalised text (Simplified, no punctuation, no spaces); a pair is
flagged when the Jaccard similarity of the two sets, or the share of the smaller set found
in the larger one, is high.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from itertools import combinations
from typing import TYPE_CHECKING

from ..models import Showcase, Skill
from ..text import normalise
from .documents import SearchDoc, all_documents, showcase_doc, skill_doc

if TYPE_CHECKING:
    from .catalogue import Catalogue

SHINGLE = 4
JACCARD_THRESHOLD = 0.4
"""Flag a pair when 40 % of their shingles (union) are shared…"""
CONTAINMENT_THRESHOLD = 0.7
"""…or when 70 % of the shorter one is inside the longer (a copy with parts cut)."""
MIN_SHINGLES = 8
"""Items with fewer sampled shingles than this (about 30 characters of text) are never
compared: too little to judge."""
COMMON_SHARE = 0.5
"""Shingles found in more than this share of items (boilerplate) are ignored."""

_NON_WORD = re.compile(r"[\W_]+")


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    """The set of character ``size``-grams of ``text`` without punctuation or spaces."""
    flat = _NON_WORD.sub("", text)
    return {flat[i : i + size] for i in range(max(len(flat) - size + 1, 0))}


def sampled_shingles(text: str, size: int = SHINGLE) -> set[str]:
    """About a quarter of :func:`shingles`: those starting with a character whose code is a
    multiple of 4. The choice depends only on the text, so two copies keep the same ones and
    their similarity is estimated at a quarter of the cost."""
    flat = _NON_WORD.sub("", text)
    return {flat[i : i + size] for i in range(max(len(flat) - size + 1, 0)) if not ord(flat[i]) & 3}


def sampled_shingles_many(texts: list[str], size: int = SHINGLE) -> list[set[str]]:
    """:func:`sampled_shingles` of each text, at a fraction of the cost: one regular
    expression (built from the sampled characters the texts contain) finds them all."""
    flats = [_NON_WORD.sub("", text) for text in texts]
    alphabet: set[str] = set().union(*flats)
    starts = sorted(char for char in alphabet if not ord(char) & 3)
    if not starts:
        return [set() for _ in flats]
    pattern = re.compile(
        "(?=([" + "".join(re.escape(c) for c in starts) + "]" + "." * (size - 1) + "))", re.S
    )
    return [set(pattern.findall(flat)) for flat in flats]


def _doc_shingles(cat: Catalogue, doc: SearchDoc) -> set[str]:
    return sampled_shingles(normalise(doc.title + "\n" + doc.text, cat.converter))


def _docs_shingles(cat: Catalogue, docs: list[SearchDoc]) -> list[set[str]]:
    return sampled_shingles_many(
        [normalise(doc.title + "\n" + doc.text, cat.converter) for doc in docs]
    )


def record_shingles(cat: Catalogue, records: list[Skill | Showcase]) -> list[set[str]]:
    """The sampled shingles of each skill or story, as :func:`pair_scores` compares them."""
    return _docs_shingles(
        cat, [skill_doc(cat, r) if isinstance(r, Skill) else showcase_doc(cat, r) for r in records]
    )


RARE_DF = 8
"""Only shingles found in at most this many items propose candidate pairs (keeps it linear)."""
MIN_SHARED_RARE = 3
"""A pair becomes a candidate when it shares at least this many rare shingles…"""
RARE_SHARE = 0.25
"""…and at least this share of the rare shingles of the item that has fewer of them."""


def pair_scores(cat: Catalogue, kind: str) -> list[tuple[str, str, float, float]]:
    """(id_a, id_b, jaccard, containment) for the candidate pairs of ``kind``.

    Cost grows linearly with the number of items: a near-copy shares many shingles that
    hardly any other item has, so only shingles found in at most ``RARE_DF`` items are used to
    propose pairs, and the exact scores are computed for those candidates only.
    """
    docs = all_documents(cat, (kind,))
    return scores_from_sets(dict(zip((d.id for d in docs), _docs_shingles(cat, docs), strict=True)))


def scores_from_sets(sets: dict[str, set[str]]) -> list[tuple[str, str, float, float]]:
    """:func:`pair_scores` for items given by their sampled shingles (id → set)."""
    sets = {k: v for k, v in sets.items() if len(v) >= MIN_SHINGLES}
    df: Counter[str] = Counter()
    for shingle_set in sets.values():
        df.update(shingle_set)
    limit = max(2, int(len(sets) * COMMON_SHARE)) if len(sets) > 4 else len(sets)
    common = {sh for sh, count in df.items() if count > limit}
    rare = {sh for sh, count in df.items() if 2 <= count <= RARE_DF}
    postings: dict[str, list[str]] = defaultdict(list)
    rare_count: Counter[str] = Counter()
    for ident in sorted(sets):
        mine = sets[ident] & rare
        if mine:
            rare_count[ident] = len(mine)
            for shingle in mine:
                postings[shingle].append(ident)
    shared: Counter[tuple[str, str]] = Counter()
    for ids in postings.values():
        shared.update(combinations(ids, 2))
    if common:
        sets = {k: v - common for k, v in sets.items()}
    out: list[tuple[str, str, float, float]] = []
    for (a, b), count in shared.items():
        if count < max(MIN_SHARED_RARE, RARE_SHARE * min(rare_count[a], rare_count[b])):
            continue
        set_a, set_b = sets[a], sets[b]
        inter = len(set_a & set_b)
        union = len(set_a) + len(set_b) - inter
        smaller = min(len(set_a), len(set_b))
        jaccard = inter / union if union else 0.0
        containment = inter / smaller if smaller else 0.0
        out.append((a, b, jaccard, containment))
    out.sort(key=lambda t: (-t[2], t[0], t[1]))
    return out


def find_duplicates(cat: Catalogue) -> list[tuple[str, str, str, float]]:
    """(kind, id_a, id_b, score) for skills or stories that look like copies of each other.

    Every status counts (a draft copied from a published story is what this is for).
    ``score`` is the Jaccard similarity of the two texts' shingles (0–1); the list is
    sorted by score, highest first.
    """
    found: list[tuple[str, str, str, float]] = []
    for kind in ("showcase", "skill"):
        docs = all_documents(cat, (kind,))
        sets = dict(zip((d.id for d in docs), _docs_shingles(cat, docs), strict=True))
        found.extend((kind, a, b, score) for a, b, score in duplicate_pairs(sets))
    found.sort(key=lambda t: (-t[3], t[0], t[1], t[2]))
    return found


def duplicate_pairs(sets: dict[str, set[str]]) -> list[tuple[str, str, float]]:
    """(id_a, id_b, score) of the near-copies among items given by their sampled shingles."""
    return [
        (a, b, round(jaccard, 3))
        for a, b, jaccard, containment in scores_from_sets(sets)
        if jaccard >= JACCARD_THRESHOLD or containment >= CONTAINMENT_THRESHOLD
    ]


__all__ = [
    "find_duplicates",
    "shingles",
    "pair_scores",
    "scores_from_sets",
    "duplicate_pairs",
    "record_shingles",
    "sampled_shingles_many",
]
