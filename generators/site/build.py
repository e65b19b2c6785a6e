"""Build the website of each script with MkDocs, the validated catalogue handed to the plugin."""

from __future__ import annotations

import datetime as dt
import logging
import os
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..cache import CACHE_DIR
from ..content import Catalogue
from ..errors import SiteError
from ..memory import release_free_memory
from ..parallel import Running, start
from .session import SiteSession

#: The Traditional mirror's folder under the site root.
MIRROR = "zh-hant/"


class _DropDirtyNotice(logging.Filter):
    """MkDocs warns in English about "dirty" builds; ours are into a fresh folder."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not ("'dirty' build" in message or "stale files" in message)


class _Collect(logging.Handler):
    """Keeps MkDocs warnings so that a strict failure can say what went wrong."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def quiet_mkdocs() -> Iterator[_Collect]:
    """MkDocs' log kept from the console; its warnings collected."""
    logger = logging.getLogger("mkdocs")
    handler = _Collect()
    old_propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    dirty = _DropDirtyNotice()
    build_log = logging.getLogger("mkdocs.commands.build")
    build_log.addFilter(dirty)
    try:
        yield handler
    finally:
        build_log.removeFilter(dirty)
        logger.removeHandler(handler)
        logger.propagate = old_propagate


def _newest_content_epoch(cat: Catalogue) -> int | None:
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
    return _newest_content_epoch(cat) or 946684800


@contextmanager
def dated(seconds: int) -> Iterator[None]:
    """SOURCE_DATE_EPOCH set to ``seconds`` while the block runs (MkDocs dates the sitemap)."""
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(seconds)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


def config_file(root: Path) -> Path:
    """The project's mkdocs.yml (a Chinese error when it is missing)."""
    path = root / "mkdocs.yml"
    if not path.is_file():
        raise SiteError(f"找不到网站配置文件 {path}；请在项目根目录运行")
    return path


def build_script(
    session: SiteSession,
    config: Path,
    site_dir: Path,
    script: str,
    url: str,
    directory_urls: bool,
) -> int:
    """One strict MkDocs build of one script into ``site_dir``; how many pages it copied
    from the previous build (see :func:`reuse_previous`)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    from .plugin import attach

    label = "繁体" if script == "hant" else "简体"
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    with quiet_mkdocs() as warnings:
        try:
            mkdocs_config = load_config(
                config_file=str(config),
                site_dir=str(site_dir),
                site_url=url,
                use_directory_urls=directory_urls,
                strict=True,
            )
            attach(mkdocs_config, session, script=script, mirror=MIRROR)
            # reusing the previous build's pages, MkDocs builds "dirty" (into a fresh folder)
            build(mkdocs_config, dirty=script in session.reuse)
            del mkdocs_config
            # the next step starts from what is still alive, not from this build's peak
            release_free_memory(collect=True)
            reuse = session.reuse.get(script)
            return reuse.reused if reuse is not None else 0
        except SiteError:
            raise
        except (Abort, ConfigurationError) as exc:
            detail = "\n".join(warnings.messages) or str(exc)
            raise SiteError(f"生成{label}网站失败：\n{detail}") from None


def build_scripts(
    session: SiteSession, config: Path, folder: Path, url: str, *, directory_urls: bool
) -> None:
    """The Simplified site into ``folder`` and its Traditional mirror under it (one process)."""
    build_script(session, config, folder, "hans", url, directory_urls)
    build_script(session, config, folder / MIRROR.strip("/"), "hant", url + MIRROR, directory_urls)


def _timed_build(
    session: SiteSession, config: Path, folder: Path, script: str, url: str, directory_urls: bool
) -> tuple[float, int]:
    start = time.perf_counter()
    reused = build_script(session, config, folder, script, url, directory_urls)
    return time.perf_counter() - start, reused


def start_mirror(session: SiteSession, config: Path, folder: Path, url: str) -> Running:
    """The Traditional mirror of the site to be built in ``folder``, built now in a forked
    process into a sibling folder (MkDocs empties ``folder`` when the Simplified build starts);
    :func:`finish_mirror` moves it under ``folder``. The child returns its seconds and the
    number of pages it copied from the previous build."""
    return start(
        "生成繁体网站", _timed_build, session, config, _aside(folder), "hant", url + MIRROR, True
    )


def finish_mirror(running: Running, folder: Path) -> tuple[float, int]:
    """Wait for :func:`start_mirror`'s build and move it to ``folder/zh-hant``; its seconds
    and the pages it copied from the previous build."""
    seconds, reused = running.wait()
    os.replace(_aside(folder), folder / MIRROR.strip("/"))
    return float(seconds), int(reused)


def reuse_previous(session: SiteSession, root: Path, previous: Path) -> None:
    """Let this command's builds copy unchanged pages from the site last built at
    ``previous`` (the Simplified site, its mirror under ``zh-hant/``)."""
    from ..cache import Store
    from .reuse import Reuse

    store = Store.of(root, "build")
    session.reuse["hans"] = Reuse.of(previous, store, "hans", "dir")
    session.reuse["hant"] = Reuse.of(previous / MIRROR.strip("/"), store, "hant", "dir")


def _aside(folder: Path) -> Path:
    return folder.with_name(f"{folder.name}-{MIRROR.strip('/')}")


def warm_photos(cat: Catalogue, root: Path) -> None:
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
    images.warm_cache(sources, root / CACHE_DIR / "images", workers=min(2, os.cpu_count() or 1))
