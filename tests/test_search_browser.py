"""The readers' search in a real browser: Pagefind index + lamplight-search.js on the built site.

Needs Debian's ``chromium`` (/usr/bin/chromium), the ``playwright`` package (driver only; no
browser download) and ``npm ci`` (Pagefind). Uses the session's sample site build
(``lamplight_site`` in conftest.py), served on 127.0.0.1 by http.server in a thread.
"""

from __future__ import annotations

import functools
import gzip
import json
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
import yaml

from generators.search import pagefind

pytestmark = pytest.mark.browser

QUERIES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "search_queries.yaml").read_text(encoding="utf-8")
)["queries"]
SEARCH = "async ([q, n]) => (await window.lamplightSearch.search(q, n)).map(r => r.id)"
TIMED_SEARCH = (
    "async ([q, n]) => { const t = performance.now(); const r = await window.lamplightSearch.search(q, n);"
    " return [performance.now() - t, r.map(x => x.id)]; }"
)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - base signature
        pass


@contextmanager
def _serving(site: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def served(lamplight_site: Any) -> Iterator[tuple[str, Path, Any]]:
    """(base URL, site folder, build info) with the site served on 127.0.0.1."""
    site: Path = lamplight_site.site
    if not (site / "pagefind" / "pagefind.js").exists():
        pytest.fail("the site was built without a Pagefind index (run npm ci)")
    with _serving(site) as base:
        yield base, site, lamplight_site


@pytest.fixture(scope="module")
def served_in_parts(
    lamplight_site: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path, Any]]:
    """The sample site again, its index made in parts of 8 pages (as a site of many thousand
    pages is indexed in parts of ``SHARD_PAGES``)."""
    site = tmp_path_factory.mktemp("parts") / "site"
    shutil.copytree(lamplight_site.site, site)
    saved = pagefind.SHARD_PAGES
    pagefind.SHARD_PAGES = 8
    try:
        pagefind.index_site(site, lamplight_site.cat)
    finally:
        pagefind.SHARD_PAGES = saved
    with _serving(site) as base:
        yield base, site, lamplight_site


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 400, "height": 860}, service_workers="block")
    pg = context.new_page()
    pg.errors = []
    pg.on("pageerror", lambda exc: pg.errors.append(str(exc)))
    try:
        yield pg
    finally:
        context.close()


def _hidden(build: Any) -> set[str]:
    return {i for ids in build.hidden.values() for i in ids}


def _story(build: Any) -> str:
    return sorted(s.id for s in build.cat.published_showcases("web"))[0]


def _type_like_an_input_method(pg: Any, text: str) -> None:
    """Commit text without key events, as a phone keyboard or IME does."""
    pg.focus("#ll-search-input")
    pg.evaluate("(t) => document.execCommand('insertText', false, t)", text)


def _gzip_size(site: Path, url: str) -> int:
    path = site / urlsplit(url).path.lstrip("/")
    if path.is_dir():
        path = path / "index.html"
    return len(gzip.compress(path.read_bytes(), 9, mtime=0)) if path.is_file() else 0


# ------------------------------------------------------------------ behaviour


def test_nothing_is_downloaded_until_the_box_is_used(served: Any, page: Any) -> None:
    base, _, build = served
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{base}stories/{_story(build)}/")
    page.wait_for_load_state("networkidle")
    assert not [u for u in requests if "/pagefind/" in u or "lamplight-search-engine" in u]
    page.focus("#ll-search-input")
    page.wait_for_function(
        "() => performance.getEntriesByType('resource').some(e => e.name.includes('/pagefind/pagefind.js'))"
    )
    assert all(urlsplit(u).hostname == "127.0.0.1" for u in requests if u.startswith("http")), (
        "no external requests"
    )
    assert page.errors == []


def test_text_committed_by_an_input_method_is_searched(served: Any, page: Any) -> None:
    base, _, _ = served
    page.goto(f"{base}")
    _type_like_an_input_method(page, "养猪")
    page.wait_for_selector("#ll-search-pop .ll-sr-item")
    first = page.query_selector("#ll-search-pop .ll-sr-item")
    assert first.get_attribute("href").endswith("/skills/sheng-tai-yang-zhu/")
    assert "技能" in first.inner_text()
    assert page.get_attribute("#ll-search-input", "aria-expanded") == "true"
    more = page.query_selector("#ll-search-pop .ll-sr-more")
    assert more is not None and "/search/?q=" in more.get_attribute("href")
    assert page.errors == []


def test_keyboard_typing_and_navigation_with_large_targets(served: Any, page: Any) -> None:
    base, _, _ = served
    page.goto(f"{base}")
    page.click("#ll-search-input")
    page.keyboard.type("木耳")
    page.wait_for_selector("#ll-search-pop .ll-sr-item")
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("document.activeElement.className")
    assert "ll-sr-item" in focused
    box = page.evaluate(
        "(() => { const a = document.activeElement; const r = a.getBoundingClientRect();"
        " return [r.height, parseFloat(getComputedStyle(a).fontSize),"
        " parseFloat(getComputedStyle(a.querySelector('.ll-sr-ex')).fontSize)]; })()"
    )
    assert box[0] >= 48 and box[1] >= 18 and box[2] >= 18
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Escape")
    assert page.is_hidden("#ll-search-pop")
    assert page.evaluate("document.activeElement.id") == "ll-search-input"


def test_traditional_mirror_links_to_twin_pages_in_traditional(served: Any, page: Any) -> None:
    base, _, build = served
    page.goto(f"{base}zh-hant/stories/{_story(build)}/")
    _type_like_an_input_method(page, "养猪")
    page.wait_for_selector("#ll-search-pop .ll-sr-item")
    first = page.query_selector("#ll-search-pop .ll-sr-item")
    assert first.get_attribute("href").endswith("/zh-hant/skills/sheng-tai-yang-zhu/")
    text = first.inner_text()
    assert "養" in text and "养" not in text, text
    assert page.errors == []


def test_search_page_reads_q_and_lists_results(served: Any, page: Any) -> None:
    base, _, _ = served
    page.goto(f"{base}search/?q={quote('茶葉採摘')}")
    page.wait_for_selector("#ll-search-results .ll-sr-item")
    links = [
        a.get_attribute("href") for a in page.query_selector_all("#ll-search-results .ll-sr-item")
    ]
    assert links[0].endswith("/skills/cha-ye-cai-zhai/")
    assert page.input_value("#ll-search-input") == "茶葉採摘"
    assert page.query_selector("#ll-search-results mark") is not None
    page.goto(f"{base}zh-hant/search/?q={quote('木耳')}")
    page.wait_for_selector("#ll-search-results .ll-sr-item")
    links = [
        a.get_attribute("href") for a in page.query_selector_all("#ll-search-results .ll-sr-item")
    ]
    assert links and all("/zh-hant/" in h for h in links)


def test_search_page_without_javascript_explains(served: Any, browser: Any) -> None:
    base, _, _ = served
    context = browser.new_context(java_script_enabled=False)
    try:
        pg = context.new_page()
        pg.goto(f"{base}search/?q={quote('养猪')}")
        assert "JavaScript" in pg.content()
        assert "需要" in pg.inner_text("body")
    finally:
        context.close()


def test_unpublished_items_are_not_in_the_index(served: Any, page: Any) -> None:
    base, _, build = served
    page.goto(base)
    cat = build.cat
    hidden = _hidden(build)
    records = [
        r
        for r in list(cat.skills.values()) + list(cat.showcases.values())
        if r.id in hidden or r.status != "published"
    ]
    assert records
    for record in records:
        ids = page.evaluate(SEARCH, [record.title, 30])
        assert record.id not in ids, record.title


# ------------------------------------------------------------------ recall and cost


def _recall(page: Any, build: Any, script: str) -> tuple[float, list[str]]:
    hidden = _hidden(build)
    scores: list[float] = []
    misses: list[str] = []
    for item in QUERIES:
        expect = [e for e in item["expect"] if e not in hidden]
        if item["script"] != script or not expect:
            continue
        ids = page.evaluate(SEARCH, [item["q"], 10])
        found = [e for e in expect if e in ids]
        scores.append(len(found) / len(expect))
        if len(found) < len(expect):
            misses.append(f"{item['q']}: {sorted(set(expect) - set(found))}")
    return sum(scores) / len(scores), misses


@pytest.mark.parametrize("script", ["hans", "hant"])
def test_recall_at_10_in_the_browser(served: Any, page: Any, script: str) -> None:
    base, _, build = served
    page.goto(base)
    recall, misses = _recall(page, build, script)
    print(f"\nrecall@10 in the browser ({script}): {recall:.3f} over the queries")
    assert recall >= 0.9, misses


def test_an_index_in_parts_is_searched_as_one(served_in_parts: Any, page: Any) -> None:
    base, site, build = served_in_parts
    parts = json.loads((site / "pagefind" / "lamplight-data.json").read_text(encoding="utf-8"))
    assert len(parts["parts"]) >= 2  # three parts or more
    for part in parts["parts"]:
        assert (site / "pagefind" / part / "pagefind-entry.json").is_file()
    page.goto(f"{base}stories/{_story(build)}/")
    for script in ("hans", "hant"):
        recall, misses = _recall(page, build, script)
        assert recall >= 0.9, misses
    # every published item is found by its own title, whichever part holds it
    for record in list(build.cat.published_skills()) + build.cat.published_showcases("web"):
        if record.id in _hidden(build):
            continue
        assert record.id in page.evaluate(SEARCH, [record.title, 5]), record.title
    assert page.errors == []


def test_download_size_and_latency(served: Any, page: Any) -> None:
    base, site, _ = served
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(base)
    page.wait_for_load_state("networkidle")
    requests.clear()
    start = time.monotonic()
    first_ms, ids = page.evaluate(TIMED_SEARCH, ["养猪", 8])
    first_bytes = sum(_gzip_size(site, u) for u in requests)
    assert ids[0] == "sheng-tai-yang-zhu"
    later: list[tuple[int, float]] = []
    for query in ("茶叶采摘", "木耳", "電商", "土豆"):
        requests.clear()
        ms, _ = page.evaluate(TIMED_SEARCH, [query, 8])
        later.append((sum(_gzip_size(site, u) for u in requests), ms))
    print(
        f"\nfirst search: {first_bytes / 1024:.1f} KB gzip, {first_ms:.0f} ms (incl. loading);"
        f" later: {[f'{b / 1024:.1f} KB/{ms:.0f} ms' for b, ms in later]}"
        f" (wall {time.monotonic() - start:.1f} s)"
    )
    assert first_bytes < 220 * 1024
    assert max(b for b, _ in later) < 80 * 1024
    assert max(ms for _, ms in later) < 1000


def test_pagefind_bundle_has_no_unused_ui(served: Any) -> None:
    _, site, _ = served
    bundle = site / "pagefind"
    assert (bundle / "lamplight-data.json").is_file()
    assert not list(bundle.glob("pagefind-*ui*"))
    assert shutil.which("node") is not None


def test_script_switch_keeps_the_query_on_the_results_page(page: Any, served: Any) -> None:
    base, _, _ = served
    page.goto(f"{base}search/?q=%E5%85%BB%E7%8C%AA")  # 养猪
    page.wait_for_selector("#ll-search-results .ll-sr-item")
    href = page.get_attribute(".ll-switch a[hreflang]", "href") or ""
    assert "zh-hant/search/" in href and "q=" in href
    page.click(".ll-switch a[hreflang]")
    page.wait_for_selector("#ll-search-results .ll-sr-item")
    assert "zh-hant/search/" in page.url


# ------------------------------------------------------------------ natural questions

NATURAL: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "natural_queries.yaml").read_text(encoding="utf-8")
)["queries"]
UNDERSTAND = (
    "async (q) => { const u = await window.lamplightSearch.understand(q); return u.groups; }"
)


def _visible(build: Any) -> set[str]:
    """Ids the test build shows (published for the web, not hidden by the fixture)."""
    from generators.content.documents import published_documents

    return {d.id for d in published_documents(build.cat)} - _hidden(build)


@pytest.mark.parametrize("script", ["hans", "hant"])
def test_natural_questions_in_the_browser(served: Any, page: Any, script: str) -> None:
    base, _, build = served
    page.goto(base + ("zh-hant/" if script == "hant" else ""))
    visible = _visible(build)
    good = total = 0
    misses: list[str] = []
    for item in NATURAL:
        want = [e for e in item["expect"] if e in visible]
        if item["script"] != script or not want:
            continue
        total += 1
        ids = page.evaluate(SEARCH, [item["q"], 5])
        if any(e in ids for e in want):
            good += 1
        else:
            misses.append(f"{item['q']}: {ids} (want one of {want})")
    print(f"\nnatural questions in the browser ({script}): {good}/{total} in the top 5")
    assert good / total >= 0.95, misses
    assert page.errors == []


def test_no_question_sharing_a_word_with_a_page_finds_nothing(served: Any, page: Any) -> None:
    from generators.content.documents import published_documents
    from generators.text import normalise

    base, _, build = served
    page.goto(base)
    hidden = _hidden(build)
    texts = [
        normalise(d.title + "\n" + d.text, build.cat.converter)
        for d in published_documents(build.cat)
        if d.id not in hidden
    ]
    empty = []
    for item in NATURAL:
        groups = page.evaluate(UNDERSTAND, item["q"])
        if any(w in t for g in groups for w in g for t in texts):
            if not page.evaluate(SEARCH, [item["q"], 3]):
                empty.append(item["q"])
    assert empty == []


def test_browser_and_cli_understand_a_question_alike(served: Any, page: Any) -> None:
    from generators.search.understanding import rules, understand

    base, _, build = served
    page.goto(base)
    data = rules(build.cat)
    for item in NATURAL:
        python = understand(item["q"], data, build.cat).groups
        browser = page.evaluate(UNDERSTAND, item["q"])
        assert browser == python, item["q"]


def test_the_closest_results_when_no_page_has_every_word(served: Any, page: Any) -> None:
    base, _, _ = served
    page.goto(base)
    _type_like_an_input_method(page, "养猪的电焊苗绣火箭怎么办")
    page.wait_for_selector("#ll-search-pop .ll-sr-item")
    status = page.inner_text("#ll-search-pop .ll-sr-status")
    assert status == "没有同时包含所有词的结果，下面是最接近的"
    assert page.query_selector("#ll-search-pop .ll-sr-ex mark") is not None
    found = page.evaluate(
        "async () => { const r = await window.lamplightSearch.search('猪拉稀怎么办', 5);"
        " return [r.closest, r[0].kind, r[0].excerpt]; }"
    )
    assert found[0] is False
    assert found[1] == "question", "an answered question first for a question"
    assert "<mark>" in found[2] and not found[2].startswith("…"), found[2]
    page.goto(f"{base}zh-hant/search/?q={quote('養豬的電焊苗繡火箭')}")
    page.wait_for_selector("#ll-search-results .ll-sr-item")
    assert "沒有同時包含所有詞的結果" in page.inner_text("#ll-search-results .ll-sr-status")
    assert page.errors == []


def test_a_clicked_result_highlights_the_words_on_its_page(served: Any, page: Any) -> None:
    base, _, _ = served
    page.goto(base)
    _type_like_an_input_method(page, "猪拉稀怎么办")
    page.wait_for_selector("#ll-search-pop .ll-sr-item")
    href = page.get_attribute("#ll-search-pop .ll-sr-item", "href") or ""
    assert "hl=" not in href, "links stay clean until they are followed"
    with page.expect_navigation():
        page.click("#ll-search-pop .ll-sr-item")
    assert "hl=" in page.url
    page.wait_for_selector("mark.ll-hl")
    marked = page.eval_on_selector_all("mark.ll-hl", "ms => ms.map(m => m.textContent)")
    assert "拉稀" in marked
    # the Traditional mirror marks the Traditional words
    page.goto(base + "zh-hant/")
    _type_like_an_input_method(page, "養豬")
    page.wait_for_selector("#ll-search-pop .ll-sr-item")
    with page.expect_navigation():
        page.click("#ll-search-pop .ll-sr-item")
    page.wait_for_selector("mark.ll-hl")
    marked = page.eval_on_selector_all("mark.ll-hl", "ms => ms.map(m => m.textContent)")
    assert "養豬" in marked or "豬" in marked, marked
    # a page opened without the parameter loads no highlight script
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(base + "skills/sheng-tai-yang-zhu/")
    page.wait_for_load_state("networkidle")
    assert not [u for u in requests if "lamplight-highlight" in u]
    assert page.errors == []


# ------------------------------------------------------------------ the offline bundle


@pytest.fixture(scope="module")
def offline_bundle(lamplight_site: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The offline zip unpacked into a temporary folder (opened from file://)."""
    import zipfile

    folder = tmp_path_factory.mktemp("offline-search")
    with zipfile.ZipFile(lamplight_site.dist / "lamplight-offline.zip") as archive:
        archive.extractall(folder)
    return folder


def test_offline_bundle_searches_from_files_or_says_it_cannot(
    offline_bundle: Path, page: Any, lamplight_site: Any
) -> None:
    """From file:// the box loads the bundle's own engine (lamplight-offline.js) and runs
    the same understanding; a bundle without it keeps the message that search needs the
    online site."""
    engine = offline_bundle / "assets" / "javascripts" / "lamplight-offline.js"
    page.goto((offline_bundle / "index.html").as_uri())
    _type_like_an_input_method(page, "猪拉稀怎么办")
    page.wait_for_function(
        "() => { const p = document.querySelector('#ll-search-pop');"
        " return p && !p.hidden && (p.querySelector('.ll-sr-item') ||"
        " (p.querySelector('.ll-sr-status') && !/正在/.test(p.innerText))); }"
    )
    if not engine.is_file():
        said = page.inner_text("#ll-search-pop")
        assert "联网" in said, said
        assert not page.query_selector("#ll-search-pop .ll-sr-item")
        return
    first = page.eval_on_selector("#ll-search-pop .ll-sr-item", "a => a.href")
    assert first.startswith("file://") and "zh-hant/" not in first
    assert Path(urlsplit(first).path).is_file(), first
    assert page.query_selector("#ll-search-pop .ll-sr-ex mark") is not None
    visible = _visible(lamplight_site)
    sample = [q for q in NATURAL if q["script"] == "hans"][:20]
    good = 0
    for item in sample:
        want = [e for e in item["expect"] if e in visible]
        ids = page.evaluate(SEARCH, [item["q"], 5])
        good += not want or any(e in ids for e in want)
    assert good >= 0.9 * len(sample)
    page.goto((offline_bundle / "zh-hant" / "index.html").as_uri())
    found = page.evaluate(
        "async () => (await window.lamplightSearch.search('豬拉稀怎麼辦', 5)).map(r => [r.url, r.title])"
    )
    assert found and all("/zh-hant/" in url for url, _ in found)
    assert "豬" in "".join(title for _, title in found)
    assert page.errors == []
