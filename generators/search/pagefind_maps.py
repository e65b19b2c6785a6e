"""The character maps and synonym groups the browser script needs besides Pagefind."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .. import scripts
from .. import text as text_module
from ..cache import Store, code_stamp, key
from ..content.documents import published_documents
from ..scripts import PLAIN
from ..text import normalise
from .understanding import cached_rules, rules

if TYPE_CHECKING:
    from ..content import Catalogue

COUNTS_FILE = "counts.json"
_CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))


_CJK = re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _CJK_RANGES) + "]")


def _chars_of(texts: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for text in texts:
        found.update(_CJK.findall(text))
    return found


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


def _aligned(cat: Catalogue, text: str) -> list[str]:
    """The Chinese characters of ``text`` in Simplified and as OpenCC writes them in
    Traditional, position by position (empty when the conversion changed the length)."""
    simp = normalise(text, cat.converter)
    trad = cat.converter.hant(simp)
    if len(simp) != len(trad):
        return ["", ""]
    at = [i for i, char in enumerate(simp) if _CJK.match(char)]
    return ["".join(simp[i] for i in at), "".join(trad[i] for i in at)]


def _all_counts(cat: Catalogue, store: Store | None) -> dict[str, Counter[str]]:
    """For each Simplified character: how often OpenCC wrote each Traditional one across
    every published item; with ``store``, each item's conversion is kept by its text (one
    file), so an edit converts only the edited item."""
    common = key(code_stamp(__file__, text_module.__file__, scripts.__file__), *cat.converter.key)
    kept: dict[str, list[str]] = {}
    raw = store.read(COUNTS_FILE) if store is not None else None
    if raw is not None:
        try:
            kept = json.loads(raw)
        except ValueError:
            kept = {}
    now: dict[str, list[str]] = {}
    for doc in published_documents(cat):
        content = doc.title + "\n" + doc.text
        name = key(common, content)
        now[name] = kept.get(name) or _aligned(cat, content)
    if store is not None and now.keys() != kept.keys():
        store.write(COUNTS_FILE, json.dumps(now, ensure_ascii=False, sort_keys=True))
    pairs = Counter(
        zip("".join(v[0] for v in now.values()), "".join(v[1] for v in now.values()), strict=True)
    )
    total: dict[str, Counter[str]] = defaultdict(Counter)
    for (s_char, t_char), count in pairs.items():
        total[s_char][t_char] = count
    return total


def s2t_map(cat: Catalogue, needed: set[str], store: Store | None = None) -> dict[str, str]:
    """Simplified → Traditional character, the most frequent choice in this content.

    OpenCC converts by phrase (发酵 → 發酵, 头发 → 頭髮); counting what it chose across the
    catalogue's own text gives the best single choice per character for excerpts.
    """
    counts = _all_counts(cat, store)
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


def client_data(cat: Catalogue, texts: Iterable[str], *, cached: bool = False) -> dict[str, Any]:
    """What the browser script needs besides Pagefind (kept small: fetched on first search).

    ``texts``: the indexed pages' texts (read one at a time: only their characters are kept).
    Besides the character maps: the query rules of :func:`.understanding.rules` (``syn``
    synonym groups, ``col`` colloquial words, ``qw`` question and ``fill`` filler words,
    ``units``, ``words`` the content's own words), the same the editors' search uses.
    """
    data = cached_rules(cat, Store.of(cat.root, "rules")) if cached else rules(cat)
    rule_words = [w for g in data["syn"] for w in g] + data["qw"] + data["fill"]
    rule_words += [w for k, v in data["col"].items() for w in [k, *v]] + list(data["units"])
    needed = _chars_of(texts) | _chars_of(rule_words)
    data.update(
        {
            "v": 2,
            "t2s": _pack(t2s_map(needed)),
            "s2t": _pack(s2t_map(cat, needed, Store.of(cat.root, "s2t") if cached else None)),
        }
    )
    return data
