"""The character maps and synonym groups the browser script needs besides Pagefind."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..content.documents import published_documents
from ..scripts import PLAIN
from ..text import normalise
from .understanding import rules

if TYPE_CHECKING:
    from ..content import Catalogue

_CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))


def _chars_of(texts: Iterable[str]) -> set[str]:
    return {c for t in texts for c in t if any(lo <= ord(c) <= hi for lo, hi in _CJK_RANGES)}


def t2s_map(needed: set[str]) -> dict[str, str]:
    """Traditional (and variant) character → Simplified, for targets in ``needed``."""
    mapping: dict[str, str] = {}
    for lo, hi in _CJK_RANGES:
        for code in range(lo, hi + 1):
            char = chr(code)
            simp = PLAIN.hans(char)
            if simp != char and len(simp) == 1 and simp in needed:
                mapping[char] = simp
    return mapping


def s2t_map(cat: Catalogue, needed: set[str]) -> dict[str, str]:
    """Simplified → Traditional character, the most frequent choice in this content.

    OpenCC converts by phrase (发酵 → 發酵, 头发 → 頭髮); counting what it chose across the
    catalogue's own text gives the best single choice per character for excerpts.
    """
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for doc in published_documents(cat):
        text = doc.title + "\n" + doc.text
        simp = normalise(text, cat.converter)
        trad = cat.converter.hant(simp)
        if len(simp) != len(trad):
            continue
        for s_char, t_char in zip(simp, trad, strict=True):
            if s_char != t_char:
                counts[s_char][t_char] += 1
            else:
                counts[s_char][s_char] += 1
    mapping: dict[str, str] = {}
    for char in sorted(needed):
        if char in counts:
            best = sorted(counts[char].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        else:
            best = PLAIN.hant(char)
            if len(best) != 1:
                continue
        if best != char:
            mapping[char] = best
    return mapping


def _pack(mapping: dict[str, str]) -> list[str]:
    keys = sorted(mapping)
    return ["".join(keys), "".join(mapping[k] for k in keys)]


def client_data(cat: Catalogue, texts: Iterable[str]) -> dict[str, Any]:
    """What the browser script needs besides Pagefind (kept small: fetched on first search).

    ``texts``: the indexed pages' texts (read one at a time: only their characters are kept).
    Besides the character maps: the query rules of :func:`.understanding.rules` (``syn``
    synonym groups, ``col`` colloquial words, ``qw`` question and ``fill`` filler words,
    ``units``, ``words`` the content's own words), the same the editors' search uses.
    """
    data: dict[str, Any] = rules(cat)
    rule_words = [w for g in data["syn"] for w in g] + data["qw"] + data["fill"]
    rule_words += [w for k, v in data["col"].items() for w in [k, *v]] + list(data["units"])
    needed = _chars_of(texts) | _chars_of(rule_words)
    data.update({"v": 2, "t2s": _pack(t2s_map(needed)), "s2t": _pack(s2t_map(cat, needed))})
    return data
