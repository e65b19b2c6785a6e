"""The offline bundle is the built online site with its links rewritten for ``file://``."""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path

import pytest

from generators.cache import Store
from generators.site.offline_copy import make_offline_copy, rewrite_page

from .conftest import SiteBuild

_URL_ATTR = re.compile(r'\s(href|src|action|srcset)="([^"]*)"')
_EXTERNAL = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|//|#)")


def _targets(attr: str, value: str) -> list[str]:
    if attr == "srcset":
        return [part.strip().split(" ")[0] for part in value.split(",") if part.strip()]
    return [value]


@pytest.fixture(scope="module")
def bundle(lamplight_site: SiteBuild) -> zipfile.ZipFile:
    return zipfile.ZipFile(lamplight_site.dist / "lamplight-offline.zip")


def test_every_internal_link_of_every_offline_page_names_a_bundled_file(
    bundle: zipfile.ZipFile,
) -> None:
    names = set(bundle.namelist())
    pages = sorted(n for n in names if n.endswith(".html"))
    assert len(pages) > 100
    checked = 0
    missing: list[tuple[str, str]] = []
    for name in pages:
        body = bundle.read(name).decode("utf-8")
        for attr, value in _URL_ATTR.findall(body):
            for link in _targets(attr, value):
                if not link or _EXTERNAL.match(link):
                    continue
                path = re.split(r"[?#]", link, maxsplit=1)[0]
                target = posixpath.normpath(posixpath.join(posixpath.dirname(name), path))
                checked += 1
                if target not in names:
                    missing.append((name, link))
    assert checked > 1000
    assert missing == []


def test_both_scripts_and_the_mirror_switch_are_bundled(bundle: zipfile.ZipFile) -> None:
    names = set(bundle.namelist())
    story = next(n for n in sorted(names) if re.fullmatch(r"stories/[^/]+/index\.html", n))
    assert "zh-hant/" + story in names
    body = bundle.read(story).decode("utf-8")
    switch = re.search(r'<a href="([^"]+)"[^>]*hreflang="zh-Hant"', body)
    assert switch and switch.group(1).endswith("index.html")
    assert posixpath.normpath(posixpath.join(posixpath.dirname(story), switch.group(1))) == (
        "zh-hant/" + story
    )
    # Pagefind needs a server (fetch, WebAssembly): not bundled
    assert not [n for n in names if n.startswith(("pagefind/", "zh-hant/pagefind/"))]


def test_rewrite_page_turns_directory_links_into_files() -> None:
    page = (
        b'<a href="../x/">a</a><a href="..">b</a><a href=".">c</a><a href="./">d</a>'
        b'<a href="../y/#part">e</a><form action="../search/"></form><a href="../s/?q=1">f</a>'
        b'<link href="../assets/a.css"><img src="../media/p.jpg"><a href="https://e.org/x/">g</a>'
        b'<a href="#top">h</a><a href="tel:12316">i</a><a href="/zh-hant/.">j</a>'
        b'<a href="/stories/">k</a><script src="/assets/j.js"></script>'
    )
    out = rewrite_page(page, "stories/a/index.html").decode("utf-8")
    assert re.findall(r'(?:href|action|src)="([^"]*)"', out) == [
        "../x/index.html",
        "../index.html",
        "./index.html",
        "./index.html",
        "../y/index.html#part",
        "../search/index.html",
        "../s/index.html?q=1",
        "../assets/a.css",
        "../media/p.jpg",
        "https://e.org/x/",
        "#top",
        "tel:12316",
        "../../zh-hant/index.html",
        "../index.html",
        "../../assets/j.js",
    ]
    # a site served under a sub-path: only that path's links are the site's
    under = rewrite_page(b'<a href="/ll/stories/">x</a><a href="/other/">y</a>', "404.html", "/ll/")
    assert under == b'<a href="stories/index.html">x</a><a href="/other/">y</a>'


def test_offline_copy_is_cached_per_page_and_byte_identical(
    lamplight_site: SiteBuild, tmp_path: Path
) -> None:
    store = Store(tmp_path / "cache")
    first = make_offline_copy(lamplight_site.site, tmp_path / "a", "https://x.org/", store)
    second = make_offline_copy(lamplight_site.site, tmp_path / "b", "https://x.org/", store)
    assert first.pages == second.pages > 100 and first.rewritten == first.pages
    assert second.rewritten == 0
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*"))
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*"))
    assert files_a == files_b
    for rel in files_a:
        if (tmp_path / "a" / rel).is_file():
            assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes()


def test_a_new_content_version_in_the_footer_still_comes_from_the_cache(tmp_path: Path) -> None:
    site = tmp_path / "site"
    page = site / "stories" / "a" / "index.html"
    page.parent.mkdir(parents=True)
    html = '<a href="../b/">b</a><p class="ll-footer__meta">内容版本 {v}</p>'
    store = Store(tmp_path / "cache")
    page.write_text(html.format(v="v1"), encoding="utf-8")
    first = make_offline_copy(site, tmp_path / "a", "https://x.org/", store)
    page.write_text(html.format(v="v2"), encoding="utf-8")
    second = make_offline_copy(site, tmp_path / "b", "https://x.org/", store)
    assert first.rewritten == 1 and second.rewritten == 0
    assert (tmp_path / "b/stories/a/index.html").read_text(encoding="utf-8") == (
        '<a href="../b/index.html">b</a><p class="ll-footer__meta">内容版本 v2</p>'
    )
