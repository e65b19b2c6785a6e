"""Converted page HTML cached on disk by content hash (Simplified ⇄ Traditional).

Every page is rendered once and then converted to the build's script with OpenCC; for a page
whose HTML did not change since the last build, the converted copy is read back instead.
Entries not used by a build are removed at its end, so the folder holds one site's pages.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import opencc

#: Bump when the conversion itself changes (protected terms are part of each key).
CONVERSION_VERSION = "1"


class ConversionCache:
    """``convert(html)`` for one script and URL style, backed by ``folder``."""

    def __init__(
        self, folder: Path, convert: Callable[[str], str], protected: tuple[str, ...]
    ) -> None:
        self.folder = folder
        self._convert = convert
        self._salt = "\0".join(
            [CONVERSION_VERSION, getattr(opencc, "__version__", ""), *protected]
        ).encode()
        self.used: set[str] = set()

    def convert(self, html: str) -> str:
        data = html.encode("utf-8")
        name = hashlib.blake2b(self._salt + b"\0" + data, digest_size=16).hexdigest()
        self.used.add(name)
        path = self.folder / name[:2] / name
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            pass
        result = self._convert(html)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{name}.{os.getpid()}.tmp")
            tmp.write_text(result, encoding="utf-8")
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only cache only costs time
        return result

    def prune(self) -> None:
        """Remove entries this build did not use (old versions of pages)."""
        if not self.folder.is_dir():
            return
        for sub in self.folder.iterdir():
            if not sub.is_dir():
                continue
            for entry in sub.iterdir():
                if entry.name not in self.used:
                    entry.unlink(missing_ok=True)
