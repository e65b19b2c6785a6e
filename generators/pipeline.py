"""The main job, in order: the catalogue is already validated; run each generator on it.

``lamplight build`` = site (both scripts, in-browser search index, offline bundle) + booklets
+ editors' whoosh index. Like MkDocs' ``commands/build.py`` it gathers first and generates
after: everything is written into one staging folder beside the outputs and swapped in only
when every step succeeded, so a failure (bad content, a crash, Ctrl-C) leaves the previous
``site/`` and ``dist/`` exactly as they were.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from . import urls
from .cache import Store
from .content import KINDS, Catalogue
from .errors import BuildError
from .fsutil import swap_in, write_atomic
from .memory import release_free_memory
from .parallel import Running, start

Stage = Callable[[str, Callable[[], Any]], Any]

STAGING_PREFIX = ".lamplight-staging-"
#: Files of dist/ that ``lamplight build`` makes (everything else there is kept).
BUILT_IN_DIST = frozenset({"booklets", "lamplight-offline.zip", "page-budget.json"})

log = logging.getLogger("lamplight.site")


def _plain_stage(name: str, func: Callable[[], Any]) -> Any:
    return func()


def _make_empty(folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder


@contextmanager
def _staging(root: Path) -> Iterator[Path]:
    """A fresh staging folder on the same file system as the outputs; always removed."""
    for stale in root.glob(STAGING_PREFIX + "*"):
        shutil.rmtree(stale, ignore_errors=True)
    folder = _make_empty(root / f"{STAGING_PREFIX}{os.getpid()}")
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _timed_index(site: Path, cat: Catalogue) -> float:
    from .search.pagefind import index_site

    start = time.perf_counter()
    index_site(site, cat)
    return time.perf_counter() - start


def _make_site(
    cat: Catalogue,
    root: Path,
    staging: Path,
    dist: Path,
    *,
    offline: bool,
    previous: Path | None = None,
    timings: dict[str, float] | None = None,
) -> Path:
    """Generate the site into ``staging/site`` on both cores: the Traditional mirror in a
    forked process beside the Simplified build, then the Pagefind index in another beside the
    offline copy (the built pages with file links, zipped into ``dist``); the story page's
    weight goes to ``dist`` too. Pages rendered from the same inputs as in the site last
    built at ``previous`` are copied from it. ``timings`` receives each step's seconds."""
    from .search.offline import write_offline_search
    from .site import build as site_build
    from .site.bundle import OFFLINE_ZIP, page_budget, zip_dir
    from .site.feeds import write_feeds
    from .site.offline_copy import make_offline_copy
    from .site.posters import write_posters
    from .site.session import SiteSession

    config = site_build.config_file(root)
    url = urls.site_url(root)
    epoch = site_build.source_date_epoch(root, cat)
    session = SiteSession(cat)
    if previous is not None:
        site_build.reuse_previous(session, root, previous)
    site = staging / "site"
    took = timings if timings is not None else {}
    release_free_memory()
    site_build.warm_photos(cat, root)
    running: list[Running] = []
    try:
        with site_build.dated(epoch):
            mirror = site_build.start_mirror(session, config, site, url)
            running.append(mirror)
            start_at = time.perf_counter()
            reused = site_build.build_script(session, config, site, "hans", url, True)
            took["mkdocs_hans"], took["reused_hans"] = time.perf_counter() - start_at, reused
            # Pagefind reads only the Simplified pages: it starts beside the mirror's build
            search = start("建立网站搜索索引", _timed_index, site, cat)
            running.append(search)
            took["mkdocs_hant"], took["reused_hant"] = site_build.finish_mirror(mirror, site)
            write_feeds(site, cat, url)
            write_posters(
                site, cat, url, Store.of(root, "posters"), jobs=min(2, os.cpu_count() or 1)
            )
        if offline:
            copy = staging / "offline"
            took["offline_copy"] = _timed(
                lambda: make_offline_copy(site, copy, url, Store.of(root, "offline"))
            )
            took["offline_search"] = _timed(lambda: write_offline_search(cat, copy))
            took["offline_zip"] = _timed(lambda: zip_dir(copy, dist / OFFLINE_ZIP, epoch))
            shutil.rmtree(copy, ignore_errors=True)
        took["pagefind"] = search.wait()
    finally:
        for job in running:
            job.cancel()
    stories = sorted(s.id for s in cat.published_showcases("web"))
    if stories:
        budget = page_budget(site, KINDS["showcase"].page_path(stories[0]) + "index.html")
        write_atomic(
            dist / "page-budget.json", json.dumps(budget, ensure_ascii=False, indent=2) + "\n"
        )
        log.info("故事页首次打开（HTML+CSS+JS，gzip 后）：%.1f KB", budget["total_kb"])
    return site


def _timed(func: Callable[[], Any]) -> float:
    start_at = time.perf_counter()
    func()
    return time.perf_counter() - start_at


def build_site(
    cat: Catalogue,
    root: Path,
    *,
    site_dir: Path | None = None,
    dist_dir: Path | None = None,
    offline: bool = True,
    timings: dict[str, float] | None = None,
) -> Path:
    """The website alone (both scripts, search index, offline zip); swapped in on success.

    ``timings`` receives each step's seconds (the benchmarks read them)."""
    root = root.resolve()
    site_dir = (site_dir or root / "site").resolve()
    dist_dir = (dist_dir or root / "dist").resolve()
    staging = _make_empty(site_dir.with_name(f".{site_dir.name}.building-{os.getpid()}"))
    try:
        dist = _make_empty(staging / "dist")
        site = _make_site(
            cat, root, staging, dist, offline=offline, previous=site_dir, timings=timings
        )
        dist_dir.mkdir(parents=True, exist_ok=True)
        for made in dist.iterdir():
            os.replace(made, dist_dir / made.name)
        swap_in(site, site_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return site_dir


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

    root = root.resolve()
    with _staging(root) as staging:
        new_dist = _make_empty(staging / "dist")
        if (root / "dist").is_dir():  # keep what other commands put there (e.g. a single booklet)
            for item in (root / "dist").iterdir():
                if item.name not in BUILT_IN_DIST:
                    _copy(item, new_dist / item.name)
        new_site = None
        if site:
            new_site = stage(
                "生成网站（简体、繁体和离线包）",
                lambda: _make_site(
                    cat, root, staging, new_dist, offline=True, previous=root / "site"
                ),
            )
        if booklets:
            release_free_memory()  # before the worker processes are forked
            # booklets whose inputs did not change are copied from the last build
            ok = _render(
                cat,
                root,
                [],
                new_dist / "booklets",
                marks=False,
                stage=stage,
                previous=root / "dist" / "booklets",
            )
            if not ok:
                raise BuildError(
                    "小册子印前检查未通过；网站和小册子都没有更新，请按上面的提示修改后再试"
                )
        elif (root / "dist" / "booklets").is_dir():
            _copy(root / "dist" / "booklets", new_dist / "booklets")
        release_free_memory()
        stage("建立编辑用搜索索引", lambda: build_index(cat, root))
        if new_site is not None:
            swap_in(new_site, root / "site")
        swap_in(new_dist, root / "dist")


def _copy(source: Path, target: Path) -> None:
    if source.is_dir():
        shutil.copytree(source, target, symlinks=True)
    else:
        shutil.copy2(source, target)


def _render(
    cat: Catalogue,
    root: Path,
    slugs: list[str],
    out: Path,
    *,
    marks: bool,
    stage: Stage,
    pdf_x: str = "4",
    previous: Path | None = None,
) -> bool:
    from .booklet.build import render_booklets

    return bool(
        stage(
            "生成小册子",
            lambda: render_booklets(
                cat,
                root,
                slugs,
                out,
                marks=marks,
                base_url=urls.site_url(root),
                pdf_x=pdf_x,
                previous=previous,
            ),
        )
    )


def build_booklets(
    cat: Catalogue,
    root: Path,
    slugs: list[str],
    out: Path,
    *,
    marks: bool = False,
    stage: Stage = _plain_stage,
    pdf_x: str = "4",
) -> bool:
    """Render booklets into ``out`` (each booklet's folder is swapped in when complete).

    ``pdf_x`` is the press files' PDF/X standard (``4`` or ``1a``).
    """
    return _render(cat, root, slugs, out, marks=marks, stage=stage, pdf_x=pdf_x)
