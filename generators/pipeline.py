"""The main job, in order: the catalogue is already validated; run each generator on it.

``lamplight build`` = site (both scripts, offline bundle, in-browser search index)
+ editors' whoosh index + booklets. Everything is written into one staging folder beside
the outputs and swapped in only when every step succeeded, so a failure (bad content, a
crash, Ctrl-C) leaves the previous ``site/`` and ``dist/`` exactly as they were.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .content import Catalogue
from .errors import BuildError
from .fsutil import swap_in
from .memory import release_free_memory

Stage = Callable[[str, Callable[[], Any]], Any]

STAGING_PREFIX = ".lamplight-staging-"


def _plain_stage(name: str, func: Callable[[], Any]) -> Any:
    return func()


@contextmanager
def _staging(root: Path) -> Iterator[Path]:
    """A fresh staging folder on the same file system as the outputs; always removed."""
    for stale in root.glob(STAGING_PREFIX + "*"):
        shutil.rmtree(stale, ignore_errors=True)
    folder = root / f"{STAGING_PREFIX}{os.getpid()}"
    folder.mkdir()
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def build_all(
    cat: Catalogue,
    root: Path,
    *,
    site: bool = True,
    booklets: bool = True,
    stage: Stage = _plain_stage,
) -> None:
    """Run every generator on the validated catalogue; swap outputs in only if all succeeded."""
    from .search.index import build_index
    from .site.build import build_site

    root = root.resolve()
    with _staging(root) as staging:
        new_site, new_dist = staging / "site", staging / "dist"
        new_dist.mkdir()
        if (root / "dist").is_dir():  # keep what other commands put there (e.g. a single booklet)
            for item in (root / "dist").iterdir():
                if item.name not in {"booklets", "lamplight-offline.zip", "page-budget.json"}:
                    _copy(item, new_dist / item.name)
        if site:
            stage(
                "生成网站（简体、繁体和离线包）",
                lambda: build_site(cat, root, site_dir=new_site, dist_dir=new_dist),
            )
        if booklets:
            release_free_memory()  # before the worker processes are forked
            ok = _render(cat, root, [], new_dist / "booklets", marks=False, stage=stage)
            if not ok:
                raise BuildError(
                    "小册子印前检查未通过；网站和小册子都没有更新，请按上面的提示修改后再试"
                )
        elif (root / "dist" / "booklets").is_dir():
            _copy(root / "dist" / "booklets", new_dist / "booklets")
        release_free_memory()
        stage("建立编辑用搜索索引", lambda: build_index(cat, root))
        if site:
            swap_in(new_site, root / "site")
        swap_in(new_dist, root / "dist")


def _copy(source: Path, target: Path) -> None:
    if source.is_dir():
        shutil.copytree(source, target, symlinks=True)
    else:
        shutil.copy2(source, target)


def _render(
    cat: Catalogue, root: Path, slugs: list[str], out: Path, *, marks: bool, stage: Stage
) -> bool:
    from .booklet.build import render_booklets

    return bool(stage("生成小册子", lambda: render_booklets(cat, root, slugs, out, marks=marks)))


def build_booklets(
    cat: Catalogue,
    root: Path,
    slugs: list[str],
    out: Path,
    *,
    marks: bool = False,
    stage: Stage = _plain_stage,
) -> bool:
    """Render booklets into ``out`` (each booklet's folder is swapped in when complete)."""
    return _render(cat, root, slugs, out, marks=marks, stage=stage)
