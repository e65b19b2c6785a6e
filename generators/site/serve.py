"""``lamplight serve``: MkDocs' live-reload server, each rebuild handed the preview session."""

from __future__ import annotations

import logging
import shutil
import tempfile
from os.path import isfile, join
from pathlib import Path
from urllib.parse import urlsplit

from ..cache import Store
from ..errors import SiteError
from .build import MIRROR, config_file
from .feeds import write_feeds
from .plugin import attach
from .posters import write_poster
from .serve_errors import PreviewServer, collected_errors, error_page
from .session import Preview, SiteSession

log = logging.getLogger("mkdocs.commands.serve")


class _DropDirtyNotice(logging.Filter):
    """MkDocs explains its 'dirty' builds in English; the preview rebuilds that way on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not ("'dirty' build" in message or "stale files" in message)


def _show_mkdocs_log() -> None:
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def serve_site(root: Path, addr: str = "127.0.0.1:8000") -> None:
    """Live preview of the site and its Traditional mirror (``/zh-hant/``); reloads when
    content or templates change.

    Runs what ``mkdocs serve`` runs, with one :class:`Preview` for all rebuilds: the first
    build renders every page; after an edit only the pages whose content changed are
    rendered and written again (see ``LamplightPlugin.on_files``). A failed rebuild keeps
    the last good pages and shows its problems in the browser (see ``serve_errors``). The
    feeds are written after each good rebuild; a share poster is drawn when it is asked for.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.exceptions import Abort, ConfigurationError
    from mkdocs.livereload import _serve_url

    root = root.resolve()
    config_path = config_file(root)
    session = SiteSession(preview=Preview(root))
    _show_mkdocs_log()
    notice = _DropDirtyNotice()
    build_logger = logging.getLogger("mkdocs.commands.build")
    build_logger.addFilter(notice)
    site_dir = tempfile.mkdtemp(prefix="mkdocs_")

    def get_config() -> MkDocsConfig:
        config = load_config(config_file=str(config_path), site_dir=site_dir, dev_addr=addr)
        attach(config, session)
        return config

    config = get_config()
    host, port = config.dev_addr
    mount_path = urlsplit(config.site_url or "/").path
    config.site_url = serve_url = _serve_url(host, port, mount_path)

    def mirror_config() -> MkDocsConfig:
        """The Traditional mirror under ``zh-hant/``, as ``lamplight build`` makes it."""
        mirror = load_config(
            config_file=str(config_path),
            site_dir=join(site_dir, MIRROR.strip("/")),
            site_url=serve_url + MIRROR,
            dev_addr=addr,
        )
        attach(mirror, session, script="hant", mirror=MIRROR)
        return mirror

    def builder(config: MkDocsConfig | None = None) -> None:
        log.info("Building documentation...")
        if config is None:
            config = get_config()
            config.site_url = serve_url
        with collected_errors() as errors:
            try:
                build(config, serve_url=serve_url, dirty=True)
                build(mirror_config(), serve_url=serve_url + MIRROR, dirty=True)
            except (Abort, ConfigurationError, SiteError) as exc:
                # the browser reloads and shows the problems; the pages stay as last built
                server.error = error_page(errors or [str(exc)])
                log.error("预览没有更新：内容有错误，浏览器页面上也列出了问题；改好后自动刷新")
                return
        server.error = None
        if session.preview is not None and session.preview.catalogue is not None:
            write_feeds(Path(site_dir), session.preview.catalogue, serve_url)

    def make_poster(rel: str) -> bool:
        """Draw a share poster when the preview is asked for it (not all at every rebuild)."""
        cat = session.preview.catalogue if session.preview is not None else None
        if cat is None:
            return False
        return write_poster(Path(site_dir), cat, serve_url, Store.of(root, "posters"), rel)

    server = PreviewServer(
        builder=builder, host=host, port=port, root=site_dir, mount_path=mount_path
    )

    def not_found(code: int) -> bytes | None:
        if server.error is not None:
            return server.error
        path = join(site_dir, f"{code}.html")
        if code in (404, 500) and isfile(path):
            with open(path, "rb") as page:
                return page.read()
        return None

    server.error_handler = not_found
    server.make_missing = make_poster
    try:
        builder(config)
        server.watch(config.docs_dir)
        if config.config_file_path:
            server.watch(config.config_file_path)
        served = config.plugins.on_serve(server, config=config, builder=builder)
        for item in config.watch:
            served.watch(item)
        try:
            served.serve()
        except KeyboardInterrupt:
            log.info("Shutting down...")
        finally:
            served.shutdown()
    finally:
        config.plugins.on_shutdown()
        shutil.rmtree(site_dir, ignore_errors=True)
        if session.preview is not None:
            session.preview.release_gc()
        build_logger.removeFilter(notice)
