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
import sys
from collections import Counter, defaultdict
from itertools import combinations
from typing import Any

from .. import checkcache
from ..diagnostics import Report
from ..models import Showcase, Skill
from ..parallel import fork_map
from ..text import normalise
from .documents import SearchDoc, all_documents, showcase_doc, skill_doc
from .kinds import KINDS
from .pool import jobs_for
from .records import Catalogue

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


# --------------------------------------------------------------------- the W201 check

NEAR_PREFIX = "n"
"""Key prefix of near-copy cache entries (kept when a run skips near copies)."""
_SHINGLE_RE = re.compile(f".{{{SHINGLE}}}", re.S)
"""Splits a stored string of shingles (every one has ``SHINGLE`` characters)."""


def report_near_copies(
    cat: Catalogue, report: Report, session: checkcache.Session, taxonomy_digest: str
) -> None:
    """Warn (W201) when a skill or story looks like a copy of another one."""
    for kind, first, second, score in cached_duplicates(cat, session, taxonomy_digest):
        src = cat.sources[(kind, second)]
        other = cat.sources[(kind, first)]
        report.add(
            src.yaml_path,
            1,
            1,
            "W201",
            f"这篇{KINDS[kind].editor_label}与 {other.yaml_path} 非常相似（相似度 {score:.0%}），"
            "可能重复；请确认不是同一户人家或同一项技术写了两遍",
        )


def cached_duplicates(
    cat: Catalogue, session: checkcache.Session, taxonomy_digest: str
) -> list[tuple[str, str, str, float]]:
    """:func:`find_duplicates`, with each item's shingles cached by the inputs of its text:
    the item's files, the taxonomy (values are canonicalised), the protected terms and the
    names of the elders it cites."""
    context = (session.pipeline, taxonomy_digest, "\x1f".join(cat.protected_terms.terms))
    found: list[tuple[str, str, str, float]] = []
    for kind, pool in (("showcase", cat.showcases), ("skill", cat.skills)):
        ids = sorted(pool)
        keys: dict[str, str] = {}
        for ident in ids:
            record: Any = pool[ident]
            refs = record.authors if kind == "skill" else record.elders
            names = [f"{e}={cat.elders[e].display_name}" for e in refs if e in cat.elders]
            keys[ident] = NEAR_PREFIX + checkcache.key(
                "s", *context, kind, cat.sources[(kind, ident)].digest, *names
            )
        pair_key = NEAR_PREFIX + checkcache.key("d", *context, kind, *keys.values(), *ids)
        pairs = session.get(pair_key)
        if pairs is not None:
            session.used.update(k for k in keys.values() if session.has(k))
        else:
            sets: dict[str, set[str]] = {}
            missing: list[str] = []
            for ident in ids:
                got = session.get(keys[ident])
                # (interned: the items share one string per shingle)
                if isinstance(got, str):
                    sets[ident] = set(map(sys.intern, _SHINGLE_RE.findall(got)))
                else:
                    missing.append(ident)
            for ident, joined in zip(missing, _compute_shingles(cat, kind, missing), strict=True):
                sets[ident] = set(map(sys.intern, _SHINGLE_RE.findall(joined)))
                session.put(keys[ident], joined)
            pairs = duplicate_pairs({ident: sets[ident] for ident in ids})
            session.put(pair_key, pairs)
        found.extend((kind, a, b, score) for a, b, score in pairs)
    found.sort(key=lambda t: (-t[3], t[0], t[1], t[2]))
    return found


def _compute_shingles(cat: Catalogue, kind: str, ids: list[str]) -> list[str]:
    """Shingles of the ``kind`` items ``ids`` (in a pool of processes when there are many),
    each item's as one string: it stores, moves between processes and loads much faster
    than a set."""
    if not ids:
        return []
    jobs = jobs_for(len(ids) * 2)
    if jobs <= 1 or len(ids) < 2 * jobs:
        return _shingle_chunk(cat, (kind, ids))
    size = max(8, len(ids) // (jobs * 4))
    chunks = [(kind, ids[i : i + size]) for i in range(0, len(ids), size)]
    return [s for part in fork_map(_shingle_chunk, cat, chunks, jobs) for s in part]


def _shingle_chunk(cat: Catalogue, job: tuple[str, list[str]]) -> list[str]:
    kind, ids = job
    pool = cat.pool(kind)
    return ["".join(s) for s in record_shingles(cat, [pool[i] for i in ids])]
