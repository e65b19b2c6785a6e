"""Search inside the offline bundle: the prebuilt index files and the engine, opened from file://.

Uses the session's sample site build (``lamplight_site`` in conftest.py), whose offline zip
is unpacked once. The browser tests load ``assets/javascripts/lamplight-offline.js`` into a
page of the unpacked bundle (as the search box does when the page is opened from files) and
call ``LamplightOffline.search`` with the content words of natural questions.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from generators.content.documents import published_documents
from generators.search import offline as offline_search

from .conftest import SiteBuild

NATURAL: dict[str, list[str]] = {
    q["q"]: q["expect"]
    for q in yaml.safe_load(
        (Path(__file__).parent / "natural_queries.yaml").read_text(encoding="utf-8")
    )["queries"]
}

#: Natural questions with their content words as the query understanding hands them over
#: (question words dropped, colloquial words joined by the content's terms), by hand.
SAMPLE: dict[str, list[list[str]]] = {
    "猪拉稀怎么办": [["猪"], ["拉稀", "腹泻", "拉肚子"]],
    "种香菇赚钱吗": [["香菇", "蘑菇"], ["赚钱", "挣钱", "收入", "增收"]],
    "木耳袋子里长红毛了怎么办": [["木耳"], ["袋子", "菌袋"], ["红毛", "发红"]],
    "春茶啥时候开采最好": [["春茶"], ["开采", "采摘"]],
    "开直播老是没人看咋整": [["直播"], ["没人看"]],
    "土豆叶子上长黑斑咋办": [["土豆", "洋芋", "马铃薯"], ["叶子"], ["黑斑"]],
    "果树树干裂口流红水会不会传染": [["果树", "猕猴桃"], ["树干"], ["流红水"], ["传染"]],
    "在家里能做什么手工挣钱": [["在家"], ["手工"], ["挣钱", "赚钱", "收入", "增收"]],
    "孩子不想念书了怎么办": [["孩子"], ["念书", "上学", "辍学"]],
    "母猪生完崽不吃东西咋办": [["母猪"], ["生完崽", "下崽", "产后"], ["不吃"]],
    "干木耳收购价多少": [["干木耳"], ["收购价", "价格"]],
    "现在肥猪多少钱一斤": [["肥猪", "生猪"], ["多少钱", "价格", "收购价"]],
    "嫁接以后一直不发芽是不是死了": [["嫁接"], ["不发芽"]],
    "焊工证怎么考": [["焊工证", "电焊"]],
}
#: A title typed only partly: the first words alone find the page (prefix matches).
PARTIAL = {"发酵床养猪刘": "liu-da-ge-yang-zhu", "龙大姐管好五": "long-da-jie-cha-yuan"}
_PART_RE = re.compile(r"^\(window\.LamplightOfflineIndex=[^)]*\)\.push\((.*)\);\n$", re.S)
_MOBILE_RE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_ID_RE = re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])")
SCRIPTS = Path(offline_search.SCRIPTS_DIR)
MIRROR_SCRIPTS = Path("zh-hant") / SCRIPTS


def _id_of(url: str) -> str:
    """``skills/x/index.html`` or ``skills/x.html`` → ``x``."""
    parts = url.split("/")
    return parts[1] if parts[-1] == "index.html" and len(parts) == 3 else parts[-1][:-5]


def _rows(folder: Path) -> list[list[str]]:
    """Every item of the index files in ``folder``, in file order."""
    rows: list[list[str]] = []
    engine = (folder / SCRIPTS / offline_search.ENGINE).read_text(encoding="utf-8")
    config = json.loads(
        re.search(r"var CONFIG = (\{.*?\});\n", engine, re.S).group(1)  # type: ignore[union-attr]
    )
    assert config["fields"] == list(offline_search.FIELDS)
    for number, name in enumerate(config["parts"], start=1):
        match = _PART_RE.match((folder / SCRIPTS / name).read_text(encoding="utf-8"))
        assert match, name
        part = json.loads(match.group(1))
        assert part["n"] == number
        rows.extend(part["items"])
    return rows


@pytest.fixture(scope="module")
def bundle(lamplight_site: SiteBuild, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The offline zip unpacked into a temporary folder."""
    folder = tmp_path_factory.mktemp("offline-bundle")
    with zipfile.ZipFile(lamplight_site.dist / "lamplight-offline.zip") as archive:
        archive.extractall(folder)
    return folder


# ------------------------------------------------------------------ the files


def test_engine_and_index_are_in_the_zip_for_both_scripts(lamplight_site: SiteBuild) -> None:
    with zipfile.ZipFile(lamplight_site.dist / "lamplight-offline.zip") as archive:
        names = set(archive.namelist())
        engine = archive.read(f"{SCRIPTS}/{offline_search.ENGINE}")
        mirror = archive.read(f"zh-hant/{SCRIPTS}/{offline_search.ENGINE}")
    assert f"{SCRIPTS}/lamplight-offline-index-1.js" in names
    assert not [n for n in names if n.startswith("zh-hant/") and "offline-index" in n]
    assert engine == mirror, "the mirror's engine is the same file (it loads the root's index)"
    assert offline_search.CONFIG_MARK.encode() not in engine
    code = re.sub(r"/\*.*?\*/|//[^\n]*", "", engine.decode("utf-8"), flags=re.S)
    assert "import" not in code and "fetch(" not in code and "WebAssembly" not in code
    assert "=>" not in code and "`" not in code, "ES5 only (old Android WebViews)"


def test_index_is_the_same_bytes_every_time(
    bundle: Path, lamplight_site: SiteBuild, tmp_path: Path
) -> None:
    made = []
    for run in ("a", "b"):
        copy = tmp_path / run
        shutil.copytree(bundle, copy, ignore=shutil.ignore_patterns("*.jpg", "*.png", "*.webp"))
        for old in (copy / SCRIPTS).glob("lamplight-offline*"):
            old.unlink()
        sizes = offline_search.write_offline_search(lamplight_site.cat, copy)
        files = sorted((copy / SCRIPTS).glob("lamplight-offline*"))
        made.append({p.name: p.read_bytes() for p in files})
        assert sorted(sizes["files"]) == [p.name for p in files]
        assert sizes["raw"] == sum(len(b) for b in made[-1].values())
        assert sizes["gzip"] == sum(len(gzip.compress(b, 9, mtime=0)) for b in made[-1].values())
        assert sizes["items"] == len(_rows(copy))
    assert made[0] == made[1]
    assert made[0] == {name: (bundle / SCRIPTS / name).read_bytes() for name in made[0]}


def test_index_holds_every_published_item_and_nothing_hidden(
    bundle: Path, lamplight_site: SiteBuild
) -> None:
    cat = lamplight_site.cat
    rows = _rows(bundle)
    urls = [row[0] for row in rows]
    assert urls == sorted(urls) and len(set(urls)) == len(urls)
    for url in urls:
        assert (bundle / url).is_file(), url
        assert (bundle / "zh-hant" / url).is_file(), url
    docs = published_documents(cat)
    assert sorted((d.kind, d.id) for d in docs) == sorted((r[1], _id_of(r[0])) for r in rows)
    assert {"skill", "showcase", "elder", "question", "team", "notice"} <= {r[1] for r in rows}
    hidden = {i for ids in lamplight_site.hidden.values() for i in ids}
    hidden |= {s.id for s in cat.skills.values() if s.status != "published"}
    hidden |= {s.id for s in cat.showcases.values() if s.status != "published"}
    assert hidden and not hidden & {_id_of(u) for u in urls}
    for kind, ids in lamplight_site.hidden.items():
        records = {"skill": cat.skills, "showcase": cat.showcases, "elder": cat.elders}[kind]
        for ident in ids:
            title = getattr(records[ident], "title", None) or records[ident].display_name
            assert cat.converter.hans(title) not in [r[2] for r in rows], ident


def test_index_has_no_private_data(bundle: Path, lamplight_site: SiteBuild) -> None:
    cat = lamplight_site.cat
    text = "\n".join("\n".join(r) for r in _rows(bundle))
    assert not _MOBILE_RE.search(text) and not _ID_RE.search(text)
    for pairing in cat.pairings.values():
        assert pairing.id not in text
        if pairing.household.code:
            assert pairing.household.code not in text


def test_each_item_keeps_titles_both_scripts_and_the_first_part_of_its_page(
    bundle: Path, lamplight_site: SiteBuild
) -> None:
    cat = lamplight_site.cat
    rows = {(r[1], _id_of(r[0])): r for r in _rows(bundle)}
    for doc in published_documents(cat):
        row = rows[(doc.kind, doc.id)]
        _, _, title, title_hant, tags, summary, body = row
        assert title == cat.converter.hans(doc.title)
        assert title_hant == cat.converter.hant(doc.title)
        assert len(summary) <= offline_search.SUMMARY_CHARS
        assert len(body) <= offline_search.BODY_CHARS
        assert summary or body, doc.id
        for tag in doc.tags:
            assert tag in tags.split(" "), (doc.id, tag)
    skill = rows[("skill", "sheng-tai-yang-zhu")]
    assert skill[5] == cat.converter.hans(cat.skills["sheng-tai-yang-zhu"].summary.strip())
    assert len(skill[6]) == offline_search.BODY_CHARS


def test_pages_are_found_in_either_url_style_and_missing_pages_left_out(
    lamplight_site: SiteBuild, tmp_path: Path
) -> None:
    """The copy may be built with ``skills/x.html`` or ``skills/x/index.html`` pages."""
    from generators.content import KINDS

    cat = lamplight_site.cat
    docs = published_documents(cat)
    for doc in docs:
        page_file = tmp_path / (KINDS[doc.kind].page_path(doc.id) + "index.html")
        page_file.parent.mkdir(parents=True, exist_ok=True)
        page_file.write_text("<!doctype html>", encoding="utf-8")
    gone = docs[0]
    (tmp_path / KINDS[gone.kind].page_path(gone.id) / "index.html").unlink()
    sizes = offline_search.write_offline_search(cat, tmp_path)
    urls = [row[0] for row in _rows(tmp_path)]
    assert sizes["items"] == len(docs) - 1 == len(urls)
    assert all(u.endswith("/index.html") for u in urls)
    assert KINDS[gone.kind].page_path(gone.id) + "index.html" not in urls
    assert not (tmp_path / MIRROR_SCRIPTS).exists(), "no mirror, no mirror engine"


# ------------------------------------------------------------------ in the browser


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 400, "height": 860})
    pg = context.new_page()
    pg.errors = []
    pg.requests = []
    pg.on("pageerror", lambda exc: pg.errors.append(str(exc)))
    pg.on("request", lambda r: pg.requests.append(r.url))
    try:
        yield pg
    finally:
        context.close()


def _open(page: Any, bundle: Path, rel: str) -> None:
    """Open ``rel`` of the bundle from file:// and load the engine beside it."""
    page.goto((bundle / rel).as_uri())
    prefix = "zh-hant/" if rel.startswith("zh-hant/") else ""
    engine = bundle / prefix / SCRIPTS / offline_search.ENGINE
    page.add_script_tag(url=engine.as_uri())


def _search(page: Any, groups: list[list[str]], limit: int = 5) -> list[dict[str, Any]]:
    return page.evaluate(
        "async ([g, n]) => await window.LamplightOffline.search(g, {limit: n})", [groups, limit]
    )


def _expected(question: str, build: SiteBuild) -> set[str]:
    hidden = {i for ids in build.hidden.values() for i in ids}
    return set(NATURAL[question]) - hidden


@pytest.mark.browser
def test_nothing_is_loaded_until_the_first_search(bundle: Path, page: Any) -> None:
    stories = sorted(p.relative_to(bundle).as_posix() for p in bundle.glob("stories/*/index.html"))
    assert stories  # a story page of the bundle, not the list page
    _open(page, bundle, stories[0])
    assert page.evaluate("typeof window.LamplightOffline.search") == "function"
    data = page.evaluate("window.LamplightOffline.data")
    assert {"t2s", "s2t", "syn"} <= set(data)
    assert not [u for u in page.requests if "offline-index" in u]
    assert _search(page, [["养猪"]])
    assert [u for u in page.requests if "offline-index" in u]
    assert [u for u in page.requests if not u.startswith(("file://", "data:"))] == []
    assert page.errors == []


@pytest.mark.browser
def test_natural_questions_find_their_items_from_files(
    bundle: Path, page: Any, lamplight_site: SiteBuild
) -> None:
    _open(page, bundle, "index.html")
    misses = []
    for question, groups in SAMPLE.items():
        expected = _expected(question, lamplight_site)
        assert expected, question
        results = _search(page, groups)
        got = [_id_of(r["url"]) for r in results]
        if not expected & set(got[:3]):
            misses.append(f"{question}: {got}")
        for result in results:
            assert (bundle / result["url"]).is_file(), result["url"]
            assert (bundle / "zh-hant" / result["url"]).is_file(), result["url"]
        assert results[0]["matched"] == max(r["matched"] for r in results), question
    assert not misses, "\n".join(misses)
    assert page.errors == []


@pytest.mark.browser
def test_some_words_found_is_never_a_blank_list(bundle: Path, page: Any) -> None:
    _open(page, bundle, "index.html")
    results = _search(page, [["香菇"], ["直升机"]], 10)
    assert results and all(r["matched"] == 1 for r in results)
    assert "香菇" in results[0]["title"]
    assert _search(page, [["直升机"], ["潜水艇"]]) == []
    both = _search(page, [["木耳"], ["菌袋"]], 30)
    counts = [r["matched"] for r in both]
    assert counts == sorted(counts, reverse=True) and counts[0] == 2


@pytest.mark.browser
def test_a_title_typed_partly_finds_the_page_by_its_first_words(bundle: Path, page: Any) -> None:
    _open(page, bundle, "index.html")
    for typed, ident in PARTIAL.items():
        results = _search(page, [[typed]])
        assert results and _id_of(results[0]["url"]) == ident, (typed, results[:2])
        assert typed.startswith(results[0]["terms"][0])
    # 发酵床养猪刘: the title has a comma after 养猪, so only a prefix of the word is in it.
    assert _search(page, [["发酵床养猪刘"]])[0]["terms"] == ["发酵床养猪"]


@pytest.mark.browser
def test_title_matches_rank_above_body_matches(bundle: Path, page: Any) -> None:
    _open(page, bundle, "index.html")
    results = _search(page, [["发酵床"]], 20)
    in_title = ["发酵床" in r["title"] for r in results]
    assert in_title[0] and in_title == sorted(in_title, reverse=True)
    assert len(results) > sum(in_title) > 0


@pytest.mark.browser
def test_excerpts_start_at_a_phrase_boundary_before_the_match(
    bundle: Path, page: Any, lamplight_site: SiteBuild
) -> None:
    _open(page, bundle, "index.html")
    rows = {r[0]: r for r in _rows(bundle)}
    checked = 0
    for word in ("拉稀", "菌袋", "晚疫病", "发酵床", "订单", "采摘"):
        for result in _search(page, [[word]], 10):
            excerpt = result["excerpt"].rstrip("…")
            row = rows[result["url"]]
            text = (row[5] + "\n" + row[6]) if row[5] else row[6]
            flat = text.replace("\n", " ")
            at = flat.find(excerpt)
            assert at >= 0, (word, result["excerpt"])
            assert at == 0 or flat[at - 1] in "。！？；，、：!?;,: " or excerpt.startswith(word)
            assert len(excerpt) <= 60
            if word in flat:
                assert word in excerpt or word in result["title"], (word, result)
            checked += 1
    assert checked > 10
    assert page.errors == []


@pytest.mark.browser
def test_traditional_mirror_searches_with_the_same_index(
    bundle: Path, page: Any, lamplight_site: SiteBuild
) -> None:
    _open(page, bundle, "zh-hant/index.html")
    # A Traditional question's words, converted by the data's own character map.
    groups = page.evaluate(
        """() => { const d = window.LamplightOffline.data; const m = {};
          for (let i = 0; i < d.t2s[0].length; i++) m[d.t2s[0][i]] = d.t2s[1][i];
          const simp = (w) => Array.from(w).map((c) => m[c] || c).join("");
          return [["豬"], ["拉稀"]].map((g) => g.map(simp)); }"""
    )
    assert groups == [["猪"], ["拉稀"]]
    results = _search(page, groups)
    assert _id_of(results[0]["url"]) in _expected("豬拉稀怎麼辦", lamplight_site)
    first = results[0]
    assert "豬" in first["title_hant"] and "猪" not in first["title_hant"]
    assert "猪" not in first["excerpt_hant"]
    assert [u for u in page.requests if "offline-index" in u and "/zh-hant/" in u] == []
    assert (bundle / "zh-hant" / first["url"]).is_file()
    assert page.errors == []


@pytest.mark.browser
def test_index_text_is_matched_in_its_normalised_form(
    bundle: Path, page: Any, lamplight_site: SiteBuild
) -> None:
    """The engine lower-cases and half-widths the stored text as ``normalise`` does: the
    normalised form of a title with a full-width colon finds it."""
    from generators.text import normalise

    cat = lamplight_site.cat
    title = cat.skills["sheng-tai-yang-zhu"].title
    assert "：" in title
    word = normalise(title, cat.converter)[2:10]
    assert ":" in word
    _open(page, bundle, "index.html")
    results = _search(page, [[word]])
    assert _id_of(results[0]["url"]) == "sheng-tai-yang-zhu" and results[0]["terms"] == [word]


@pytest.mark.browser
def test_a_topic_finds_the_tutorial_first_and_kinds_can_be_reweighted(
    bundle: Path, page: Any
) -> None:
    _open(page, bundle, "index.html")
    results = _search(page, [["养猪"]], 10)
    assert results[0]["url"].startswith("skills/sheng-tai-yang-zhu"), results[:3]
    kinds = [r["kind"] for r in results]
    assert "notice" in kinds and kinds.index("notice") > kinds.index("skill")
    groups = [["猪"], ["拉稀"]]
    asked = page.evaluate(
        "async (g) => await window.LamplightOffline.search(g, {limit: 3, kinds: {question: 2}})",
        groups,
    )
    assert asked[0]["kind"] == "question" and _id_of(asked[0]["url"]) == "zhu-la-xi-zen-me-ban"
    default = {r["url"]: r["score"] for r in _search(page, groups, 10)}
    assert asked[0]["score"] > default[asked[0]["url"]]
