"""The editors' search (whoosh), related items and near-copy detection on the sample content."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from generators.content import Catalogue, load_or_raise
from generators.content.near_copies import find_duplicates
from generators.models import Showcase, Skill
from generators.search import related as related_module
from generators.search import related_stats
from generators.search.index import CACHE_DIR, INDEX_DIR, build_index, search
from generators.search.related import RelatedIndex
from generators.text import normalise, query_terms

from .helpers import copy_project, run

QUERIES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "search_queries.yaml").read_text(encoding="utf-8")
)["queries"]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Catalogue, Path]:
    """A copy of the sample project with its whoosh index built."""
    root = copy_project(tmp_path_factory.mktemp("search-project"))
    cat = load_or_raise(root)
    build_index(cat, root)
    return cat, root


def _ids(cat: Catalogue, root: Path, query: str, **kw: Any) -> list[str]:
    return [h.id for h in search(cat, root, query, **kw)]


def recall_at_10(cat: Catalogue, root: Path, script: str) -> tuple[float, list[str]]:
    scores: list[float] = []
    misses: list[str] = []
    for item in QUERIES:
        if item["script"] != script:
            continue
        found = _ids(cat, root, item["q"], limit=10)
        hit = [e for e in item["expect"] if e in found]
        scores.append(len(hit) / len(item["expect"]))
        if len(hit) < len(item["expect"]):
            misses.append(f"{item['q']}: missing {sorted(set(item['expect']) - set(hit))}")
    return sum(scores) / len(scores), misses


# ------------------------------------------------------------------ the query set


def test_query_set_covers_both_scripts_and_real_items(sample: tuple[Catalogue, Path]) -> None:
    cat, _ = sample
    assert len(QUERIES) >= 40
    scripts = [q["script"] for q in QUERIES]
    assert scripts.count("hans") >= 20 and scripts.count("hant") >= 20
    published = (
        {s.id for s in cat.published_skills()}
        | {s.id for s in cat.published_showcases("web")}
        | {e.id for e in cat.published_elders("web")}
    )
    for item in QUERIES:
        assert item["expect"], item
        assert set(item["expect"]) <= published, item
        if item["script"] == "hant":
            assert normalise(item["q"]) != item["q"], f"{item['q']} has no Traditional character"
    assert any(" " in q["q"] for q in QUERIES), "two-word queries"


# ------------------------------------------------------------------ recall and ranking


@pytest.mark.parametrize("script", ["hans", "hant"])
def test_recall_at_10_per_script(sample: tuple[Catalogue, Path], script: str) -> None:
    cat, root = sample
    recall, misses = recall_at_10(cat, root, script)
    assert recall >= 0.9, misses


def test_expected_first_results(sample: tuple[Catalogue, Path]) -> None:
    cat, root = sample
    wrong = []
    for item in QUERIES:
        if item.get("first"):
            got = _ids(cat, root, item["q"])[:1]
            if got != [item["first"]]:
                wrong.append((item["q"], item["first"], got))
    assert not wrong


def test_simplified_query_finds_page_written_in_traditional(sample: tuple[Catalogue, Path]) -> None:
    cat, root = sample
    story = cat.showcases["liu-da-ge-yang-zhu"]
    assert cat.converter.hans(story.title) != story.title, (
        "the sample story is written in Traditional"
    )
    assert "liu-da-ge-yang-zhu" in _ids(cat, root, "发酵床养猪")
    assert "liu-da-ge-yang-zhu" in _ids(cat, root, "刘大哥"), "「劉大哥一家」 in Simplified"


def test_traditional_query_finds_page_written_in_simplified(sample: tuple[Catalogue, Path]) -> None:
    cat, root = sample
    skill = cat.skills["cha-ye-cai-zhai"]
    assert cat.converter.hans(skill.title) == skill.title, (
        "the sample tutorial is written in Simplified"
    )
    assert _ids(cat, root, "茶葉採摘")[0] == "cha-ye-cai-zhai"
    assert _ids(cat, root, "養豬")[0] == "sheng-tai-yang-zhu"


@pytest.mark.parametrize(
    ("query", "target"),
    [
        ("蘑菇", "xiang-gu-dai-liao"),
        ("奇异果", "mi-hou-tao-jia-jie"),
        ("土豆", "ma-ling-shu-zhong-zhi"),
        ("奇異果", "mi-hou-tao-jia-jie"),
    ],
)
def test_synonym_query_finds_target(
    sample: tuple[Catalogue, Path], query: str, target: str
) -> None:
    cat, root = sample
    record = cat.skills[target]
    text = normalise(record.title + cat.body(record) + record.summary)
    assert normalise(query) not in text, "the target must not contain the query word itself"
    assert target in _ids(cat, root, query)[:3]


def test_partial_word_matches_inside_longer_word(sample: tuple[Catalogue, Path]) -> None:
    cat, root = sample
    assert "黑木耳" in cat.skills["mu-er-dai-liao"].title
    assert _ids(cat, root, "木耳")[0] == "mu-er-dai-liao"
    assert "mu-er-dai-liao" in _ids(cat, root, "耳"), "single characters match too"


def test_user_words_keep_terms_whole(sample: tuple[Catalogue, Path]) -> None:
    from generators.content.documents import catalogue_words

    cat, _ = sample
    words = catalogue_words(cat)
    assert {"猕猴桃", "马铃薯", "雷山县", "奇异果", "王老专家"} <= set(words)
    assert query_terms("奇异果种植", words) == ["奇异果", "种植"]
    assert query_terms("怎么养猪", words) == ["养猪"]


def test_exact_title_match_ranks_first(sample: tuple[Catalogue, Path]) -> None:
    cat, root = sample
    for record in cat.published_skills():
        assert _ids(cat, root, record.title)[0] == record.id, record.title
    for elder in cat.published_elders("web"):
        assert _ids(cat, root, elder.display_name)[0] == elder.id


def test_snippet_highlights_matched_words(sample: tuple[Catalogue, Path]) -> None:
    cat, root = sample
    hits = search(cat, root, "发酵床")
    hit = next(h for h in hits if h.id == "sheng-tai-yang-zhu")
    assert "<mark>发酵床</mark>" in hit.snippet_html
    assert "[bold yellow]发酵床[/]" in hit.snippet
    trad = next(h for h in hits if h.id == "liu-da-ge-yang-zhu")
    assert "<mark>發酵床</mark>" in trad.snippet_html, "highlight in the page's own script"
    assert hit.kind_label == "技能" and hit.url == "skills/sheng-tai-yang-zhu/"


def test_empty_and_stopword_queries(sample: tuple[Catalogue, Path]) -> None:
    cat, root = sample
    assert search(cat, root, "") == []
    assert search(cat, root, "   ") == []
    assert search(cat, root, "的 了 吗") == []
    assert search(cat, root, "量子计算机") == []


# ------------------------------------------------------------------ filters


def test_kind_filter(sample: tuple[Catalogue, Path]) -> None:
    cat, root = sample
    for kind in ("skill", "showcase", "elder"):
        hits = search(cat, root, "合作社", kind=kind)
        assert hits and {h.kind for h in hits} == {kind}


def test_region_filter_either_script_province_or_county(sample: tuple[Catalogue, Path]) -> None:
    cat, root = sample
    leishan = {s.id for s in cat.published_showcases() if s.region.county == "雷山县"}
    for region in ("雷山县", "雷山縣", "雷山"):
        hits = search(cat, root, "养殖", kind="showcase", region=region)
        assert hits and {h.id for h in hits} <= leishan, region
    gansu = search(cat, root, "马铃薯", region="甘肅")
    assert gansu and all("甘肃" in h.region for h in gansu)
    assert search(cat, root, "养猪", region="甘肃省", kind="showcase") == []


def test_industry_filter_either_script(sample: tuple[Catalogue, Path]) -> None:
    cat, root = sample
    for industry in ("养殖", "養殖"):
        hits = search(cat, root, "合作社", industry=industry)
        ids = {h.id for h in hits}
        assert "sheng-tai-yang-zhu" in ids
        assert all(
            (
                cat.skills[i].category
                if i in cat.skills
                else cat.showcases[i].industry
                if i in cat.showcases
                else "养殖"
            )
            == "养殖"
            for i in ids
        )


def test_unpublished_items_are_never_found(sample: tuple[Catalogue, Path]) -> None:
    cat, root = sample
    hidden: list[Skill | Showcase] = [s for s in cat.skills.values() if s.status != "published"]
    hidden += [s for s in cat.showcases.values() if s not in cat.published_showcases("web")]
    assert hidden, "the sample has drafts and withdrawn items"
    for record in hidden:
        assert record.id not in _ids(cat, root, record.title, limit=50)


def test_index_follows_status_changes_and_rebuilds_atomically(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    cat = load_or_raise(root)
    path = build_index(cat, root)
    assert path == root / CACHE_DIR / INDEX_DIR and path.is_dir()
    assert _ids(cat, root, "養豬")[0] == "sheng-tai-yang-zhu"
    cat.skills["sheng-tai-yang-zhu"].status = "draft"
    assert "sheng-tai-yang-zhu" not in _ids(cat, root, "養豬")
    build_index(cat, root)
    leftovers = [
        p.name
        for p in (root / CACHE_DIR).iterdir()
        if p.name not in (INDEX_DIR, "check.pickle", "rules")  # rules: the query rules' cache
    ]
    assert leftovers == []


# ------------------------------------------------------------------ command line


def test_cli_search_json_returns_pig_tutorial_first(sample: tuple[Catalogue, Path]) -> None:
    _, root = sample
    result = run("search", "养猪", "--json", root=root)
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert hits[0]["id"] == "sheng-tai-yang-zhu"
    assert set(hits[0]) == {"id", "kind", "title", "url", "score", "matched"}
    assert hits[0]["kind"] == "skill" and hits[0]["url"] == "skills/sheng-tai-yang-zhu/"


def test_cli_search_text_and_filters(sample: tuple[Catalogue, Path]) -> None:
    _, root = sample
    result = run("search", "養豬", "--kind", "showcase", root=root)
    assert result.exit_code == 0
    assert "發酵床養豬" in result.stdout and "榜样" in result.stdout
    nothing = run("search", "量子计算机", root=root)
    assert nothing.exit_code == 0 and "没有找到" in nothing.stdout


def test_cli_index_writes_cache(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    result = run("index", root=root)
    assert result.exit_code == 0, result.output
    assert (root / CACHE_DIR / INDEX_DIR).is_dir()


# ------------------------------------------------------------------ related items


def test_related_items_never_self_never_unpublished_and_stable(
    sample: tuple[Catalogue, Path],
) -> None:
    cat, _ = sample
    published = {("skill", s.id) for s in cat.published_skills()} | {
        ("showcase", s.id) for s in cat.published_showcases("web")
    }
    records = list(cat.skills.values()) + list(cat.showcases.values())
    first = {}
    index = RelatedIndex()
    for record in records:
        found = index.items(cat, record, limit=5)
        assert 0 < len(found) <= 5
        keys = [(r.kind, r.id) for r in found]
        assert (record.kind, record.id) not in keys
        assert set(keys) <= published
        assert len(set(keys)) == len(keys)
        first[record.id] = keys
    fresh = RelatedIndex()
    again = {r.id: [(x.kind, x.id) for x in fresh.items(cat, r, limit=5)] for r in records}
    assert again == first
    assert ("showcase", "liu-da-ge-yang-zhu") in first["sheng-tai-yang-zhu"][:2]
    assert ("skill", "mu-er-dai-liao") in first["tian-shu-mu-er"][:2]
    lookup = RelatedIndex().lookup(cat)
    assert {r.id: [(x.kind, x.id) for x in lookup(r, 5)] for r in records} == first


def test_related_items_beyond_the_kept_depth(sample: tuple[Catalogue, Path]) -> None:
    cat, _ = sample
    index = RelatedIndex()
    skill = cat.skills["sheng-tai-yang-zhu"]
    many = [(r.kind, r.id) for r in index.items(cat, skill, limit=related_module.DEPTH + 2)]
    assert many[: related_module.DEPTH] == [(r.kind, r.id) for r in index.items(cat, skill, 8)]
    assert index.items(cat, skill, limit=0) == []


def test_related_items_with_few_candidates_per_word_still_find_the_pairs(
    sample: tuple[Catalogue, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each characteristic word brings only the items it scores highest for (so an answer's
    cost does not grow with the catalogue): even with 3 per word, the story and the tutorial
    of one trade still find each other, and nothing unpublished or the item itself appears."""
    cat, _ = sample
    monkeypatch.setattr(related_stats, "TOP_POSTINGS", 3)
    index = RelatedIndex()
    published = {("skill", s.id) for s in cat.published_skills()} | {
        ("showcase", s.id) for s in cat.published_showcases("web")
    }
    for record in cat.published_skills() + cat.published_showcases("web"):
        keys = [(r.kind, r.id) for r in index.items(cat, record, limit=5)]
        assert keys and (record.kind, record.id) not in keys and set(keys) <= published
    pig = [(r.kind, r.id) for r in index.items(cat, cat.skills["sheng-tai-yang-zhu"], 5)]
    assert ("showcase", "liu-da-ge-yang-zhu") in pig[:2]


def test_related_items_follow_unpublishing(sample: tuple[Catalogue, Path]) -> None:
    _, root = sample
    index = RelatedIndex()
    copy = load_or_raise(root)
    before = [r.id for r in index.items(copy, copy.skills["sheng-tai-yang-zhu"])]
    assert "liu-da-ge-yang-zhu" in before
    copy.showcases["liu-da-ge-yang-zhu"].status = "withdrawn"
    after = [r.id for r in index.items(copy, copy.skills["sheng-tai-yang-zhu"])]
    assert "liu-da-ge-yang-zhu" not in after


def _forbid_index_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    def _fail(*_args: Any, **_kw: Any) -> Any:
        raise AssertionError("the related-item statistics were computed again")

    monkeypatch.setattr(related_module, "TermStats", _fail)
    monkeypatch.setattr(related_module, "cut_all", _fail)


def test_related_items_reuse_one_index_per_catalogue(
    sample: tuple[Catalogue, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    cat, _ = sample
    index = RelatedIndex()
    records = list(cat.skills.values()) + list(cat.showcases.values())
    warm = {r.id: index.items(cat, r) for r in records}
    _forbid_index_builds(monkeypatch)
    assert {r.id: index.items(cat, r) for r in records} == warm


def test_related_answers_are_cached_on_disk_by_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_project(tmp_path / "p")
    cache = root / CACHE_DIR / "related"
    cat = load_or_raise(root)
    skill = cat.skills["sheng-tai-yang-zhu"]
    first = [r.id for r in RelatedIndex(cache).items(cat, skill)]
    assert len(list(cache.glob("answers-*.json"))) == 1
    assert len(list(cache.glob("cuts-*.json"))) == 1

    # a new process (nothing in memory) with unchanged content reads the answers back
    with monkeypatch.context() as patch:
        _forbid_index_builds(patch)
        again = load_or_raise(root)
        assert [r.id for r in RelatedIndex(cache).items(again, again.skills[skill.id])] == first

    # changed content: a new, exact answer set next to the old one
    story = root / "showcases" / "liu-da-ge-yang-zhu" / "story.md"
    story.write_text(
        story.read_text(encoding="utf-8") + "\n补记：今年又添了一个新猪圈。\n", "utf-8"
    )
    changed = load_or_raise(root)
    RelatedIndex(cache).items(changed, changed.skills[skill.id])
    assert len(list(cache.glob("answers-*.json"))) == 2
    assert len(list(cache.glob("cuts-*.json"))) == 1


def test_preview_recomputes_only_the_edited_item(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_project(tmp_path / "p")
    index = RelatedIndex(root / CACHE_DIR / "related")
    cat = load_or_raise(root)
    records = list(cat.published_skills()) + list(cat.published_showcases("web"))
    before = {(r.kind, r.id): [x.id for x in index.items(cat, r, stale_ok=True)] for r in records}
    story = root / "showcases" / "liu-da-ge-yang-zhu" / "story.md"
    story.write_text(story.read_text(encoding="utf-8") + "\n补记：木耳和香菇也种上了。\n", "utf-8")
    looked_up: list[str] = []
    original = related_module.answer_for

    def _counting(cat_: Catalogue, stats: Any, doc: Any, limit: int, words: Any = None) -> Any:
        looked_up.append(doc.id)
        return original(cat_, stats, doc, limit, words)

    monkeypatch.setattr(related_module, "answer_for", _counting)
    _forbid_index_builds(monkeypatch)
    edited = load_or_raise(root)
    lookup = index.lookup(edited, stale_ok=True)
    after = {
        (r.kind, r.id): [x.id for x in lookup(r, 5)]
        for r in list(edited.published_skills()) + list(edited.published_showcases("web"))
    }
    assert looked_up == ["liu-da-ge-yang-zhu"]
    unchanged = {k: v for k, v in before.items() if k != ("showcase", "liu-da-ge-yang-zhu")}
    assert {k: after[k] for k in unchanged} == unchanged
    assert "liu-da-ge-yang-zhu" not in after[("showcase", "liu-da-ge-yang-zhu")]
    assert after[("showcase", "liu-da-ge-yang-zhu")]


# ------------------------------------------------------------------ near copies


def test_no_duplicates_in_sample(sample: tuple[Catalogue, Path]) -> None:
    cat, _ = sample
    assert find_duplicates(cat) == []


def _plant_copy(
    root: Path, source: str, new_id: str, replace: dict[str, str], to_hant: bool = False
) -> None:
    src = root / "showcases" / source
    dst = root / "showcases" / new_id
    shutil.copytree(src, dst)
    meta = dst / "showcase.yaml"
    text = meta.read_text(encoding="utf-8").replace(f"id: {source}", f"id: {new_id}")
    meta.write_text(text, encoding="utf-8")
    story = dst / "story.md"
    body = story.read_text(encoding="utf-8")
    for old, new in replace.items():
        assert old in body, old
        body = body.replace(old, new)
    if to_hant:
        from generators.scripts import PLAIN

        body = PLAIN.hant(body)
    story.write_text(body, encoding="utf-8")


def test_near_copy_is_flagged(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    _plant_copy(
        root,
        "long-da-jie-cha-yuan",
        "long-da-jie-cha-yuan-2",
        {"龙大姐": "龙二姐", "五亩": "六亩", "湄潭县": "凤冈县"},
    )
    cat = load_or_raise(root)
    found = find_duplicates(cat)
    assert [(k, a, b) for k, a, b, _ in found] == [
        ("showcase", "long-da-jie-cha-yuan", "long-da-jie-cha-yuan-2")
    ]
    assert 0.4 <= found[0][3] <= 1.0


def test_copy_in_the_other_script_is_flagged(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    _plant_copy(root, "a-xiang-zhi-bo", "a-xiang-fan-ti", {"阿香": "阿芳"}, to_hant=True)
    cat = load_or_raise(root)
    pairs = {(a, b) for _, a, b, _ in find_duplicates(cat)}
    assert pairs == {("a-xiang-fan-ti", "a-xiang-zhi-bo")}
