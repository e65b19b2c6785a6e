"""Converted page HTML cached on disk by content hash (Simplified ⇄ Traditional).

Every page is rendered once and then converted to the build's script with OpenCC; for a page
whose HTML did not change since the last build, the converted copy is read back instead.
Entries not used by a build are removed at its end, so the folder holds one site's pages.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import opencc

from .. import scripts
from ..cache import Store, code_stamp

#: Bump when the conversion itself changes (protected terms are part of each key).
CONVERSION_VERSION = "1"


class ConversionCache:
    """``convert(html)`` for one script and URL style, backed by ``folder``."""

    def __init__(
        self, folder: Path, convert: Callable[[str], str], protected: tuple[str, ...]
    ) -> None:
        self.folder = folder
        """Where the converted pages are kept (one sub-folder per first two hex digits)."""
        self._store = Store(folder)
        self._convert = convert
        self._salt = "\0".join(
            [
                CONVERSION_VERSION,
                getattr(opencc, "__version__", ""),
                code_stamp(scripts.__file__),
                *protected,
            ]
        ).encode()
        self.used: set[str] = set()
        """Entries this build used (the others are removed by :meth:`prune`)."""

    def convert(self, html: str) -> str:
        """``html`` in the build's script (read back when this page was converted before)."""
        data = html.encode("utf-8")
        name = hashlib.blake2b(self._salt + b"\0" + data, digest_size=16).hexdigest()
        self.used.add(name)
        return self._store.text(f"{name[:2]}/{name}", lambda: self._convert(html))

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
