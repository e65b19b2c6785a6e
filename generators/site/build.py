"""Build the whole website (Simplified root, Traditional mirror, offline zip) and swap it in."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import logging
import os
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .. import urls
from ..content import Catalogue
from ..errors import SiteError
from ..fsutil import swap_in
from ..memory import release_free_memory
from . import state

log = logging.getLogger("lamplight.site")

MIRROR = "zh-hant/"
OFFLINE_ZIP = "lamplight-offline.zip"
_ASSET_RE = re.compile(r'<(?:link[^>]+rel="stylesheet"[^>]*href|script[^>]+src)="([^"]+)"')


class _Collect(logging.Handler):
    """Keeps MkDocs warnings so that a strict failure can say what went wrong."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _quiet_mkdocs() -> Iterator[_Collect]:
    logger = logging.getLogger("mkdocs")
    handler = _Collect()
    old_propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.propagate = old_propagate


def _content_epoch(cat: Catalogue) -> int | None:
    dates: list[dt.date] = []
    for skill in cat.skills.values():
        dates.append(skill.validated_by.date)
    for showcase in cat.showcases.values():
        if showcase.consent is not None:
            dates.append(showcase.consent.signed)
    for elder in cat.elders.values():
        if elder.consent is not None:
            dates.append(elder.consent.signed)
    if not dates:
        return None
    newest = max(dates)
    return int(dt.datetime(newest.year, newest.month, newest.day, tzinfo=dt.UTC).timestamp())


def source_date_epoch(root: Path, cat: Catalogue) -> int:
    """SOURCE_DATE_EPOCH if set, else the last commit time, else the newest content date."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value and value.strip().isdigit():
        return int(value)
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "log", "-1", "--format=%ct"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout.strip()
        if out.isdigit():
            return int(out)
    except (OSError, subprocess.SubprocessError):
        pass
    return _content_epoch(cat) or 946684800


@contextmanager
def _epoch(seconds: int) -> Iterator[None]:
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(seconds)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


def _config_file(root: Path) -> Path:
    path = root / "mkdocs.yml"
    if not path.is_file():
        raise SiteError(f"找不到网站配置文件 {path}；请在项目根目录运行")
    return path


def _mkdocs_build(
    config_file: Path, site_dir: Path, script: str, site_url: str, directory_urls: bool
) -> None:
    """One strict MkDocs build of one script."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    label = "繁体" if script == "hant" else "简体"
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    with _quiet_mkdocs() as warnings:
        try:
            config = load_config(
                config_file=str(config_file),
                site_dir=str(site_dir),
                site_url=site_url,
                use_directory_urls=directory_urls,
                strict=True,
            )
            config.plugins["lamplight"].config["script"] = script
            config.plugins["lamplight"].config["mirror"] = MIRROR
            build(config)
            del config
            # the next step starts from what is still alive, not from this build's peak
            release_free_memory(collect=True)
        except SiteError:
            raise
        except (Abort, ConfigurationError) as exc:
            detail = "\n".join(warnings.messages) or str(exc)
            raise SiteError(f"生成{label}网站失败：\n{detail}") from None


def _zip_dir(folder: Path, target: Path, epoch: int) -> None:
    """Deterministic zip of ``folder`` (sorted names, fixed times and modes)."""
    stamp = dt.datetime.fromtimestamp(max(epoch, 315532800), dt.UTC).timetuple()[:6]
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(path.relative_to(folder).as_posix(), date_time=stamp)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes(), compresslevel=9)
    os.replace(tmp, target)


def _gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def page_budget(site_dir: Path, page: str) -> dict[str, Any]:
    """Gzipped bytes of one page's HTML plus the CSS and JS it loads on first visit."""
    html_path = site_dir / page
    html = html_path.read_bytes()
    css = js = 0
    files = []
    for ref in _ASSET_RE.findall(html.decode("utf-8")):
        target = (html_path.parent / ref.split("?")[0]).resolve()
        if not target.is_file():
            continue
        size = _gzip_size(target.read_bytes())
        files.append({"file": target.relative_to(site_dir.resolve()).as_posix(), "gzip": size})
        if target.suffix == ".css":
            css += size
        else:
            js += size
    page_size = _gzip_size(html)
    return {
        "page": page,
        "html": page_size,
        "css": css,
        "js": js,
        "total": page_size + css + js,
        "total_kb": round((page_size + css + js) / 1024, 1),
        "files": files,
    }


def _search_indexer() -> Callable[[Path, Catalogue], None] | None:
    """The search helper's Pagefind step, when that module is installed."""
    try:
        from ..search.pagefind import index_site
    except ImportError:
        return None
    return index_site


def _warm_photos(cat: Catalogue, root: Path) -> None:
    """Resize every published photo up front on both cores (cached by content hash)."""
    from . import images

    sources = [
        cat.folder(showcase) / photo.file
        for showcase in cat.published_showcases("web")
        for photo in showcase.photos
    ]
    sources += [
        cat.folder(skill) / step.image
        for skill in cat.published_skills()
        for step in skill.steps
        if step.image
    ]
    images.warm_cache(
        sources, root / ".lamplight-cache" / "images", workers=min(2, os.cpu_count() or 1)
    )


def build_site(
    cat: Catalogue,
    root: Path,
    *,
    site_dir: Path | None = None,
    dist_dir: Path | None = None,
    offline: bool = True,
) -> Path:
    """Build both scripts (and the offline zip) into a temporary folder; swap in only on success."""
    root = root.resolve()
    site_dir = (site_dir or root / "site").resolve()
    dist_dir = (dist_dir or root / "dist").resolve()
    config_file = _config_file(root)
    from mkdocs.config import load_config

    with _quiet_mkdocs():
        base_url = (
            load_config(config_file=str(config_file)).site_url or "https://lamplight.example.org/"
        )
    if not base_url.endswith("/"):
        base_url += "/"
    epoch = source_date_epoch(root, cat)
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    work = site_dir.with_name(f".{site_dir.name}.building-{os.getpid()}")
    offline_work = site_dir.with_name(f".{site_dir.name}.offline-{os.getpid()}")
    for folder in (work, offline_work):
        if folder.exists():
            shutil.rmtree(folder)
    try:
        release_free_memory()
        _warm_photos(cat, root)
        with state.preloaded(cat), _epoch(epoch):
            _mkdocs_build(config_file, work, "hans", base_url, True)
            _mkdocs_build(config_file, work / MIRROR.strip("/"), "hant", base_url + MIRROR, True)
            index_site = _search_indexer()
            if index_site is not None:
                try:
                    index_site(work, cat)
                except RuntimeError as exc:
                    raise SiteError(f"网站搜索索引没有生成：{exc}") from None
            if offline:
                _mkdocs_build(config_file, offline_work, "hans", base_url, False)
                _mkdocs_build(
                    config_file, offline_work / MIRROR.strip("/"), "hant", base_url + MIRROR, False
                )
        stories = sorted(s.id for s in cat.published_showcases("web"))
        budget = None
        if stories:
            page = urls.dest_url(urls.story_src(stories[0]), True) + "index.html"
            budget = page_budget(work, page)
        if offline:
            _zip_dir(offline_work, dist_dir / OFFLINE_ZIP, epoch)
        swap_in(work, site_dir)
    finally:
        for folder in (work, offline_work):
            if folder.exists():
                shutil.rmtree(folder, ignore_errors=True)
    if budget is not None:
        dist_dir.mkdir(parents=True, exist_ok=True)
        (dist_dir / "page-budget.json").write_text(
            json.dumps(budget, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        log.info("故事页首次打开（HTML+CSS+JS，gzip 后）：%.1f KB", budget["total_kb"])
    return site_dir


class _DropDirtyNotice(logging.Filter):
    """MkDocs explains its 'dirty' builds in English; the preview rebuilds that way on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not ("'dirty' build" in message or "stale files" in message)


def serve_site(root: Path, addr: str = "127.0.0.1:8000") -> None:
    """Live preview of the Simplified site; reloads when content or templates change.

    The first build renders every page; after an edit only the pages whose content changed
    are rendered and written again (see ``LamplightPlugin.on_files``).
    """
    from mkdocs.commands.serve import serve

    root = root.resolve()
    config_file = _config_file(root)
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    notice = _DropDirtyNotice()
    build_logger = logging.getLogger("mkdocs.commands.build")
    build_logger.addFilter(notice)
    try:
        with state.previewing(root):
            serve(config_file=str(config_file), dev_addr=addr, livereload=True, build_type="dirty")
    finally:
        state.release_gc()
        build_logger.removeFilter(notice)
