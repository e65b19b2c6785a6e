"""The readers' search: a Pagefind index of the built site, searched in the browser.

Pagefind segments Chinese with a Simplified dictionary, so it indexes a temporary copy of
the site's pages converted to Simplified (the same :func:`~.text.normalise` as the editors'
index). Each copied item page gets a hidden block with

* metadata for the result list (kind, region, Traditional title for the 繁體 mirror),
* the other words of every synonym group the page mentions (蘑菇 finds 香菇),
* the plain Simplified form of protected terms (刘大哥 finds 「劉大哥一家」).

Only the Simplified root is indexed; on the Traditional mirror (``zh-hant/``) the browser
script links to the twin page and shows titles and excerpts in Traditional.

Beside Pagefind's bundle the script finds ``pagefind/lamplight-data.json``: the synonym
groups and two compact character maps (Traditional → Simplified for queries, Simplified →
Traditional for excerpts), made here from OpenCC and limited to characters of the content.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from ..cache import Store
from ..errors import BuildError
from ..fsutil import swap_in
from ..memory import release_free_memory
from .pagefind_copy import (
    APPENDIX_MARK,
    MIRROR,
    OUTPUT,
    Prepared,
    body_text,
    convert_html,
    drop_ignored,
    prepare_copy,
    prepare_pages,
    write_pages,
)
from .pagefind_maps import client_data, s2t_map, t2s_map
from .pagefind_parts import indexed, part_key, prune

if TYPE_CHECKING:
    from ..content import Catalogue

DATA_FILE = "lamplight-data.json"
LANGUAGE = "zh"
#: Files of Pagefind's bundle the site never uses (its own UIs).
UNUSED = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)


class PagefindError(BuildError):
    """The in-browser search index could not be built (message in Chinese, no traceback)."""


class PagefindMissing(PagefindError):
    """The Pagefind program is not installed (``npm ci`` was not run)."""


#: The project that holds this code (its node_modules/ is used when the content root has none).
TOOL_ROOT = Path(__file__).resolve().parents[2]
_PLATFORMS = (
    "linux-x64",
    "linux-arm64",
    "darwin-arm64",
    "darwin-x64",
    "windows-x64",
    "windows-arm64",
)


def find_pagefind(root: Path) -> Path:
    """The Pagefind (extended) executable installed by ``npm ci`` under ``root``.

    Looks in ``root/node_modules`` first, then in the project this code belongs to.
    """
    root = Path(root)
    for base in dict.fromkeys([root.resolve(), TOOL_ROOT]):
        modules = base / "node_modules"
        for platform in _PLATFORMS:
            name = (
                "pagefind_extended.exe" if platform.startswith("windows") else "pagefind_extended"
            )
            path = modules / "@pagefind" / platform / "bin" / name
            if path.is_file() and os.access(path, os.X_OK):
                return path
        wrapper = modules / ".bin" / "pagefind"
        if wrapper.exists() and shutil.which("node"):
            return wrapper
    raise PagefindMissing(
        f"找不到网站搜索工具 Pagefind（应在 {root / 'node_modules'} 中）。"
        f"请在项目根目录 {root} 运行 npm ci 安装它，然后重新生成网站。"
    )


SHARD_PAGES = 1500
"""Most pages one Pagefind run indexes. Pagefind's Chinese indexing holds every page's words
until it writes the index (its memory grows linearly, docs/benchmarks.md), so a larger site
is indexed in parts of at most this many pages: the first part is ``pagefind/``, the others
``pagefind/part-2/``…, and the browser script merges them (Pagefind's ``mergeIndex``)."""
PART_PREFIX = "part-"


def shards(pages: list[str], size: int) -> list[list[str]]:
    """``pages`` dealt into as few parts as keep each within about ``size``, each page by a
    hash of its path: every part is a random sample of the whole (so that the parts' word
    statistics agree), and a page stays in its part while the number of parts holds (an
    edit re-indexes the parts of the changed pages only). Empty parts are left out."""
    count = max(1, -(-len(pages) // max(1, size)))
    dealt: list[list[str]] = [[] for _ in range(count)]
    for page in pages:
        digest = hashlib.blake2b(page.encode("utf-8"), digest_size=8).digest()
        dealt[int.from_bytes(digest, "big") % count].append(page)
    return [part for part in dealt if part]


def pagefind_command(binary: Path, site: Path, out: Path) -> list[str]:
    """The Pagefind run that indexes the pages under ``site`` into ``out``."""
    return [
        str(binary),
        "--site",
        str(site),
        "--output-path",
        str(out),
        "--force-language",
        LANGUAGE,
        "--silent",
    ]


def _run_pagefind(binary: Path, site: Path, out: Path) -> None:
    command = pagefind_command(binary, site, out)
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0 or not (out / "pagefind-entry.json").exists():
        raise PagefindError(
            "网站搜索索引（Pagefind）生成失败：" + (result.stderr or result.stdout).strip()[-2000:]
        )
    for name in UNUSED:
        (out / name).unlink(missing_ok=True)


PARALLEL_PAGES = 1500
"""Most pages indexed at once by Pagefind runs side by side (each run's memory grows with
its pages): parts run two at a time only when two of them fit within this."""


def _write_and_index(
    binary: Path, prepared: Prepared, pages: list[str], source: Path, out: Path
) -> None:
    write_pages(prepared, pages, source)
    _run_pagefind(binary, source, out)
    shutil.rmtree(source, ignore_errors=True)


def _index_parts(binary: Path, tmp: Path, prepared: Prepared, store: Store) -> list[str]:
    """Index the prepared copy in parts into ``tmp/pagefind`` (a part whose pages did not
    change is copied from ``store``, its pages never written); the parts' folders after the
    first."""
    bundle = tmp / OUTPUT
    groups = shards(prepared.pages, SHARD_PAGES)
    jobs: list[Callable[[], bool]] = []
    kept: set[str] = set()
    for number, pages in enumerate(groups, start=1):
        source = tmp / f"site-{number}"
        out = tmp / f"out-{number}"  # own folders: Pagefind may clear its output folder
        command = pagefind_command(binary, source, out)
        name = part_key(binary, command, [(rel, prepared.keys[rel]) for rel in pages])
        kept.add(name)
        run = partial(_write_and_index, binary, prepared, pages, source, out)
        jobs.append(partial(indexed, store, name, out, run, PART_PREFIX))
    largest = max((len(pages) for pages in groups), default=0)
    workers = 2 if len(groups) > 1 and 2 * largest <= PARALLEL_PAGES else 1
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for done in [pool.submit(job) for job in jobs]:
            done.result()
    prune(store, kept)
    os.replace(tmp / "out-1", bundle)
    for number in range(2, len(groups) + 1):
        os.replace(tmp / f"out-{number}", bundle / f"{PART_PREFIX}{number}")
    return [f"{PART_PREFIX}{number}/" for number in range(2, len(groups) + 1)]


def index_site(site_dir: Path, cat: Catalogue) -> None:
    """Build ``site_dir/pagefind/`` for the site just generated in ``site_dir``.

    Raises :class:`PagefindMissing` (message in Chinese) when ``npm ci`` was not run.
    """
    site_dir = Path(site_dir)
    binary = find_pagefind(cat.root)
    with tempfile.TemporaryDirectory(prefix="lamplight-pagefind-") as tmp_name:
        tmp = Path(tmp_name)
        prepared = prepare_pages(site_dir, cat, Store.of(cat.root, "pagefind-pages"))
        if not prepared.pages:
            raise PagefindError(
                f"{site_dir} 中没有带 data-pagefind-body 标记的页面，无法建立网站搜索索引。"
            )
        data = client_data(cat, ["".join(sorted(prepared.chars))], cached=True)
        release_free_memory()  # the Pagefind processes run beside this one
        parts = _index_parts(binary, tmp, prepared, Store.of(cat.root, "pagefind"))
        bundle = tmp / OUTPUT
        if not (bundle / "pagefind.js").exists():
            raise PagefindError("网站搜索索引（Pagefind）生成失败：没有生成 pagefind.js")
        if parts:
            data["parts"] = parts
        (bundle / DATA_FILE).write_text(
            json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True),
            encoding="utf-8",
        )
        staged = site_dir / f".{OUTPUT}-new"
        shutil.rmtree(staged, ignore_errors=True)
        shutil.copytree(bundle, staged)
        swap_in(staged, site_dir / OUTPUT)


__all__ = [
    "APPENDIX_MARK",
    "MIRROR",
    "OUTPUT",
    "PagefindError",
    "PagefindMissing",
    "body_text",
    "client_data",
    "convert_html",
    "drop_ignored",
    "find_pagefind",
    "index_site",
    "prepare_copy",
    "s2t_map",
    "t2s_map",
]
