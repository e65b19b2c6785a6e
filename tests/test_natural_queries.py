"""Questions as households ask them: query understanding and ``lamplight search``.

The browser half (the same questions through Pagefind and lamplight-search.js) is in
tests/test_search_browser.py; both read tests/natural_queries.yaml.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from generators.content import Catalogue, load_or_raise
from generators.content.documents import published_documents
from generators.search.index import build_index, search
from generators.search.snippets import SENTENCE_ENDS
from generators.search.understanding import chinese_number, rules, understand
from generators.text import normalise

from .helpers import copy_project, edit, line_of, run

NATURAL: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "natural_queries.yaml").read_text(encoding="utf-8")
)["queries"]
TOP = 5
SHARE = 0.95


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Catalogue, Path]:
    """A copy of the sample project with its whoosh index built."""
    root = copy_project(tmp_path_factory.mktemp("natural-project"))
    cat = load_or_raise(root)
    build_index(cat, root)
    return cat, root


def expected(item: dict[str, Any], visible: set[str]) -> list[str]:
    """The query's expected ids that this build shows (drafts and hidden items dropped)."""
    return [e for e in item["expect"] if e in visible]


def share_in_top(
    ranked: dict[str, list[str]], visible: set[str], script: str
) -> tuple[float, list[str]]:
    """Share of the script's queries with an expected item in the first ``TOP`` results."""
    good = 0
    total = 0
    misses: list[str] = []
    for item in NATURAL:
        want = expected(item, visible)
        if item["script"] != script or not want:
            continue
        total += 1
        got = ranked[item["q"]][:TOP]
        if any(e in got for e in want):
            good += 1
        else:
            misses.append(f"{item['q']}: {got} (want one of {want})")
    return good / total, misses


# ------------------------------------------------------------------ the query set


def test_natural_set_is_large_in_both_scripts_and_names_real_items(
    sample: tuple[Catalogue, Path],
) -> None:
    cat, _ = sample
    scripts = [q["script"] for q in NATURAL]
    assert scripts.count("hans") >= 60 and scripts.count("hant") >= 60
    known = set(cat.skills) | set(cat.showcases) | set(cat.elders)
    known |= set(cat.questions) | set(cat.teams) | set(cat.notices)
    for item in NATURAL:
        assert item["expect"] and set(item["expect"]) <= known, item


# ------------------------------------------------------------------ understanding


def test_chinese_numbers_become_digits() -> None:
    assert chinese_number("二十") == 20
    assert chinese_number("一万") == 10_000
    assert chinese_number("三千五百") == 3500
    assert chinese_number("十一") == 11
    assert chinese_number("2万") == 20_000
    assert chinese_number("两三") is None  # a range, not a number


def test_a_question_is_cut_into_content_words(sample: tuple[Catalogue, Path]) -> None:
    cat, _ = sample
    data = rules(cat)
    pig = understand("猪拉稀怎么办", data, cat)
    assert pig.question
    assert "怎么办" in pig.dropped
    assert ["拉稀", "腹泻"] == pig.groups[1][:2]  # colloquial → the content's word
    assert "猪" in pig.groups[0]
    # Traditional input, a number with its measure word, a filler
    money = understand("在家養二十頭豬到底能掙多少錢", data, cat)
    assert ["20", "二十"] in money.groups
    assert not any("头" in g[0] for g in money.groups)
    assert "到底" in money.dropped
    assert any("收入" in g for g in money.groups)
    assert not understand("香菇", data, cat).question


def test_synonyms_file_problems_name_the_line(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    synonyms = root / "content" / "synonyms.yaml"
    edit(synonyms, "colloquial:\n", "colloquial:\n  拉 肚: 腹泻\n  肚子疼: [肚子疼, 腹泻]\n")
    result = run("check", root=root)
    assert result.exit_code == 1
    line = line_of(synonyms, "拉 肚")
    assert f"content/synonyms.yaml:{line}:" in result.output
    assert "中间有空格" in result.output
    edit(synonyms, "  拉 肚: 腹泻\n", "")
    result = run("check", root=root)
    assert "对应的是它自己" in result.output


# ------------------------------------------------------------------ lamplight search


@pytest.mark.parametrize("script", ["hans", "hant"])
def test_natural_questions_find_an_answer_in_the_top_5(
    sample: tuple[Catalogue, Path], script: str
) -> None:
    cat, root = sample
    visible = {d.id for d in published_documents(cat)}
    ranked = {
        q["q"]: [h.id for h in search(cat, root, q["q"], limit=TOP)]
        for q in NATURAL
        if q["script"] == script
    }
    share, misses = share_in_top(ranked, visible, script)
    print(f"\nnatural questions, lamplight search ({script}): {share:.3f} in the top {TOP}")
    assert share >= SHARE, misses


def test_no_question_with_a_content_word_finds_nothing(sample: tuple[Catalogue, Path]) -> None:
    cat, root = sample
    data = rules(cat)
    texts = [normalise(d.title + "\n" + d.text, cat.converter) for d in published_documents(cat)]
    empty = []
    for item in NATURAL:
        words = [w for g in understand(item["q"], data, cat).groups for w in g]
        shares = any(w in text for w in words for text in texts)
        if shares and not search(cat, root, item["q"], limit=3):
            empty.append(item["q"])
    assert empty == []
    # words that are never on one page together: the closest pages, not nothing
    hits = search(cat, root, "养猪的电焊苗绣火箭怎么办", limit=5)
    assert hits and hits.closest
    assert all(0 < h.matched < hits.words for h in hits)
    assert not search(cat, root, "养猪", limit=3).closest


def test_answered_questions_come_first_for_a_question(sample: tuple[Catalogue, Path]) -> None:
    cat, root = sample
    assert search(cat, root, "母猪下崽不吃食咋办", limit=1)[0].kind == "question"
    # a how-to question still wants the tutorial
    assert search(cat, root, "怎么养猪", limit=1)[0].id == "sheng-tai-yang-zhu"


def test_excerpts_start_at_a_sentence_and_mark_the_words(sample: tuple[Catalogue, Path]) -> None:
    cat, root = sample
    for query in ("猪拉稀怎么办", "香菇菌棒怎么进棚", "木耳流耳"):
        for hit in search(cat, root, query, limit=5):
            plain = hit.snippet_text
            assert plain and "<mark>" in hit.snippet_html, (query, hit.id)
            if plain.startswith("…"):
                # cut inside a sentence only at a phrase boundary or near the match
                assert "<mark>" in hit.snippet_html[:80], (query, hit.id, plain)
            else:
                text = " ".join(hit.snippet_text.split())
                assert text[:4] in " ".join(
                    " ".join(part.split()) for part in _sentences(cat, hit.id)
                ), (query, hit.id)


def _sentences(cat: Catalogue, item: str) -> list[str]:
    doc = next(d for d in published_documents(cat) if d.id == item)
    text = " ".join(doc.text.split())
    out = [text]
    start = 0
    for i, char in enumerate(text):
        if char in SENTENCE_ENDS:
            out.append(text[start : i + 1].strip())
            start = i + 1
    return [s[:4] for s in out] + [s.strip()[:4] for s in text.split(" ")]


def test_cli_says_when_results_are_only_the_closest(sample: tuple[Catalogue, Path]) -> None:
    _, root = sample
    result = run("search", "养猪的电焊苗绣火箭", root=root)
    assert result.exit_code == 0, result.output
    assert "没有同时包含所有词的结果，下面是最接近的" in result.output
    assert "1. " in result.output
    plain = run("search", "养猪", root=root)
    assert "最接近" not in plain.output


def test_cli_closest_sentence_in_traditional(
    sample: tuple[Catalogue, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, root = sample
    monkeypatch.setenv("LAMPLIGHT_SCRIPT", "hant")
    result = run("search", "養豬的電焊苗繡火箭", root=root)
    assert result.exit_code == 0, result.output
    assert "沒有同時包含所有詞的結果，下面是最接近的" in result.output


def test_a_title_typed_only_partly_finds_its_page(sample: tuple[Catalogue, Path]) -> None:
    cat, root = sample
    for query, item in (
        ("发酵床养猪刘", "liu-da-ge-yang-zhu"),
        ("龙大姐管好五", "long-da-jie-cha-yuan"),
    ):
        assert item in [h.id for h in search(cat, root, query, limit=3)], query


def test_an_editors_new_colloquial_word_works_at_the_next_search(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    before = run("search", "咕咕哒", "--json", root=root)
    assert before.exit_code == 0 and yaml.safe_load(before.stdout) == []
    edit(root / "content" / "synonyms.yaml", "colloquial:\n", "colloquial:\n  咕咕哒: [土鸡]\n")
    result = run("search", "咕咕哒", "--json", root=root)
    assert result.exit_code == 0, result.output
    ids = [h["id"] for h in yaml.safe_load(result.stdout)]
    assert "lin-xia-tu-ji" in ids[:5]


def test_the_browser_gets_the_same_rules(sample: tuple[Catalogue, Path]) -> None:
    from generators.search.pagefind_maps import client_data

    cat, _ = sample
    texts = [d.title + "\n" + d.text for d in published_documents(cat)]
    data = client_data(cat, texts)
    assert {k: data[k] for k in ("col", "qw", "fill", "units", "syn", "words")} == rules(cat)
    assert data["col"]["拉稀"] and "怎么办" in data["qw"] and "一下" in data["fill"]
    assert not [w for w in data["words"] if any(q in w for q in data["qw"])]
    # every character of the rules can be converted from what a Traditional reader types
    t2s = dict(zip(*data["t2s"], strict=True))
    assert t2s.get("嗎") == "吗" and t2s.get("麼") == "么"
