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
from collections import defaultdict
from typing import TYPE_CHECKING

from .documents import SearchDoc, all_documents
from .text import normalise

if TYPE_CHECKING:
    from ..catalogue import Catalogue

SHINGLE = 4
JACCARD_THRESHOLD = 0.4
"""Flag a pair when 40 % of their shingles (union) are shared…"""
CONTAINMENT_THRESHOLD = 0.7
"""…or when 70 % of the shorter one is inside the longer (a copy with parts cut)."""
MIN_SHINGLES = 30
"""Items shorter than this (in shingles) are never compared: too little to judge."""
COMMON_SHARE = 0.5
"""Shingles found in more than this share of items (boilerplate) are ignored."""

_NON_WORD = re.compile(r"[\W_]+")


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    """The set of character ``size``-grams of ``text`` without punctuation or spaces."""
    flat = _NON_WORD.sub("", text)
    return {flat[i : i + size] for i in range(max(len(flat) - size + 1, 0))}


def _doc_shingles(cat: Catalogue, doc: SearchDoc) -> set[str]:
    return shingles(normalise(doc.title + "\n" + doc.text, cat.converter))


def pair_scores(cat: Catalogue, kind: str) -> list[tuple[str, str, float, float]]:
    """(id_a, id_b, jaccard, containment) for every pair of ``kind`` sharing a shingle."""
    docs = all_documents(cat, (kind,))
    sets = {d.id: _doc_shingles(cat, d) for d in docs}
    sets = {k: v for k, v in sets.items() if len(v) >= MIN_SHINGLES}
    postings: dict[str, list[str]] = defaultdict(list)
    for ident in sorted(sets):
        for shingle in sets[ident]:
            postings[shingle].append(ident)
    limit = max(2, int(len(sets) * COMMON_SHARE)) if len(sets) > 4 else len(sets)
    common = {s for s, ids in postings.items() if len(ids) > limit}
    if common:
        sets = {k: v - common for k, v in sets.items()}
    shared: dict[tuple[str, str], int] = defaultdict(int)
    for shingle, ids in postings.items():
        if len(ids) < 2 or shingle in common:
            continue
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                shared[(a, b)] += 1
    out: list[tuple[str, str, float, float]] = []
    for (a, b), _count in shared.items():
        inter = len(sets[a] & sets[b])
        union = len(sets[a] | sets[b])
        smaller = min(len(sets[a]), len(sets[b]))
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
        for a, b, jaccard, containment in pair_scores(cat, kind):
            if jaccard >= JACCARD_THRESHOLD or containment >= CONTAINMENT_THRESHOLD:
                found.append((kind, a, b, round(jaccard, 3)))
    found.sort(key=lambda t: (-t[3], t[0], t[1], t[2]))
    return found


__all__ = ["find_duplicates", "shingles", "pair_scores"]
