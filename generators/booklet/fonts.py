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
from pathlib import Path

from fontTools.ttLib import TTFont

from ..scripts import Script
from . import cache


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


def _cmap(family: str, style: str, cache_dir: Path | None) -> frozenset[int]:
    path, index = _locate(family, style)
    entry = None
    if cache_dir is not None:
        try:
            stat = os.stat(path)
        except OSError:
            stat = None
        if stat is not None:
            name = cache.key("cmap", path, str(index), str(stat.st_size), str(stat.st_mtime_ns))
            entry = cache_dir / f"cmap-{name}.bin"
            data = cache.read(entry)
            codes = array("I")
            if data is not None and len(data) % codes.itemsize == 0:
                codes.frombytes(data)
                return frozenset(codes)
    font = TTFont(path, fontNumber=index, lazy=True)
    try:
        result = frozenset(font.getBestCmap())
    finally:
        font.close()
    if entry is not None:
        cache.write(entry, array("I", sorted(result)).tobytes())
    return result


_COVERAGE: dict[str, frozenset[int]] = {}


def coverage(script: Script, cache_dir: Path | None = None) -> frozenset[int]:
    """Code points every face of this script can draw (intersection of the faces used).

    Read from the fonts' cmaps with fontTools once per process; with ``cache_dir`` the
    result is also kept on disk, keyed by the font file's path, size and modification time.
    """
    found = _COVERAGE.get(script)
    if found is None:
        face = FACES[script]
        sets = [_cmap(face.serif, "Regular", cache_dir), _cmap(face.sans, "Bold", cache_dir)]
        found = _COVERAGE[script] = frozenset.intersection(*sets)
    return found


def ignorable(char: str) -> bool:
    """Characters that are never drawn (spaces, controls, joiners)."""
    return char.isspace() or unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp"}


def missing_chars(text: str, script: Script, cover: frozenset[int] | None = None) -> list[str]:
    """Characters of ``text`` the booklet's fonts cannot draw, in order of appearance."""
    if cover is None:
        cover = coverage(script)
    seen: dict[str, None] = {}
    for char in dict.fromkeys(text):
        if ord(char) not in cover and not ignorable(char):
            seen[char] = None
    return list(seen)


def describe(char: str) -> str:
    """``U+10FFFD`` plus the Unicode name when it has one."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f"（{name}）" if name else "")
