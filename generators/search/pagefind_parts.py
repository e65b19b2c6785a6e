"""Pagefind parts kept between builds: a part whose pages did not change is not indexed again.

A part's key is its pages (paths and bytes of the prepared Simplified copies, with the
footer's content version masked: it follows every edit and lies outside
``data-pagefind-body``, so Pagefind never reads it) plus the Pagefind binary and its
options. A build after a one-story edit re-indexes only the part holding that story's
page; the others are copied from ``.lamplight-cache/pagefind/``. Unused entries are removed
after each index, so the cache holds one site's parts.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

from ..cache import Store, code_stamp, key

_FOOTER_VERSION = re.compile(rb'(<p class="ll-footer__meta">[^<]*? )[^ <]+(</p>)')


def part_key(binary: Path, command: list[str], source: Path) -> str:
    """The key of indexing the pages under ``source`` with ``command`` (paths masked)."""
    stat = binary.stat()
    parts: list[str | bytes] = [
        code_stamp(__file__),
        str(binary),
        f"{stat.st_size}:{stat.st_mtime_ns}",
        " ".join(c for c in command if not c.startswith("/")),
    ]
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        parts.append(path.relative_to(source).as_posix())
        parts.append(_FOOTER_VERSION.sub(rb"\1\2", path.read_bytes()))
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
