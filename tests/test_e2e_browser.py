"""End-to-end checks of the built site in Debian's headless Chromium, at a phone's size.

What a reader on a cheap phone gets: accessibility (axe-core), elderly-reading rules (text size,
line height, contrast, 48 px targets, text-size control, read-aloud), search (Simplified,
Traditional, input-method commits, nothing downloaded on a plain page view), network (same
origin only; first text and bytes on a slow connection), the 简/繁 switch, the offline bundle,
and phone-size screenshots under ``test-output/e2e/screenshots/``.

Needs ``/usr/bin/chromium`` (Debian), the ``playwright`` package (driver only: no browser is
downloaded) and ``npm ci`` (Pagefind and axe-core). Reuses the session's sample site build
(``lamplight_site``), served on 127.0.0.1 by ``served_site`` (both in conftest.py).

Run alone with ``make test-browser`` (``.venv/bin/python -m pytest -q -m browser``).
"""

from __future__ import annotations

import html
import json
import re
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest

from .conftest import PROJECT_ROOT, ServedSite
from .helpers import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser

#: A small Android phone: 360 × 740 CSS pixels at 2× density, touch screen.
PHONE: dict[str, Any] = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "zh-CN",
    "service_workers": "block",
}
AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
OUTPUT = PROJECT_ROOT / "test-output" / "e2e"
SCREENSHOTS = OUTPUT / "screenshots"
MIRROR = "zh-hant/"

SKILL = "sheng-tai-yang-zhu"
STORY = "liu-da-ge-yang-zhu"
#: Page kinds checked everywhere: kind -> path under a script's root.
PAGES: dict[str, str] = {
    "home": "",
    "skill": f"skills/{SKILL}/",
    "story": f"stories/{STORY}/",
    "elder": "elders/{elder}/",
    "index": "browse/",
    "list": "stories/",
    "search": "search/?q={q}",
    "question": "questions/zhu-la-xi-zen-me-ban/",
    "team": "teams/lei-shan-yang-zhi/",
    "notices": "notices/",
}
#: A query per script for the search results page (and its expected first result).
SEARCH_QUERY = {"hans": "养猪", "hant": "養豬"}
SCRIPTS = ("hans", "hant")

#: Links exempt from the 48 × 48 px target rule: links inside running sentences, whose height is
#: set by the line height of the text around them (WCAG 2.2 SC 2.5.8, "Inline" exception).
#: ``.ll-body`` holds the Markdown prose of stories and tutorials; ``.ll-note`` is the sentence
#: "本教程由 … 实地核验 … 编写：<elder>"; ``.ll-sr-ex`` is a search excerpt.
INLINE_EXEMPT = (".ll-body p a", ".ll-body li a", ".ll-body td a", ".ll-note a", ".ll-sr-ex a")

#: Known serious/critical axe findings, reported but outside the site templates:
#: (rule id, substring of the offending node's HTML) -> where it lives and the fix.
KNOWN_AXE: dict[tuple[str, str], str] = {}

AXE_RUN = """async () => {
  const r = await axe.run(document, {resultTypes: ['violations']});
  return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 200),
                              summary: n.failureSummary}))}));
}"""

# Colour maths in the page: contrast of an element's text against the background actually
# behind it (ancestor backgrounds composited over the white canvas).
COLOUR_JS = """
const parse = (c) => {
  const m = c.match(/rgba?\\(([^)]+)\\)/);
  if (!m) return [0, 0, 0, 0];
  const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
  return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
};
const luminance = (rgb) => {
  const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * f(rgb[0]) + 0.7152 * f(rgb[1]) + 0.0722 * f(rgb[2]);
};
const background = (el) => {
  const layers = [];
  for (let e = el; e; e = e.parentElement) {
    const c = parse(getComputedStyle(e).backgroundColor);
    if (c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
  }
  let out = [255, 255, 255];
  for (const c of layers.reverse()) out = out.map((v, i) => c[i] * c[3] + v * (1 - c[3]));
  return out;
};
const contrast = (el) => {
  const bg = background(el);
  const fg = parse(getComputedStyle(el).color);
  const text = fg.slice(0, 3).map((v, i) => v * fg[3] + bg[i] * (1 - fg[3]));
  const [a, b] = [luminance(text), luminance(bg)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
};
"""

#: Running text of the main content: paragraphs, list items and definitions with a sentence in
#: them (at least 12 characters of their own), as a reader reads them.
READING_JS = (
    "() => {"
    + COLOUR_JS
    + """
  const own = (el) => Array.from(el.childNodes).filter(n => n.nodeType === 3)
    .map(n => n.textContent).join('').replace(/\\s+/g, '');
  const out = [];
  for (const el of document.querySelectorAll('#ll-main p, #ll-main li, #ll-main dd')) {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || el.closest('[hidden], .ll-qr')) continue;
    if ((el.innerText || '').replace(/\\s+/g, '').length < 12) continue;
    const cs = getComputedStyle(el);
    const size = parseFloat(cs.fontSize);
    const lh = cs.lineHeight === 'normal' ? 1.2 : parseFloat(cs.lineHeight) / size;
    out.push({tag: el.tagName, cls: el.className, text: (el.innerText || '').slice(0, 30),
              own: own(el).length, size, lh, contrast: contrast(el)});
  }
  const main = document.querySelector('#ll-main');
  const cs = getComputedStyle(main);
  return {main: {size: parseFloat(cs.fontSize), lh: parseFloat(cs.lineHeight) / parseFloat(cs.fontSize),
                 contrast: contrast(main)}, items: out};
}"""
)

TARGETS_JS = """(exempt) => {
  const out = [];
  const sel = 'header a[href], header button, header input:not([type=hidden]), header label[for],'
    + ' header select, .md-content a[href], .md-content button, .md-content input:not([type=hidden]),'
    + ' .md-content summary, .md-content select';
  for (const el of document.querySelectorAll(sel)) {
    const cs = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    if (cs.display === 'none' || cs.visibility === 'hidden' || !r.width || !r.height) continue;
    if (el.closest('[hidden]')) continue;
    if (exempt.some(s => el.matches(s))) continue;
    if (r.width < 47.5 || r.height < 47.5)
      out.push({tag: el.tagName, cls: String(el.className), text: (el.textContent || '').trim().slice(0, 20),
                w: Math.round(r.width), h: Math.round(r.height),
                parent: el.parentElement.tagName + '.' + el.parentElement.className});
  }
  return out;
}"""

SPEECH_STUB = """(() => {
  const spoken = [];
  window.__llSpoken = spoken;
  class Utterance {
    constructor(text) { this.text = text || ''; this.lang = ''; this.rate = 1; this.onend = null; }
  }
  const synth = {
    speaking: false, pending: false, paused: false,
    getVoices: () => [{lang: 'zh-CN', name: 'Stub 普通话', default: true, localService: true,
                       voiceURI: 'stub-zh-CN'}],
    speak(u) { spoken.push({text: u.text, lang: u.lang, rate: u.rate}); },
    cancel() { spoken.push({cancel: true}); },
    pause() {}, resume() {},
    addEventListener() {}, removeEventListener() {},
  };
  Object.defineProperty(window, 'speechSynthesis', {configurable: true, get: () => synth});
  Object.defineProperty(window, 'SpeechSynthesisUtterance',
                        {configurable: true, writable: true, value: Utterance});
})();"""


# ------------------------------------------------------------------ fixtures


@dataclass
class Phone:
    """One fresh browser context at phone size, with its page and what the page did."""

    context: Any
    page: Any
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """One headless Debian Chromium for the module (fresh profile per context).

    Module-scoped, not session-scoped: Playwright's sync API allows one instance per thread at a
    time, and tests/test_search_browser.py starts its own.
    """
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def site(served_site: ServedSite) -> ServedSite:
    """The served site, checked to have a search index."""
    if not (served_site.build.site / "pagefind" / "pagefind.js").exists():
        pytest.fail("the site was built without a Pagefind index (run npm ci)")
    return served_site


@pytest.fixture(scope="module")
def elder_id(site: ServedSite) -> str:
    hidden = set(site.build.hidden.get("elder", []))
    return sorted(e.id for e in site.build.cat.published_elders("web") if e.id not in hidden)[0]


@pytest.fixture
def phone(chromium: Any) -> Iterator[Phone]:
    """A fresh phone-sized context (new profile: empty cache and storage), recording requests."""
    context = chromium.new_context(**PHONE)
    context.set_default_timeout(15_000)
    ph = Phone(context, context.new_page())
    context.on("request", lambda r: ph.requests.append(r.url))
    ph.page.on("pageerror", lambda exc: ph.errors.append(str(exc)))
    try:
        yield ph
    finally:
        context.close()


# ------------------------------------------------------------------ helpers


def _path(kind: str, script: str, elder: str) -> str:
    path = PAGES[kind].format(elder=elder, q=quote(SEARCH_QUERY[script]))
    return (MIRROR if script == "hant" else "") + path


def _open(phone: Phone, site: ServedSite, kind: str, script: str, elder: str) -> str:
    """Open one page kind in one script; for the search page wait until results are shown."""
    url = site.url + _path(kind, script, elder)
    phone.page.goto(url)
    if kind == "search":
        phone.page.wait_for_selector("#ll-search-results .ll-sr-item")
    return url


def _axe(page: Any) -> list[dict[str, Any]]:
    if not AXE.is_file():
        pytest.fail(f"{AXE.relative_to(PROJECT_ROOT)} is missing (run npm ci)")
    page.add_script_tag(path=str(AXE))
    return list(page.evaluate(AXE_RUN))


def _load_lazy_images(page: Any) -> None:
    """Load the lazy photos now (as scrolling would), so that full-page screenshots show them."""
    page.evaluate(
        "document.querySelectorAll('img[loading=lazy]').forEach(i => { i.loading = 'eager'; })"
    )
    page.wait_for_function("() => Array.from(document.images).every(i => i.complete)")
    page.evaluate(
        "() => Promise.all(Array.from(document.images).map(i => i.decode().catch(() => 0)))"
    )


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _first_result(page: Any) -> str:
    """The link of the first result in the search box's dropdown, once shown."""
    page.wait_for_selector("#ll-search-pop .ll-sr-item")
    return str(page.get_attribute("#ll-search-pop .ll-sr-item", "href"))


def _follow(page: Any, selector: str) -> None:
    """Tap a link and wait until the page it leads to has loaded."""
    with page.expect_navigation():
        page.tap(selector)


def _in_bundle(folder: Path, url: str) -> str:
    """Path of a file:// URL inside the unpacked offline bundle."""
    prefix = folder.as_uri() + "/"
    assert url.startswith(prefix), url
    return url[len(prefix) :]


def _built_h1(folder: Path, rel: str, item: str) -> str:
    """The h1 text of a built page file (for comparing with what the browser shows)."""
    assert item in rel and rel.endswith(".html"), rel
    found = re.search(r"<h1[^>]*>(.*?)</h1>", (folder / rel).read_text(encoding="utf-8"), re.S)
    assert found, rel
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip()


# ------------------------------------------------------------------ accessibility


@pytest.mark.parametrize("script", SCRIPTS)
@pytest.mark.parametrize(
    "kind",
    [
        "home",
        "skill",
        "story",
        "elder",
        "index",
        "list",
        "search",
        "search-box",
        "question",
        "team",
        "notices",
    ],
)
def test_axe_finds_no_serious_or_critical_violation(
    site: ServedSite, phone: Phone, elder_id: str, kind: str, script: str
) -> None:
    if kind == "search-box":  # the header box's dropdown, open with results, on the home page
        _open(phone, site, "home", script, elder_id)
        phone.page.tap("#ll-search-input")
        phone.page.keyboard.type(SEARCH_QUERY[script])
        _first_result(phone.page)
    else:
        _open(phone, site, kind, script, elder_id)
    violations = _axe(phone.page)
    bad: list[str] = []
    known: list[str] = []
    for v in violations:
        if v["impact"] not in ("serious", "critical"):
            continue
        for node in v["nodes"]:
            line = f"{v['impact']} {v['id']} ({v['help']}): {node['target']} {node['html']}"
            reason = next(
                (
                    why
                    for (rule, snippet), why in KNOWN_AXE.items()
                    if rule == v["id"] and snippet in node["html"]
                ),
                None,
            )
            (known if reason else bad).append(line if not reason else f"{line} — {reason}")
    assert not bad, "\n".join(bad)
    assert phone.errors == []
    if known:
        pytest.xfail(f"{len(known)} known finding(s) outside the site templates; first: {known[0]}")


# ------------------------------------------------------------------ elderly reading


@pytest.mark.parametrize("script", SCRIPTS)
@pytest.mark.parametrize(
    "kind",
    ["home", "skill", "story", "elder", "index", "list", "search", "question", "team", "notices"],
)
def test_text_is_large_spaced_and_dark_and_targets_are_big(
    site: ServedSite, phone: Phone, elder_id: str, kind: str, script: str
) -> None:
    _open(phone, site, kind, script, elder_id)
    reading = phone.page.evaluate(READING_JS)
    main = reading["main"]
    assert main["size"] >= 18 and main["lh"] >= 1.5 and main["contrast"] >= 7, main
    assert reading["items"], "no running text found"
    small = [i for i in reading["items"] if i["size"] < 18 or i["lh"] < 1.5]
    assert not small, small
    faint = [i for i in reading["items"] if i["contrast"] < 7]
    assert not faint, faint
    targets = phone.page.evaluate(TARGETS_JS, list(INLINE_EXEMPT))
    assert not targets, targets
    # Print-only parts (the QR code "scan to open this page") stay hidden on screen.
    assert all(not qr.is_visible() for qr in phone.page.locator(".ll-qr").all())


def test_text_size_choice_changes_the_text_and_survives_a_reload(
    site: ServedSite, phone: Phone
) -> None:
    page = phone.page
    page.goto(f"{site.url}stories/{STORY}/")
    para = ".ll-story p"
    size = "(s) => parseFloat(getComputedStyle(document.querySelector(s)).fontSize)"
    before = page.evaluate(size, para)
    assert page.get_attribute('.ll-size button[data-ll-size="1"]', "aria-pressed") == "true"
    page.tap('.ll-size button[data-ll-size="3"]')
    larger = page.evaluate(size, para)
    assert larger >= 24 > before, (before, larger)  # the largest choice: at least 18 pt
    assert page.get_attribute('.ll-size button[data-ll-size="3"]', "aria-pressed") == "true"
    page.reload()
    assert page.evaluate(size, para) == larger
    assert page.get_attribute('.ll-size button[data-ll-size="3"]', "aria-pressed") == "true"
    # The same choice on another page, in the other script (same site, same storage).
    page.goto(f"{site.url}{MIRROR}skills/{SKILL}/")
    assert page.evaluate(size, "#ll-main") >= 24
    page.tap('.ll-size button[data-ll-size="1"]')
    assert page.evaluate(size, "#ll-main") == pytest.approx(before)
    # Large text still fits the phone: no sideways scrolling (WCAG 1.4.10 reflow).
    page.tap('.ll-size button[data-ll-size="3"]')
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"page is {width}px wide at the largest text size"
    assert phone.errors == []


@pytest.mark.parametrize("script", SCRIPTS)
def test_read_aloud_speaks_the_story_in_chinese(
    site: ServedSite, phone: Phone, script: str
) -> None:
    page = phone.page
    page.add_init_script(SPEECH_STUB)
    page.goto(f"{site.url}{MIRROR if script == 'hant' else ''}stories/{STORY}/")
    button = page.locator(".ll-read")
    assert button.is_visible()
    assert button.get_attribute("aria-pressed") == "false"
    button.tap()
    assert button.get_attribute("aria-pressed") == "true"
    spoken = [u for u in page.evaluate("window.__llSpoken") if "text" in u]
    assert spoken, "speechSynthesis.speak() was not called"
    assert all(u["lang"].lower().startswith("zh") for u in spoken), {u["lang"] for u in spoken}
    said = _squash("".join(u["text"] for u in spoken))
    assert _squash(page.inner_text("#ll-article h1")) in said
    story = page.locator(".ll-story p").first.inner_text()
    assert len(_squash(story)) > 20 and _squash(story) in said
    button.tap()  # a second tap stops
    assert {"cancel": True} in page.evaluate("window.__llSpoken")
    assert button.get_attribute("aria-pressed") == "false"
    assert phone.errors == []


# ------------------------------------------------------------------ search


@pytest.mark.parametrize(
    ("start", "query", "expect"),
    [
        ("", "养猪", f"/skills/{SKILL}/"),
        (MIRROR, "養豬", f"/{MIRROR}skills/{SKILL}/"),
        (MIRROR, "茶葉採摘", f"/{MIRROR}skills/cha-ye-cai-zhai/"),
    ],
    ids=["hans-yang-zhu", "hant-yang-zhu", "hant-cha-ye"],
)
def test_search_box_shows_the_expected_first_result(
    site: ServedSite, phone: Phone, start: str, query: str, expect: str
) -> None:
    page = phone.page
    page.goto(site.url + start)
    page.tap("#ll-search-input")
    page.keyboard.type(query)
    assert _first_result(page).endswith(expect)
    assert phone.errors == []


@pytest.mark.parametrize("how", ["execCommand", "cdp-insertText"])
def test_text_committed_by_an_input_method_is_searched(
    site: ServedSite, phone: Phone, how: str
) -> None:
    page = phone.page
    page.goto(site.url)
    page.evaluate(
        "() => { window.__llKeys = 0; const i = document.querySelector('#ll-search-input');"
        " for (const t of ['keydown', 'keypress', 'keyup']) i.addEventListener(t, () => window.__llKeys++); }"
    )
    page.focus("#ll-search-input")
    if how == "execCommand":
        page.evaluate("() => document.execCommand('insertText', false, '木耳')")
    else:
        cdp = phone.context.new_cdp_session(page)
        cdp.send("Input.insertText", {"text": "木耳"})
    assert _first_result(page).endswith("/skills/mu-er-dai-liao/")
    assert page.input_value("#ll-search-input") == "木耳"
    assert page.evaluate("window.__llKeys") == 0, "the text must arrive without key events"
    assert phone.errors == []


def test_a_plain_page_view_downloads_no_search_index(site: ServedSite, phone: Phone) -> None:
    page = phone.page
    page.goto(f"{site.url}stories/{STORY}/")
    for _ in range(8):
        page.mouse.wheel(0, 700)
        page.wait_for_timeout(100)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    index = [u for u in phone.requests if "/pagefind/" in u]
    assert not index, index
    assert any(u.endswith(f"/stories/{STORY}/") for u in phone.requests)


# ------------------------------------------------------------------ network


def test_every_request_stays_on_the_served_origin(
    site: ServedSite, phone: Phone, elder_id: str
) -> None:
    page = phone.page
    visited = 0
    for script in SCRIPTS:
        for kind in PAGES:
            _open(phone, site, kind, script, elder_id)
            page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
            page.wait_for_load_state("networkidle")
            visited += 1
        page.goto(site.url + (MIRROR if script == "hant" else "") + "no-such-page/")
        page.goto(site.url + (MIRROR if script == "hant" else "") + "pairings/")
        page.tap("#ll-search-input")
        page.keyboard.type(SEARCH_QUERY[script])
        _first_result(page)
    elsewhere = sorted(
        {u for u in phone.requests if not u.startswith(site.url) and not u.startswith("data:")}
    )
    assert not elsewhere, elsewhere
    assert any("/pagefind/" in u for u in phone.requests), "the walk used search"
    assert visited == 2 * len(PAGES)
    print(f"\n{len(phone.requests)} requests over {visited} pages, all to {site.url}")


def test_slow_connection_first_text_and_bytes(site: ServedSite, phone: Phone) -> None:
    """A first visit to a story on 400 kbit/s with 400 ms latency: h1 within 3 s; bytes recorded."""
    page = phone.page
    cdp = phone.context.new_cdp_session(page)
    sent: dict[str, dict[str, Any]] = {}
    cdp.on(
        "Network.requestWillBeSent",
        lambda e: sent.setdefault(
            e["requestId"], {"url": e["request"]["url"], "type": e.get("type")}
        ),
    )
    cdp.on(
        "Network.responseReceived",
        lambda e: sent.setdefault(e["requestId"], {"url": e["response"]["url"]}).update(
            type=e.get("type"),
            mime=e["response"].get("mimeType", ""),
            encoding=e["response"].get("headers", {}).get("Content-Encoding"),
        ),
    )
    cdp.on(
        "Network.loadingFinished",
        lambda e: sent.setdefault(e["requestId"], {}).update(bytes=int(e["encodedDataLength"])),
    )
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    conditions = {
        "offline": False,
        "latency": 400,
        "downloadThroughput": 400 * 1024 / 8,
        "uploadThroughput": 400 * 1024 / 8,
    }
    cdp.send("Network.emulateNetworkConditions", conditions)
    url = f"{site.url}stories/{STORY}/"
    start = time.monotonic()
    page.goto(url, wait_until="commit")
    page.wait_for_selector("#ll-article h1", state="visible", timeout=10_000)
    h1_ms = (time.monotonic() - start) * 1000
    page.wait_for_load_state("load", timeout=30_000)
    paint = page.evaluate(
        "() => { const e = performance.getEntriesByName('first-contentful-paint')[0];"
        " return e ? e.startTime : null; }"
    )
    page.wait_for_load_state("networkidle", timeout=30_000)
    done = [r for r in sent.values() if "bytes" in r and r.get("url", "").startswith("http")]
    images = [r for r in done if r.get("type") == "Image" or r.get("mime", "").startswith("image/")]
    text = [r for r in done if r not in images]
    total = sum(r["bytes"] for r in text)
    decoded = page.evaluate(
        "() => performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))"
        ".filter(e => !/\\.(png|jpe?g|webp|avif|gif|svg|ico)$/.test(new URL(e.name).pathname)).reduce((s, e) => s + e.decodedBodySize, 0)"
    )
    report = {
        "page": urlsplit(url).path,
        "conditions": {"latency_ms": 400, "down_kbit_s": 400, "up_kbit_s": 400},
        "first_text_ms": round(h1_ms),
        "first_contentful_paint_ms": round(paint) if paint is not None else None,
        "bytes_before_photos": total,
        "kb_before_photos": round(total / 1024, 1),
        "uncompressed_bytes_before_photos": int(decoded),
        "requests_before_photos": [
            {
                "url": urlsplit(r["url"]).path,
                "type": r.get("type"),
                "bytes": r["bytes"],
                "encoding": r.get("encoding"),
            }
            for r in text
        ],
        "images": [
            {"url": urlsplit(r["url"]).path, "type": r.get("type"), "bytes": r["bytes"]}
            for r in images
        ],
        "server": "http.server on 127.0.0.1, text gzip-compressed as a static host does",
    }
    OUTPUT.mkdir(parents=True, exist_ok=True)
    (OUTPUT / "network.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    print(
        f"\nslow 400 kbit/s, 400 ms: h1 shown after {h1_ms:.0f} ms (first contentful paint"
        f" {paint or 0:.0f} ms); first story visit before photos: {total / 1024:.1f} KB transferred"
        f" in {len(text)} requests ({decoded / 1024:.1f} KB uncompressed); images {len(images)}"
    )
    assert h1_ms <= 3000, report
    assert paint is not None and paint <= 3000, report
    assert total > 0 and not [r for r in text if "/pagefind/" in r["url"]]


# ------------------------------------------------------------------ script switch


@pytest.mark.parametrize("kind", ["home", "skill", "story", "elder", "index", "list"])
def test_script_switch_lands_on_the_same_page(
    site: ServedSite, phone: Phone, elder_id: str, kind: str
) -> None:
    page = phone.page
    path = _path(kind, "hans", elder_id)
    page.goto(site.url + path)
    assert page.get_attribute("html", "lang") == "zh-Hans"
    page.tap(".ll-switch a[hreflang='zh-Hant']")
    page.wait_for_url(site.url + MIRROR + path)
    assert page.get_attribute("html", "lang") == "zh-Hant"
    assert page.inner_text(".ll-switch [aria-current]") == "繁體"
    page.tap(".ll-switch a[hreflang='zh-Hans']")
    page.wait_for_url(site.url + path)
    assert page.get_attribute("html", "lang") == "zh-Hans"
    assert page.inner_text(".ll-switch [aria-current]") == "简体"


# ------------------------------------------------------------------ offline bundle


@pytest.fixture(scope="module")
def offline(site: ServedSite, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The offline zip unpacked into a temporary folder."""
    folder = tmp_path_factory.mktemp("offline")
    with zipfile.ZipFile(site.build.dist / "lamplight-offline.zip") as archive:
        archive.extractall(folder)
    assert (folder / "index.html").is_file()
    return folder


def test_offline_bundle_opens_as_files_and_links_work(offline: Path, phone: Phone) -> None:
    page = phone.page
    page.goto((offline / "index.html").as_uri())
    assert page.get_attribute("html", "lang") == "zh-Hans"
    _follow(page, "a.ll-entrance[href$='stories/index.html']")
    _follow(page, f"#ll-main a.ll-list__link[href*='{STORY}']")
    assert page.inner_text("h1") == _built_h1(offline, _in_bundle(offline, page.url), STORY)
    page.go_back()
    page.go_back()
    _follow(page, "a.ll-entrance[href$='skills/index.html']")
    _follow(page, f"#ll-main a.ll-list__link[href*='{SKILL}']")
    assert page.inner_text("h1") == _built_h1(offline, _in_bundle(offline, page.url), SKILL)
    # The Traditional mirror inside the bundle too.
    _follow(page, ".ll-switch a[hreflang='zh-Hant']")
    assert page.get_attribute("html", "lang") == "zh-Hant"
    rel = _in_bundle(offline, page.url)
    assert rel.startswith(MIRROR)
    assert page.inner_text("h1") == _built_h1(offline, rel, SKILL)
    assert [u for u in phone.requests if not u.startswith(("file://", "data:"))] == []


def test_offline_bundle_search_box_works_or_says_it_needs_the_online_site(
    offline: Path, phone: Phone
) -> None:
    page = phone.page
    page.goto((offline / "index.html").as_uri())
    if page.locator("#ll-search-input").count() == 0:
        return  # no search box, no promise
    page.tap("#ll-search-input")
    page.keyboard.type("养猪")
    page.wait_for_function(
        "() => { const p = document.querySelector('#ll-search-pop');"
        " return p && !p.hidden && (p.querySelector('.ll-sr-item') ||"
        " (p.querySelector('.ll-sr-status') && !/正在/.test(p.innerText))); }"
    )
    if page.locator("#ll-search-pop .ll-sr-item").count():
        # the offline copy's pages are …/index.html or ….html, depending on how it is made
        assert _first_result(page).endswith((f"{SKILL}/index.html", f"skills/{SKILL}.html"))
        return
    said = page.inner_text("#ll-search-pop")
    assert re.search(r"联网|上网|网上|在线|网络|网站", said), said


# ------------------------------------------------------------------ screenshots


def test_phone_screenshots_of_the_main_pages(site: ServedSite, phone: Phone, elder_id: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = phone.page
    saved: list[Path] = []
    for script in SCRIPTS:
        for kind in PAGES:
            _open(phone, site, kind, script, elder_id)
            _load_lazy_images(page)
            target = SCREENSHOTS / f"{script}-{kind}.png"
            page.screenshot(path=str(target))
            full = SCREENSHOTS / f"{script}-{kind}-full.png"
            page.screenshot(path=str(full), full_page=True, scale="css")
            saved.append(target)
    # The story at the largest text size ("特大"), as a reader with poor sight sets it.
    _open(phone, site, "story", "hans", elder_id)
    page.tap('.ll-size button[data-ll-size="3"]')
    page.evaluate("window.scrollTo(0, 0)")
    saved.append(SCREENSHOTS / "hans-story-largest-text.png")
    page.screenshot(path=str(saved[-1]))
    assert all(p.stat().st_size > 5000 for p in saved)
    print(f"\n{len(saved)} phone screenshots in {SCREENSHOTS.relative_to(PROJECT_ROOT)}/")
