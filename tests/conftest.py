"""Shared fixtures."""

from __future__ import annotations

import functools
import gzip
import io
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from generators.content import Catalogue, load_or_raise

from .helpers import CHROMIUM, CHROMIUM_ARGS

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass
class SiteBuild:
    """The sample site built once per test session (see ``lamplight_site``)."""

    root: Path
    cat: Catalogue
    site: Path
    dist: Path
    seconds: float
    hidden: dict[str, list[str]] = field(default_factory=dict)
    """Items made unpublishable for the build: kind -> ids (draft, withdrawn, print only)."""
    epoch: int = 0
    """SOURCE_DATE_EPOCH used for the build (pinned, so later commits do not change it)."""


@contextmanager
def source_date_epoch(seconds: int) -> Iterator[None]:
    """Run the block with SOURCE_DATE_EPOCH set to ``seconds``."""
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(seconds)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


def site_catalogue() -> tuple[Catalogue, dict[str, list[str]]]:
    """The sample catalogue with one skill made a draft, one story withdrawn, one elder print-only."""
    cat = load_or_raise(PROJECT_ROOT)
    hidden: dict[str, list[str]] = {"skill": [], "showcase": [], "elder": []}
    skills = sorted(s.id for s in cat.published_skills())
    if len(skills) > 1:
        cat.skills[skills[-1]].status = "draft"
        hidden["skill"].append(skills[-1])
    stories = sorted(s.id for s in cat.published_showcases("web"))
    keep = [
        s
        for s in stories
        if cat.converter.hans(cat.body(cat.showcases[s])) != cat.body(cat.showcases[s])
    ]
    candidates = [s for s in stories if s not in keep[:1]]
    if len(stories) > 1 and candidates:
        cat.showcases[candidates[-1]].status = "withdrawn"
        hidden["showcase"].append(candidates[-1])
    elders = sorted(e.id for e in cat.published_elders("web"))
    if len(elders) > 1:
        consent = cat.elders[elders[-1]].consent
        assert consent is not None
        consent.scope = ["print"]
        hidden["elder"].append(elders[-1])
    return cat, hidden


@pytest.fixture(scope="session")
def lamplight_site(tmp_path_factory: pytest.TempPathFactory) -> SiteBuild:
    """Build the sample site (both scripts, offline zip) once into a temporary folder."""
    from generators.pipeline import build_site
    from generators.site.build import source_date_epoch as epoch_for

    cat, hidden = site_catalogue()
    out = tmp_path_factory.mktemp("lamplight-site")
    epoch = epoch_for(PROJECT_ROOT, cat)
    start = time.monotonic()
    with source_date_epoch(epoch):
        site = build_site(cat, PROJECT_ROOT, site_dir=out / "site", dist_dir=out / "dist")
    seconds = time.monotonic() - start
    return SiteBuild(PROJECT_ROOT, cat, site, out / "dist", seconds, hidden, epoch)


# ------------------------------------------------------------------ serving the built site

#: Text types that a static host sends gzip-compressed (as nginx ``gzip_static``, GitHub Pages do).
GZIP_SUFFIXES = {".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt"}


class QuietSiteHandler(SimpleHTTPRequestHandler):
    """Static files without logging; text gzip-compressed when the client accepts it."""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - base signature
        pass

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?", 1)[0].endswith("/"):
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.is_file() and path.suffix in GZIP_SUFFIXES):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6, mtime=0)
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """A missing page gets the site's own 404.html, as a static host serves it."""
        page = Path(self.directory) / "404.html"
        if code != HTTPStatus.NOT_FOUND or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(HTTPStatus.NOT_FOUND)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@dataclass
class ServedSite:
    """The session's sample site served over HTTP on 127.0.0.1 (see ``served_site``)."""

    url: str
    """Base URL with a trailing slash, e.g. ``http://127.0.0.1:41234/``."""
    build: SiteBuild


@pytest.fixture(scope="session")
def served_site(lamplight_site: SiteBuild) -> Iterator[ServedSite]:
    """The session's site build on a random free port of 127.0.0.1 (http.server in a thread)."""
    handler = functools.partial(QuietSiteHandler, directory=str(lamplight_site.site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield ServedSite(f"http://127.0.0.1:{server.server_address[1]}/", lamplight_site)
    finally:
        server.shutdown()
        server.server_close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests build and serve the whole site: they are ``slow`` too."""
    for item in items:
        if item.get_closest_marker("browser") and not item.get_closest_marker("slow"):
            item.add_marker(pytest.mark.slow)


# ------------------------------------------------------------------ the browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian Chromium driven by Playwright, one per test module (skipped when absent)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()
