"""Answered questions, teams and notices in the editors' search (`lamplight search`) and in
the documents Pagefind's metadata comes from, in both scripts."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from generators.content import Catalogue, load_or_raise
from generators.content.consultation import is_current, published_notices
from generators.content.documents import KIND_LABELS, published_documents
from generators.search.index import build_index, search

from .helpers import copy_project, run

EPOCH = str(int(dt.datetime(2026, 12, 3, tzinfo=dt.UTC).timestamp()))


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Catalogue, Path]:
    root = copy_project(tmp_path_factory.mktemp("consult-search"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        cat = load_or_raise(root)
        build_index(cat, root)
    return cat, root


def test_kinds_and_labels_come_from_the_registry() -> None:
    assert KIND_LABELS["question"] == "问答"
    assert KIND_LABELS["team"] == "咨询服务团"
    assert KIND_LABELS["notice"] == "通知"


@pytest.mark.parametrize(
    ("query", "kind", "expected"),
    [
        ("香菇烂棒", "question", "xiang-gu-lan-bang"),
        ("香菇爛棒", "question", "xiang-gu-lan-bang"),  # Traditional query
        (
            "猕猴桃流红水",
            "question",
            "mi-hou-tao-kui-yang-bing",
        ),  # Simplified query, Traditional text
        ("食用菌咨询服务团", "team", "zha-shui-shi-yong-jun"),
        ("果樹諮詢", "team", "cang-xi-guo-shu"),
        ("生猪收购价", "notice", "sheng-zhu-hang-qing"),
        ("脫毒種薯", "notice", "yang-yu-tuo-du-zhong-shu"),
    ],
)
def test_each_kind_is_found_in_both_scripts(
    sample: tuple[Catalogue, Path], query: str, kind: str, expected: str
) -> None:
    cat, root = sample
    hits = search(cat, root, query, kind=kind)
    assert hits and hits[0].id == expected, [h.id for h in hits]
    assert all(h.kind == kind for h in hits)


def test_a_question_is_the_first_hit_for_the_question_asked(sample: tuple[Catalogue, Path]) -> None:
    cat, root = sample
    hits = search(cat, root, "小猪拉稀")
    assert hits[0].kind == "question" and hits[0].id == "zhu-la-xi-zen-me-ban"


def test_expired_notices_are_not_searchable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    cat = load_or_raise(copy_project(tmp_path / "p"))
    on = dt.date(2026, 12, 3)
    docs = {(d.kind, d.id) for d in published_documents(cat)}
    for notice in published_notices(cat):
        assert (("notice", notice.id) in docs) == is_current(notice, on)
    assert {k for k, _ in docs} >= {"skill", "showcase", "elder", "question", "team", "notice"}


def test_cli_search_by_kind_prints_the_label(sample: tuple[Catalogue, Path]) -> None:
    _, root = sample
    result = run("search", "木耳", "--kind", "question", "--json", root=root)
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert hits and {h["kind"] for h in hits} == {"question"}
    assert all(h["url"].startswith("questions/") for h in hits)
    text = run("search", "服务团", "--kind", "team", root=root)
    assert "（咨询服务团）teams/" in text.stdout
