"""The Pagefind side without a browser: the Simplified search copy, the maps, the binary."""

from __future__ import annotations

from pathlib import Path

import pytest

from generators.content import Catalogue, load_or_raise
from generators.search import pagefind
from generators.search.pagefind import (
    PagefindMissing,
    body_text,
    client_data,
    find_pagefind,
    prepare_copy,
)

from .helpers import ROOT, copy_project

PAGE = """<!doctype html><html lang="zh-Hant"><head><title>養豬</title></head><body>
<nav>香菇 木耳 導航</nav>
<div class="ll-page" data-pagefind-body>
<p class="ll-kicker"><a href="../">學技能</a></p>
<h1>發酵床養豬</h1>
<p>「劉大哥一家」用發酵床養豬，ＡＢＣ１２３。</p>
<div class="ll-months" aria-hidden="true"><span>1</span><span>2</span></div>
<ul class="ll-list"><li>黑木耳袋料栽培</li></ul>
</div></body></html>
"""


@pytest.fixture(scope="module")
def cat(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    """The sample, with the household's name of PAGE made a protected term."""
    root = copy_project(tmp_path_factory.mktemp("pagefind") / "p")
    terms = root / "content" / "protected_terms.yaml"
    terms.write_text(terms.read_text(encoding="utf-8") + "  - 「劉大哥一家」\n", encoding="utf-8")
    return load_or_raise(root)


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    for rel, text in {
        "skills/sheng-tai-yang-zhu/index.html": PAGE,
        "zh-hant/skills/sheng-tai-yang-zhu/index.html": PAGE,
        "about/index.html": "<html><body><h1>關於</h1></body></html>",
    }.items():
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return site


def test_search_copy_is_simplified_with_synonyms_and_meta(cat: Catalogue, tmp_path: Path) -> None:
    site = _site(tmp_path)
    copied = prepare_copy(site, tmp_path / "copy", cat)
    assert copied == ["skills/sheng-tai-yang-zhu/index.html"], (
        "mirror and pages without body skipped"
    )
    html = (tmp_path / "copy" / copied[0]).read_text(encoding="utf-8")
    indexed = body_text(html)
    assert "发酵床养猪" in indexed and "養" not in indexed.replace("「劉大哥一家」", "")
    assert "ABC123" in indexed, "full-width letters and digits made half-width"
    assert "，" in indexed, "Chinese punctuation kept for excerpts"
    assert "生猪" in indexed, "synonym of 养猪 appended"
    assert "刘大哥一家" in indexed, "plain form of the protected term appended"
    assert "黑木耳" not in indexed and "学技能" not in indexed, "lists of other items left out"
    assert "香菇" not in indexed, "navigation outside the body does not add synonyms"
    assert 'data-pagefind-meta="ll_kind:skill"' in html
    assert 'data-pagefind-meta="ll_title_hant:' in html


def test_character_maps_are_small_and_right(cat: Catalogue) -> None:
    data = client_data(cat, ["养猪 发酵床 头发 茶叶采摘"])
    t_pair, s_pair = data["t2s"], data["s2t"]
    assert isinstance(t_pair, list) and isinstance(s_pair, list)
    t_from, t_to = t_pair
    s_from, s_to = s_pair
    t2s = dict(zip(t_from, t_to, strict=True))
    s2t = dict(zip(s_from, s_to, strict=True))
    assert t2s["豬"] == "猪" and t2s["葉"] == "叶" and t2s["採"] == "采"
    assert s2t["猪"] == "豬" and s2t["发"] == "發", "most frequent choice in the content"
    assert len(t2s) < 3000 and len(s2t) < 3000
    assert ["奇异果", "猕猴桃"] in data["syn"]  # type: ignore[operator]


def test_missing_pagefind_says_to_run_npm_ci(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(pagefind, "TOOL_ROOT", tmp_path / "nowhere")
    with pytest.raises(PagefindMissing) as failure:
        find_pagefind(tmp_path)
    assert "npm ci" in str(failure.value)


def test_pagefind_is_installed_from_npm() -> None:
    binary = find_pagefind(ROOT)
    assert "pagefind" in binary.name


def test_search_copy_leaves_out_other_items_lists_but_keeps_pagefind_attributes() -> None:
    page = (
        '<div data-pagefind-body><h1>养猪</h1><div class="ll-related"><h2>相关</h2>'
        '<div><a href="../x/">黑木耳</a></div></div><p>正文</p>'
        '<ul class="ll-list"><li data-pagefind-meta="x:y">留下</li></ul>'
        '<img aria-hidden="true" src="a.png"><p>结尾</p></div>'
    )
    out = pagefind.drop_ignored(page)
    assert "黑木耳" not in out and "相关" not in out and "a.png" not in out
    assert "<p>正文</p>" in out and "<p>结尾</p>" in out
    assert "留下" in out, "an element holding Pagefind attributes stays"
    unclosed = '<p>a</p><div class="ll-related"><p>b</p>'
    assert pagefind.drop_ignored(unclosed) == unclosed, "never closed: nothing dropped"


def test_search_copy_is_kept_by_its_inputs(cat: Catalogue, tmp_path: Path) -> None:
    from generators.cache import Store
    from generators.search.pagefind_copy import prepare_pages, write_pages

    site = _site(tmp_path)
    store = Store(tmp_path / "cache")
    first = prepare_pages(site, cat, store)
    assert first.made == 1 and "养" in first.chars
    page = site / "skills/sheng-tai-yang-zhu/index.html"
    footer = '<p class="ll-footer__meta">内容版本 v1</p></body>'
    page.write_text(PAGE.replace("</body>", footer), encoding="utf-8")
    second = prepare_pages(site, cat, store)
    page.write_text(PAGE.replace("</body>", footer.replace("v1", "v2")), encoding="utf-8")
    third = prepare_pages(site, cat, store)
    assert second.made == 1 and third.made == 0, "the footer's content version is not read"
    assert third.keys == second.keys
    write_pages(third, third.pages, tmp_path / "a")
    write_pages(prepare_pages(site, cat), third.pages, tmp_path / "b")
    rel = third.pages[0]
    assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes()


def test_parts_are_stable_random_samples() -> None:
    pages = [f"stories/s-{n:04d}/index.html" for n in range(2900)]
    parts = pagefind.shards(pages, 1000)
    assert len(parts) == 3 and sorted(p for part in parts for p in part) == sorted(pages)
    assert all(850 < len(part) < 1100 for part in parts)
    # one more page: every other page stays in its part
    grown = pagefind.shards([*pages, "stories/new/index.html"], 1000)
    assert [set(part) - {"stories/new/index.html"} for part in grown] == [set(p) for p in parts]


def test_cached_rules_and_maps_equal_the_uncached(cat: Catalogue, tmp_path: Path) -> None:
    texts = ["养猪 发酵床 头发 茶叶采摘"]
    plain = client_data(cat, texts)
    first = client_data(cat, texts, cached=True)
    again = client_data(cat, texts, cached=True)
    assert plain == first == again
    assert any((cat.root / ".lamplight-cache" / "rules").iterdir())
    assert (cat.root / ".lamplight-cache" / "s2t" / "counts.json").is_file()
