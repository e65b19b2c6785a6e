"""Simplified / Traditional conversion: the one function every output uses.

OpenCC converts phrase by phrase (``t2s`` and ``s2t``). Terms that editors list in
``content/protected_terms.yaml`` (place names, aliases, brands, quotations) are swapped
for placeholders before conversion and put back afterwards, so they never change.

OpenCC's ``t2s`` keeps 著 everywhere; Simplified writes the aspect particle and the verb
"to touch, to catch" as 着 (跟着, 睡不着, 着急) and keeps 著 only for "to write, notable"
(著作, 著名, 显著, 土著). :data:`ZHE_AFTER` and :data:`ZHE_BEFORE` list the phrases that
take 着; they are applied to the Simplified text after OpenCC.
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


#: Characters (Simplified, as OpenCC leaves them) after which 著 is the particle 着:
#: 跟著 → 跟着, 带著 → 带着, 睡不著 → 睡不着, 意味著 → 意味着.
ZHE_AFTER = (
    "跟守带看等靠想接顺沿拿走坐站说听忙活过领穿睡找随为朝向照按围抱推背牵望盯笑哭唱"
    "跑躺住留藏放挂摆写吃喝做干种养盼赶陪护管撑扶拉握捧揣味闲轮帮用不急冲挨试趁顶"
)
#: What follows 著 when it is the verb 着 (着急, 着手, 着想…).
ZHE_BEFORE = "急火凉手想落迷重眼实陆装色力魔"
#: 著 stays in 著作, 著名, 著称, 著述, 著录 (what follows) and 显著, 土著, 名著, 卓著…
_ZHE_KEEP_NEXT = "作名称述录书"
_ZHE_KEEP_PREV = "显土名论编原巨卓昭专合译遗新拙"
_ZHE_RE = re.compile(
    f"(?<=[{ZHE_AFTER}])著(?![{_ZHE_KEEP_NEXT}])|(?<![{_ZHE_KEEP_PREV}])著(?=[{ZHE_BEFORE}])"
)


def _simplified_zhe(text: str) -> str:
    """The Simplified text with 着 where 著 is the particle or the verb (see module doc)."""
    return _ZHE_RE.sub("着", text) if "著" in text else text


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
            if script == "hans":
                result = _simplified_zhe(result)
        else:
            kept: list[str] = []

            def _hold(match: re.Match[str]) -> str:
                kept.append(match.group(0))
                return _PLACEHOLDER.format(len(kept) - 1)

            held = self._pattern.sub(_hold, text)
            converted = _converter(config).convert(held)
            if script == "hans":
                converted = _simplified_zhe(converted)
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
