"""The offline bundle made from the built online site instead of two more MkDocs builds.

Every page of both scripts is copied with its internal links rewritten so that they work
when the folder is opened from ``file://`` (no server turns ``stories/x/`` into
``stories/x/index.html``): directory links get ``index.html``, and root-absolute links (the
404 page's) become relative. Assets keep their names. Each page is rewritten once and kept
in the cache keyed by its bytes and its place, so an unchanged page costs a hash and a read.
Pagefind's folders are left out: Pagefind needs ``fetch`` and WebAssembly, which browsers
refuse on ``file://`` (the bundle's own search lives under ``assets/javascripts/``).
"""

from __future__ import annotations

import os
import posixpath
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..cache import Store, code_stamp, key

#: Folders of the online site that do not work from ``file://`` (at the root and the mirror's).
SKIPPED = frozenset({"pagefind"})
#: Folders whose files are content-hashed photos, never edited: hard-linked, not copied.
LINKED = frozenset({"media"})
_LINK = re.compile(rb'(\s(?:href|action|src)=")([^"]*)(")')
_SCHEME = re.compile(rb"^[A-Za-z][A-Za-z0-9+.-]*:")
#: The footer's content version, which follows every edit: kept out of the cache key (put
#: back after the rewrite), so an edit does not make every page a cache miss.
_FOOTER = re.compile(rb'(<p class="ll-footer__meta">[^<]*? )([^ <]+)(</p>)')
_VERSION_MARK = b"\x00lamplight-version\x00"


@dataclass
class CopyStats:
    """What one offline copy did (for the benchmarks)."""

    pages: int = 0
    """HTML pages written."""
    rewritten: int = 0
    """Pages rewritten now (the others came from the cache)."""
    files: int = 0
    """Other files (assets, photos, feeds) copied or linked."""


def _to_file_url(value: bytes, page_dir: str, base_path: bytes) -> bytes:
    """One link of a page in ``page_dir`` (site-relative folder) as it must read offline."""
    if not value or value.startswith((b"#", b"//")) or _SCHEME.match(value):
        return value
    cut = min((i for i in (value.find(b"?"), value.find(b"#")) if i >= 0), default=len(value))
    path, rest = value[:cut], value[cut:]
    if path.startswith(b"/"):
        if not path.startswith(base_path):
            return value
        target = path[len(base_path) :].decode("utf-8", "replace")
        is_dir = not target or target.endswith(("/", "/.", "/..")) or target in (".", "..")
        rel = posixpath.relpath(target or ".", page_dir or ".")
        path = (rel + "/" if is_dir else rel).encode("utf-8")
    if not path:
        return value
    if path.endswith(b"/"):
        path += b"index.html"
    elif path in (b".", b"..") or path.endswith((b"/.", b"/..")):
        path += b"/index.html"
    return path + rest


def rewrite_page(html: bytes, rel: str, base_path: str = "/") -> bytes:
    """The page at site path ``rel`` with every internal link pointing at a file."""
    page_dir = posixpath.dirname(rel)
    base = base_path.encode("utf-8")

    def repl(match: re.Match[bytes]) -> bytes:
        return match.group(1) + _to_file_url(match.group(2), page_dir, base) + match.group(3)

    return _LINK.sub(repl, html)


def _walk(site: Path) -> list[tuple[str, Path]]:
    """Every file of the site to bundle, sorted (Pagefind and dot-folders left out)."""
    found: list[tuple[str, Path]] = []
    for folder, dirs, files in os.walk(site):
        rel_dir = Path(folder).relative_to(site).as_posix()
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED)
        for name in files:
            if not name.startswith("."):
                rel = name if rel_dir == "." else f"{rel_dir}/{name}"
                found.append((rel, Path(folder) / name))
    return sorted(found)


def _copy_file(source: Path, target: Path, rel: str) -> None:
    if LINKED.intersection(rel.split("/")[:-1]):
        try:
            os.link(source, target)
            return
        except OSError:
            pass
    shutil.copyfile(source, target)


def make_offline_copy(site: Path, copy: Path, site_url: str, store: Store) -> CopyStats:
    """Copy the built ``site`` (both scripts) into the new folder ``copy`` for ``file://``.

    Photos under ``media/`` are hard links of the site's: replace files there, never write
    into them. ``store`` keeps each rewritten page by its bytes and place.
    """
    base_path = urlsplit(site_url).path or "/"
    base_path = base_path if base_path.endswith("/") else base_path + "/"
    stamp = code_stamp(__file__)
    stats = CopyStats()
    made: set[Path] = set()
    for rel, source in _walk(site):
        target = copy / rel
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        if not rel.endswith(".html"):
            _copy_file(source, target, rel)
            stats.files += 1
            continue
        data = source.read_bytes()
        versions = list(_FOOTER.finditer(data))
        version = versions[0].group(2) if len(versions) == 1 else b""
        if version:
            at = versions[0].span(2)
            data = data[: at[0]] + _VERSION_MARK + data[at[1] :]
        name = key(stamp, base_path, rel, data) + ".html"
        page = store.read(name)
        if page is None:
            page = rewrite_page(data, rel, base_path)
            store.write(name, page)
            stats.rewritten += 1
        target.write_bytes(page.replace(_VERSION_MARK, version) if version else page)
        stats.pages += 1
    return stats
