"""Pagefind parts kept between builds: a part whose pages did not change is not indexed again.

A part's key is its pages (paths and the keys of their prepared Simplified copies, which
hash everything a copy is made from, see :func:`.pagefind_copy.prepare_pages`) plus the
Pagefind binary and its options. A build after a one-story edit re-indexes only the part holding that story's
page; the others are copied from ``.lamplight-cache/pagefind/``. Unused entries are removed
after each index, so the cache holds one site's parts.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

from ..cache import Store, code_stamp, key


def part_key(binary: Path, command: list[str], pages: list[tuple[str, str]]) -> str:
    """The key of indexing ``pages`` (each page's path and the key of its prepared copy) with
    ``command`` (its paths masked)."""
    stat = binary.stat()
    parts: list[str | bytes] = [
        code_stamp(__file__),
        str(binary),
        f"{stat.st_size}:{stat.st_mtime_ns}",
        " ".join(c for c in command if not c.startswith("/")),
    ]
    for rel, page_key in sorted(pages):
        parts += [rel, page_key]
    return key(*parts)


def indexed(store: Store, name: str, out: Path, run: Callable[[], None], skip: str) -> bool:
    """Pagefind's output for key ``name`` at ``out``: copied from ``store`` when kept there,
    else made by ``run()`` and kept (sub-folders named ``skip…``, other parts, left out).
    ``True`` when it came from the store."""
    entry = store.path(name)
    if entry is not None and entry.is_dir():
        shutil.copytree(entry, out, dirs_exist_ok=True)
        return True
    run()
    if entry is None:
        return False
    tmp = entry.with_name(f".{name}.{os.getpid()}.tmp")
    try:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.copytree(out, tmp, ignore=lambda d, names: [n for n in names if n.startswith(skip)])
        os.replace(tmp, entry)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
    return False


def prune(store: Store, keep: set[str]) -> None:
    """Remove every kept part but ``keep`` (the parts of the index just made)."""
    folder = store.folder
    if folder is None or not folder.is_dir():
        return
    for entry in folder.iterdir():
        if entry.name not in keep and not entry.name.startswith("."):
            shutil.rmtree(entry, ignore_errors=True)
