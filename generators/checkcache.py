"""Content-hash cache for ``lamplight check`` (``<project>/.lamplight-cache/check.pickle``).

Per-file work (YAML parsing with positions, validation, Markdown checks, the private-data
scan, photo GPS flags, near-copy shingles) depends only on the file's bytes, its path and
the code; it is stored under a key made of all three, so a rebuild after editing one story
redoes only that story's work. Everything that depends on other files or on today's date is
recomputed by the caller on every run.

- Keys include :func:`pipeline`, a digest of the checking code and library versions, so a code
  change invalidates every entry.
- A file's digest is looked up by ``(size, mtime_ns, ctime_ns, inode)`` only when the file was
  last changed well before it was read (otherwise it is read and hashed again), as git does for
  "racy" index entries.
- Values are pickled; every lookup unpickles a fresh copy, so callers may mutate what they get.
- A missing, corrupt or foreign cache file is ignored; failing to write one is ignored too.
- A session given the :class:`CacheFile` of an earlier session (the live preview, which
  reloads often, keeps it) re-reads the file only when another process has replaced it.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .cache import CACHE_DIR
from .fsutil import write_atomic

CACHE_FILE = "check.pickle"
FORMAT = "lamplight-check-cache/1"
RACY_NS = 2_000_000_000
"""A stat signature is trusted only for files last changed this long before they were read."""

_PIPELINE_MODULES = (
    *(f"content/{p.name}" for p in sorted((Path(__file__).parent / "content").glob("*.py"))),
    "checkcache.py",
    "diagnostics.py",
    "markup.py",
    "messages.py",
    "models.py",
    "privacy.py",
    "scripts.py",
    "yamlio.py",
    "text.py",
)

Sig = tuple[int, int, int, int]


@functools.cache
def pipeline() -> str:
    """Digest of the checking code and the versions of the libraries it relies on."""
    digest = hashlib.sha256(FORMAT.encode())
    base = Path(__file__).resolve().parent
    for name in _PIPELINE_MODULES:
        digest.update(name.encode() + b"\0")
        try:
            digest.update((base / name).read_bytes())
        except OSError:
            digest.update(b"-")
    import pydantic
    import yaml

    versions = [sys.version, pydantic.VERSION, getattr(yaml, "__version__", "")]
    try:
        from importlib.metadata import version

        versions.append(version("opencc"))
    except Exception:  # noqa: BLE001 - any failure just means "unknown version"
        versions.append("?")
    digest.update("\0".join(versions).encode())
    return digest.hexdigest()[:32]


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def key(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:40]


def sig_of(st: os.stat_result) -> Sig:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


@dataclass
class CacheFile:
    """The contents of one cache file, as read or last written by this process."""

    entries: dict[str, bytes] = field(default_factory=dict)
    """Key → pickled value."""
    stats: dict[str, tuple[Sig, str]] = field(default_factory=dict)
    """Relative path → (stat signature, content digest) of the files last read."""
    file_sig: Sig | None = None
    """Stat signature of the cache file as last read or written by this process."""


def _read_store(path: Path) -> CacheFile:
    try:
        st = path.stat()
        with path.open("rb") as handle:
            data = pickle.load(handle)
        if (
            isinstance(data, dict)
            and data.get("format") == FORMAT
            and data.get("pipeline") == pipeline()
            and isinstance(data.get("entries"), dict)
            and isinstance(data.get("stats"), dict)
        ):
            return CacheFile(data["entries"], data["stats"], sig_of(st))
    except Exception:  # noqa: BLE001 - a missing, corrupt or foreign cache is simply not used
        pass
    return CacheFile()


class Session:
    """One run's view of the cache: lookups, new entries, and the save at the end."""

    def __init__(self, root: Path, *, store: CacheFile | None = None):
        self.root = root
        """The project folder."""
        self.path = root / CACHE_DIR / CACHE_FILE
        """The cache file."""
        self.start_ns = time.time_ns()
        """When the session started (files changed later are not trusted by their stat)."""
        self.pipeline = pipeline()
        """Digest of the checking code (stored with the entries)."""
        try:
            current: Sig | None = sig_of(self.path.stat())
        except OSError:
            current = None
        if store is None or store.file_sig != current:
            store = _read_store(self.path) if current is not None else CacheFile()
        self.store = store
        """The cache file's contents (``store`` reused when the file did not change since)."""
        self.entries = self.store.entries
        """Key → pickled value (the store's, updated in place)."""
        self.used: set[str] = set()
        """Keys read or written in this run (the others are dropped on save)."""
        self.new_stats: dict[str, tuple[Sig, str]] = {}
        """The file digests noted in this run (they replace the stored ones on save)."""
        self.dirty = False
        """True when the file must be written again."""

    # ---------------------------------------------------------------- digests

    def known_digest(self, rel: str, sig: Sig) -> str | None:
        """The digest recorded for ``rel`` when its stat signature is unchanged and trusted."""
        found = self.store.stats.get(rel)
        if found is not None and found[0] == sig:
            return found[1]
        return None

    def note_digest(self, rel: str, sig: Sig, digest: str) -> None:
        """Remember ``rel``'s digest, unless it changed too recently to trust its stat."""
        if max(sig[1], sig[2]) + RACY_NS < self.start_ns:
            self.new_stats[rel] = (sig, digest)

    # ---------------------------------------------------------------- entries

    def has(self, k: str) -> bool:
        return k in self.entries

    def get(self, k: str) -> Any:
        """A fresh copy of the value stored under ``k``, or ``None`` (missing or unreadable)."""
        blob = self.entries.get(k)
        if blob is None:
            return None
        try:
            value = pickle.loads(blob)
        except Exception:  # noqa: BLE001 - a damaged entry is recomputed
            del self.entries[k]
            return None
        self.used.add(k)
        return value

    def keep(self, k: str) -> None:
        """Count ``k`` as used in this run (it is saved) without reading it now."""
        if k in self.entries:
            self.used.add(k)

    def put_blob(self, k: str, blob: bytes) -> None:
        self.entries[k] = blob
        self.used.add(k)
        self.dirty = True

    def put(self, k: str, value: Any) -> None:
        self.put_blob(k, dumps(value))

    # ---------------------------------------------------------------- saving

    def save(self, keep_prefixes: tuple[str, ...] = ()) -> None:
        """Write the store (entries used in this run, plus those whose key starts with one of
        ``keep_prefixes``); ``store`` is then what the file holds."""
        if self.new_stats != self.store.stats:
            self.dirty = True
        unused = [k for k in self.entries if k not in self.used and not k.startswith(keep_prefixes)]
        if unused:
            self.dirty = True
            for k in unused:
                del self.entries[k]
        self.store.stats = self.new_stats
        if not self.dirty:
            return
        data = {
            "format": FORMAT,
            "pipeline": self.pipeline,
            "entries": self.entries,
            "stats": self.new_stats,
        }
        try:
            write_atomic(self.path, dumps(data))
            self.store.file_sig = sig_of(self.path.stat())
        except OSError:
            self.store.file_sig = None


def dumps(value: Any) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


__all__ = ["CacheFile", "Session", "pipeline", "file_digest", "key", "sig_of", "dumps"]
