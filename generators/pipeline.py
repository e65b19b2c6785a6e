"""The main job, in order: the catalogue is already validated; run each generator on it.

``lamplight build`` = site (both scripts, offline bundle, in-browser search index)
+ editors' whoosh index + booklets. Each generator writes into a temporary folder and
swaps its output in only when it succeeded.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from .catalogue import Catalogue

Stage = Callable[[str, Callable[[], Any]], Any]


def _plain_stage(name: str, func: Callable[[], Any]) -> Any:
    return func()


def build_all(
    cat: Catalogue,
    root: Path,
    *,
    site: bool = True,
    booklets: bool = True,
    stage: Stage = _plain_stage,
) -> None:
    """Run every generator on the validated catalogue."""
    if site:
        from .site.build import build_site

        stage("生成网站（简体、繁体和离线包）", lambda: build_site(cat, root))
    try:
        from .search.index import build_index
    except ImportError:  # search not installed yet
        build_index = None  # type: ignore[assignment]
    if build_index is not None:
        stage("建立编辑用搜索索引", lambda: build_index(cat, root))
    if booklets:
        build_booklets(cat, root, [], root / "dist" / "booklets", stage=stage)


def build_booklets(
    cat: Catalogue,
    root: Path,
    slugs: list[str],
    out: Path,
    *,
    marks: bool = False,
    stage: Stage = _plain_stage,
) -> bool:
    """Render the booklets; True when every preflight passed."""
    from .booklet.build import render_booklets

    return bool(stage("生成小册子", lambda: render_booklets(cat, root, slugs, out, marks=marks)))
