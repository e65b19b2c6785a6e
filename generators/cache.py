"""One content-keyed cache store under ``<root>/.lamplight-cache/`` for every build step.

An entry's key hashes everything its value depends on (input bytes, parameters, library
and code versions), so a stale entry is never served; entries are written atomically, so
parallel workers and interrupted builds never leave a half-written one. A cache that cannot
be read or written only costs time. The folder is safe to delete at any time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import cache as _memo
from pathlib import Path

from .fsutil import write_atomic

CACHE_DIR = ".lamplight-cache"


def key(*parts: str | bytes) -> str:
    """SHA-256 over the parts, each length-prefixed so that boundaries cannot shift."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


@_memo
def code_stamp(*files: str) -> str:
    """Hash of source files (``__file__`` of the code making an entry), part of its key."""
    return key(*(Path(f).read_bytes() for f in files))


class Store:
    """The entries of one step (``namespace``) of one project, or no cache at all."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        """Where this step's entries live; ``None`` disables caching."""

    @classmethod
    def of(cls, root: Path, namespace: str) -> Store:
        """The store of step ``namespace`` (e.g. ``"qr"``) for the project at ``root``."""
        return cls(Path(root) / CACHE_DIR / namespace)

    def path(self, name: str) -> Path | None:
        """The file of entry ``name`` (a key or a key with an extension)."""
        return None if self.folder is None else self.folder / name

    def read(self, name: str) -> bytes | None:
        """The bytes of entry ``name``, or ``None`` when absent or unreadable."""
        path = self.path(name)
        if path is None:
            return None
        try:
            return path.read_bytes()
        except OSError:
            return None

    def write(self, name: str, data: bytes | str) -> None:
        """Store entry ``name``; a store that cannot be written is simply not used."""
        path = self.path(name)
        if path is None:
            return
        try:
            write_atomic(path, data)
        except OSError:
            pass

    def bytes(self, name: str, make: Callable[[], bytes]) -> bytes:
        """Entry ``name``, made by ``make()`` and stored when absent."""
        found = self.read(name)
        if found is not None:
            return found
        value = make()
        self.write(name, value)
        return value

    def text(self, name: str, make: Callable[[], str]) -> str:
        """Entry ``name`` as UTF-8 text, made by ``make()`` and stored when absent."""
        found = self.read(name)
        if found is not None:
            try:
                return found.decode("utf-8")
            except UnicodeDecodeError:
                pass
        value = make()
        self.write(name, value)
        return value
