"""``lamplight serve``: MkDocs' live-reload server, each rebuild handed the preview session."""

from __future__ import annotations

import logging
import shutil
import tempfile
from os.path import isfile, join
from pathlib import Path
from urllib.parse import urlsplit

from .build import config_file
from .plugin import attach
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
    """Live preview of the Simplified site; reloads when content or templates change.

    Runs what ``mkdocs serve`` runs, with one :class:`Preview` for all rebuilds: the first
    build renders every page; after an edit only the pages whose content changed are
    rendered and written again (see ``LamplightPlugin.on_files``).
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer, _serve_url

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

    def builder(config: MkDocsConfig | None = None) -> None:
        log.info("Building documentation...")
        if config is None:
            config = get_config()
            config.site_url = serve_url
        build(config, serve_url=serve_url, dirty=True)

    server = LiveReloadServer(
        builder=builder, host=host, port=port, root=site_dir, mount_path=mount_path
    )

    def error_page(code: int) -> bytes | None:
        path = join(site_dir, f"{code}.html")
        if code in (404, 500) and isfile(path):
            with open(path, "rb") as page:
                return page.read()
        return None

    server.error_handler = error_page
    try:
        builder(config)
        server.watch(config.docs_dir)
        if config.config_file_path:
            server.watch(config.config_file_path)
        server = config.plugins.on_serve(server, config=config, builder=builder)
        for item in config.watch:
            server.watch(item)
        try:
            server.serve()
        except KeyboardInterrupt:
            log.info("Shutting down...")
        finally:
            server.shutdown()
    finally:
        config.plugins.on_shutdown()
        shutil.rmtree(site_dir, ignore_errors=True)
        if session.preview is not None:
            session.preview.release_gc()
        build_logger.removeFilter(notice)
