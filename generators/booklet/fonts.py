"""The CJK faces the booklets use, and which characters they can draw.

Simplified booklets use the SC faces with ``lang="zh-CN"``; Traditional ones the TC faces
with ``lang="zh-TW"`` (without a language WeasyPrint would pick Japanese glyph forms).
The cmap of the faces (read with fontTools) is the reference for the "no tofu" check.
"""

from __future__ import annotations

import functools
import subprocess
import unicodedata
from dataclasses import dataclass

from fontTools.ttLib import TTFont

from ..scripts import Script


@dataclass(frozen=True)
class Faces:
    lang: str
    serif: str
    sans: str


FACES: dict[str, Faces] = {
    "hans": Faces("zh-CN", "Noto Serif CJK SC", "Noto Sans CJK SC"),
    "hant": Faces("zh-TW", "Noto Serif CJK TC", "Noto Sans CJK TC"),
}


def faces(script: Script) -> Faces:
    return FACES[script]


class FontMissing(Exception):
    """A required font is not installed (message in Chinese)."""


def _locate(family: str, style: str) -> tuple[str, int]:
    try:
        result = subprocess.run(
            ["fc-match", "-f", "%{family}\t%{file}\t%{index}", f"{family}:style={style}"],
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError) as exc:
        raise FontMissing(f"无法查找字体“{family}”（fc-match 不可用）：{exc}") from None
    found, path, index = (result.stdout.split("\t") + ["", "", "0"])[:3]
    if family.lower() not in found.lower():
        raise FontMissing(
            f"没有安装字体“{family}”；请安装 Noto CJK 字体（Debian/Ubuntu：apt install fonts-noto-cjk）"
        )
    return path, int(index or 0)


@functools.cache
def _cmap(family: str, style: str) -> frozenset[int]:
    path, index = _locate(family, style)
    font = TTFont(path, fontNumber=index, lazy=True)
    try:
        return frozenset(font.getBestCmap())
    finally:
        font.close()


@functools.cache
def coverage(script: Script) -> frozenset[int]:
    """Code points every face of this script can draw (intersection of the faces used)."""
    face = FACES[script]
    sets = [_cmap(face.serif, "Regular"), _cmap(face.sans, "Bold")]
    return frozenset.intersection(*sets)


def ignorable(char: str) -> bool:
    """Characters that are never drawn (spaces, controls, joiners)."""
    return char.isspace() or unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp"}


def missing_chars(text: str, script: Script) -> list[str]:
    """Characters of ``text`` the booklet's fonts cannot draw, in order of appearance."""
    cover = coverage(script)
    seen: dict[str, None] = {}
    for char in text:
        if char not in seen and ord(char) not in cover and not ignorable(char):
            seen[char] = None
    return list(seen)


def describe(char: str) -> str:
    """``U+10FFFD`` plus the Unicode name when it has one."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f"（{name}）" if name else "")
