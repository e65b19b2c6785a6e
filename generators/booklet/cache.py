"""Content-hash cache of expensive booklet sub-steps under ``<root>/.lamplight-cache/booklets``.

Only intermediate results are cached (cleaned photos, the rendered A4 instruction sheet,
the character sets of the installed fonts), never a whole booklet: every press PDF is
rendered, imposed and preflighted on each run. Keys hash everything the result depends on
(input bytes, parameters, library versions), so a stale entry is never served. Entries are
written to a temporary file and renamed into place, so parallel workers and interrupted
builds never leave a half-written entry.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

FOLDER = Path(".lamplight-cache") / "booklets"

VERSION = "1"
"""Bump when the meaning of a cached entry changes."""


def folder(root: Path) -> Path:
    return root / FOLDER


def key(*parts: str | bytes) -> str:
    """SHA-256 over the parts (each length-prefixed, so boundaries cannot shift)."""
    digest = hashlib.sha256(VERSION.encode())
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def write(path: Path, data: bytes) -> None:
    """Write ``data`` atomically; a cache that cannot be written is simply not used."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass


def place(source: Path, target: Path) -> None:
    """Put a cached file at ``target`` (hard link when possible, else a copy)."""
    if target.exists():
        return
    try:
        os.link(source, target)
    except OSError:
        target.write_bytes(source.read_bytes())


_STAMPS: dict[tuple[str, ...], str] = {}


def code_stamp(*files: str) -> str:
    """Hash of the given source files (``__file__`` of the code that makes an entry).

    Part of the key of entries made by our own code, so editing that code never serves
    an entry it would no longer produce.
    """
    found = _STAMPS.get(files)
    if found is None:
        found = _STAMPS[files] = key(*(Path(f).read_bytes() for f in files))
    return found


def text(cache_dir: Path | None, kind: str, parts: tuple[str, ...], make: Callable[[], str]) -> str:
    """``make()``, kept in ``cache_dir`` under a hash of ``kind`` and ``parts``."""
    if cache_dir is None:
        return make()
    entry = cache_dir / f"{kind}-{key(kind, *parts)}.txt"
    data = read(entry)
    if data is not None:
        return data.decode("utf-8")
    value = make()
    write(entry, value.encode("utf-8"))
    return value
