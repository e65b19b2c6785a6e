"""The live preview's error page: a failed rebuild is shown in the browser, not only in the
terminal.

While the last rebuild failed, every page the preview serves is replaced by one Chinese page
listing the problems (``file:line:column: code message``, as ``lamplight check`` prints them);
MkDocs' live-reload script is still added, so the browser shows the pages again as soon as a
fixed file rebuilds.
"""

from __future__ import annotations

import html
import logging
import os
import posixpath
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from mkdocs.livereload import LiveReloadServer

from ..editor_script import editor_script, for_editor

TITLE = "预览没有更新：内容有错误"


def error_page(lines: list[str]) -> bytes:
    """The page that lists the problems of the failed rebuild, in the editor's script."""
    items = "\n".join(html.escape(line) for line in lines if line.strip())
    script = editor_script()
    lang = "zh-Hant" if script == "hant" else "zh-Hans"
    text = for_editor(
        f"<title>{TITLE}</title>"
        '<meta name="viewport" content="width=device-width, initial-scale=1"></head>\n'
        '<body style="font-family: sans-serif; margin: 1.5rem; line-height: 1.6">\n'
        f'<h1 style="color: #a4262c">{TITLE}</h1>\n'
        "<p>下面列出了问题（文件:行:列：代码 说明）。网页还是上次成功时的样子；"
        "改好并保存文件后，这个页面会自动刷新。</p>\n"
        f'<pre id="lamplight-build-errors" style="white-space: pre-wrap">{items}</pre>\n'
        "</body></html>\n",
        script,
    )
    return (f'<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8">' + text).encode()


class PreviewServer(LiveReloadServer):
    """MkDocs' live-reload server that serves :attr:`error` instead of pages while set, and
    lets :attr:`make_missing` make a file (a poster) the moment it is first asked for."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.error: bytes | None = None
        """The error page of the last rebuild, or ``None`` when it succeeded."""
        self.make_missing: Callable[[str], bool] | None = None
        """Called with a requested path (relative to the site) that has no file yet."""

    def _serve_request(self, environ: dict[str, Any], start_response: Any) -> Any:
        path = environ["PATH_INFO"].encode("latin-1").decode("utf-8", "ignore")
        if self.make_missing is not None and path.startswith(self.mount_path):
            rel = posixpath.normpath("/" + path[len(self.mount_path) :]).lstrip("/")
            if rel and not os.path.exists(os.path.join(self.root, rel)):
                self.make_missing(rel)
        return super()._serve_request(environ, start_response)

    def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
        return super()._inject_js_into_html(  # type: ignore[no-any-return]
            self.error if self.error is not None else content, epoch
        )


class _Errors(logging.Handler):
    """Keeps the error messages MkDocs logs (a failed build's Chinese report among them)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines += record.getMessage().splitlines()


@contextmanager
def collected_errors() -> Iterator[list[str]]:
    """The lines of the errors MkDocs logs while the block runs (they still reach the
    terminal)."""
    logger = logging.getLogger("mkdocs")
    handler = _Errors()
    logger.addHandler(handler)
    try:
        yield handler.lines
    finally:
        logger.removeHandler(handler)
