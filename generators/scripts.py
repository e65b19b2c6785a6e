"""Simplified / Traditional conversion: the one function every output uses.

OpenCC converts phrase by phrase (``t2s``, and ``s2tw``: Taiwan-standard characters with
the phrase tables, no regional vocabulary). Terms that editors list in
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


@lru_cache(maxsize=4)
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


#: OpenCC configurations: to each script, and back (Taiwan-standard characters with OpenCC's
#: phrase tables, no regional vocabulary: 才, 吃, 為, 裡, 著, not 纔, 喫, 爲, 裏, 着).
_TO = {"hans": "t2s", "hant": "s2tw"}
_BACK = {"hans": "s2tw", "hant": "t2s"}

#: Corrections of OpenCC's phrase tables built in (wrong → right in the converted text);
#: editors add theirs in ``content/conversions.yaml``.
BUILT_IN: dict[str, dict[str, str]] = {
    "hant": {
        "幾只": "幾隻",
        "多只": "多隻",
        "每只": "每隻",
        "幹耳": "乾耳",
        "木耳幹": "木耳乾",
        "曬幹": "曬乾",
        "烘幹": "烘乾",
        "晾幹": "晾乾",
    },
    "hans": {},
}


class Converter:
    """Converts text to one script while keeping protected terms unchanged.

    Lines already written in the target script are left as they are (a Traditional line
    is not converted again into 纔 or 爲); in a line that mixes both, only the characters
    the target script does not use change. ``overrides`` (direction → wrong → right) correct
    the result, after the built-in corrections.
    """

    def __init__(
        self, protected: Iterable[str] = (), overrides: dict[str, dict[str, str]] | None = None
    ):
        terms = sorted({t for t in protected if t}, key=len, reverse=True)
        self.protected: tuple[str, ...] = tuple(terms)
        self._pattern = re.compile("|".join(re.escape(t) for t in terms)) if terms else None
        self._cache: dict[tuple[str, str], str] = {}
        self.fixes: dict[str, dict[str, str]] = {
            script: {**BUILT_IN[script], **(overrides or {}).get(script, {})}
            for script in ("hans", "hant")
        }
        """Direction → wrong → right, applied to the converted text."""
        self.key: tuple[str, ...] = (
            *self.protected,
            *(f"{s}:{w}>{r}" for s, fixes in self.fixes.items() for w, r in sorted(fixes.items())),
        )
        """Everything besides the code that shapes a conversion (part of cache keys)."""
        self._fix_res = {
            script: re.compile("|".join(re.escape(w) for w in sorted(fixes, key=len, reverse=True)))
            for script, fixes in self.fixes.items()
            if fixes
        }

    def convert(self, text: str, script: Script) -> str:
        """Return ``text`` in ``script`` ("hans" = Simplified, "hant" = Traditional)."""
        if not text:
            return text
        key = (script, text)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        if self._pattern is None:
            result = self._plain(text, script)
        else:
            kept: list[str] = []

            def _hold(match: re.Match[str]) -> str:
                kept.append(match.group(0))
                return _PLACEHOLDER.format(len(kept) - 1)

            held = self._pattern.sub(_hold, text)
            converted = self._plain(held, script)
            result = _PLACEHOLDER_RE.sub(lambda m: kept[int(m.group(1))], converted)
        if len(self._cache) < 200_000 and len(text) <= _MEMO_MAX_CHARS:
            self._cache[key] = result
        return result

    def _plain(self, text: str, script: Script) -> str:
        """OpenCC's conversion, lines already in ``script`` kept, then the corrections."""
        result = _converter(_TO[script]).convert(text)
        # Only a text with characters of the target script's own is looked at line by line.
        if result != text and _converter(_BACK[script]).convert(text) != text:
            result = "\n".join(_convert_line(line, script) for line in text.split("\n"))
        fix_re = self._fix_res.get(script)
        if fix_re is not None:
            fixes = self.fixes[script]
            result = fix_re.sub(lambda m: fixes[m.group()], result)
        if script == "hans":
            result = _simplified_zhe(result)
        return result

    def hans(self, text: str) -> str:
        return self.convert(text, "hans")

    def hant(self, text: str) -> str:
        return self.convert(text, "hant")


def _convert_line(line: str, script: Script) -> str:
    """One line in ``script``: unchanged when it has characters only the target script
    uses and none only the other uses; otherwise only the characters the target script does
    not use change (each as OpenCC's phrase conversion has it)."""
    to = _converter(_TO[script])
    out = to.convert(line)
    if out == line:
        return line
    source = _converter(_BACK[script]).convert(line)
    if source == line:
        return out  # nothing of the target script's own
    out = to.convert(source)  # whole phrases, as if all of it were in the other script
    if len(out) != len(line):
        return out
    return "".join(
        new if new == old or not _used_in(old, script) else old
        for old, new in zip(line, out, strict=True)
    )


@lru_cache(maxsize=8192)
def _used_in(char: str, script: Script) -> bool:
    """True when ``script`` writes ``char`` as it is (才 in Traditional, 乾 in Simplified)."""
    return bool(_converter(_TO[script]).convert(char) == char)


def same_word(first: str, second: str, script: Script) -> bool:
    """True when two forms in ``script`` read the same in the other script (one word
    written two ways, as a conversion correction must be)."""
    back = _converter(_BACK[script])
    return bool(back.convert(first) == back.convert(second))


def fold(text: str) -> str:
    """Script-insensitive comparison key (Simplified, no protected terms, stripped)."""
    return _converter("t2s").convert(text.strip())


#: Converter without protected terms, for places where no catalogue is at hand.
PLAIN = Converter()
