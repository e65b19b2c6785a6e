"""Simplified / Traditional conversion: the one function every output uses.

OpenCC converts phrase by phrase (``t2s`` and ``s2t``). Terms that editors list in
``content/protected_terms.yaml`` (place names, aliases, brands, quotations) are swapped
for placeholders before conversion and put back afterwards, so they never change.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Literal

import opencc

Script = Literal["hans", "hant"]

_PLACEHOLDER = "\ue000{}\ue001"
_PLACEHOLDER_RE = re.compile("\ue000(\\d+)\ue001")
#: Texts up to this length are remembered (titles, labels); whole pages are not kept in memory.
_MEMO_MAX_CHARS = 4096


@lru_cache(maxsize=2)
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


class Converter:
    """Converts text to one script while keeping protected terms unchanged."""

    def __init__(self, protected: Iterable[str] = ()):
        terms = sorted({t for t in protected if t}, key=len, reverse=True)
        self.protected: tuple[str, ...] = tuple(terms)
        self._pattern = re.compile("|".join(re.escape(t) for t in terms)) if terms else None
        self._cache: dict[tuple[str, str], str] = {}

    def convert(self, text: str, script: Script) -> str:
        """Return ``text`` in ``script`` ("hans" = Simplified, "hant" = Traditional)."""
        if not text:
            return text
        key = (script, text)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        config = "t2s" if script == "hans" else "s2t"
        if self._pattern is None:
            result = _converter(config).convert(text)
        else:
            kept: list[str] = []

            def _hold(match: re.Match[str]) -> str:
                kept.append(match.group(0))
                return _PLACEHOLDER.format(len(kept) - 1)

            held = self._pattern.sub(_hold, text)
            converted = _converter(config).convert(held)
            result = _PLACEHOLDER_RE.sub(lambda m: kept[int(m.group(1))], converted)
        if len(self._cache) < 200_000 and len(text) <= _MEMO_MAX_CHARS:
            self._cache[key] = result
        return result

    def hans(self, text: str) -> str:
        return self.convert(text, "hans")

    def hant(self, text: str) -> str:
        return self.convert(text, "hant")


def fold(text: str) -> str:
    """Script-insensitive comparison key (Simplified, no protected terms, stripped)."""
    return _converter("t2s").convert(text.strip())


#: Converter without protected terms, for places where no catalogue is at hand.
PLAIN = Converter()
