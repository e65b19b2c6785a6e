"""The CJK faces the booklets use, and which characters they can draw.

Simplified booklets use the SC faces with ``lang="zh-CN"``; Traditional ones the TC faces
with ``lang="zh-TW"`` (without a language WeasyPrint would pick Japanese glyph forms).
The cmap of the faces (read with fontTools) is the reference for the "no tofu" check.
"""

from __future__ import annotations

import os
import subprocess
import unicodedata
from array import array
from dataclasses import dataclass

from fontTools.ttLib import TTFont

from ..cache import Store, key
from ..scripts import Script


@dataclass(frozen=True)
class Faces:
    """The font faces of one script."""

    lang: str
    """The HTML ``lang`` that selects the script's glyph forms."""
    serif: str
    """Family of the body text."""
    sans: str
    """Family of headings and labels."""


FACES: dict[str, Faces] = {
    "hans": Faces("zh-CN", "Noto Serif CJK SC", "Noto Sans CJK SC"),
    "hant": Faces("zh-TW", "Noto Serif CJK TC", "Noto Sans CJK TC"),
}


def faces(script: Script) -> Faces:
    """The faces of ``script``."""
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


def _cmap(family: str, style: str, store: Store | None) -> frozenset[int]:
    path, index = _locate(family, style)
    name = None
    if store is not None:
        try:
            stat = os.stat(path)
        except OSError:
            stat = None
        if stat is not None:
            parts = ("cmap", path, str(index), str(stat.st_size), str(stat.st_mtime_ns))
            name = f"cmap-{key(*parts)}.bin"
            data = store.read(name)
            codes = array("I")
            if data is not None and len(data) % codes.itemsize == 0:
                codes.frombytes(data)
                return frozenset(codes)
    font = TTFont(path, fontNumber=index, lazy=True)
    try:
        result = frozenset(font.getBestCmap())
    finally:
        font.close()
    if store is not None and name is not None:
        store.write(name, array("I", sorted(result)).tobytes())
    return result


def coverage(script: Script, store: Store | None = None) -> frozenset[int]:
    """Code points every face of this script can draw (intersection of the faces used).

    Read from the fonts' cmaps with fontTools; with a ``store`` the cmaps are kept on disk,
    keyed by the font file's path, size and modification time.
    """
    face = FACES[script]
    return frozenset.intersection(
        _cmap(face.serif, "Regular", store), _cmap(face.sans, "Bold", store)
    )


def ignorable(char: str) -> bool:
    """Characters that are never drawn (spaces, controls, joiners)."""
    return char.isspace() or unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp"}


def missing_chars(text: str, cover: frozenset[int]) -> list[str]:
    """Characters of ``text`` outside ``cover`` (see :func:`coverage`), in order of appearance."""
    seen: dict[str, None] = {}
    for char in dict.fromkeys(text):
        if ord(char) not in cover and not ignorable(char):
            seen[char] = None
    return list(seen)


def describe(char: str) -> str:
    """``U+10FFFD`` plus the Unicode name when it has one."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f"（{name}）" if name else "")
