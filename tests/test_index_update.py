"""The editors' whoosh index is updated, not rebuilt, after a small edit, and answers every
query exactly as a fresh full build of the same content does (issue #18 part 2)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from generators.content import load_or_raise
from generators.search.index import CACHE_DIR, INDEX_DIR, META_FILE, build_index, search

from .helpers import copy_project, edit, run

TESTS = Path(__file__).parent

NEW_STORY = """> 样例内容：本案例为虚构示例，用于演示“一盏灯”系统。

## 基本情况

阿香的妹妹在县城读完职校，回到湄江街道的老家。家里的山坡上有几十箱中华蜂，
过去蜂蜜只在赶集时零卖，一年下来收入不多。

## 主要做法

妹妹跟着姐姐学拍短视频，拍蜂箱、拍摇蜜、拍山里的野花。合作社帮她做了检测，
印了统一的瓶标。她每周三晚上在网店里上新，先让老顾客尝小瓶装。

## 取得成效

第二年，土蜂蜜卖出六百多斤，还带着邻居两户一起养蜂。

## 经验启示

好东西要讲清来历；小瓶试吃，慢慢攒口碑。
"""


def _queries() -> list[str]:
    found: list[str] = []
    for name in ("search_queries.yaml", "natural_queries.yaml"):
        data = yaml.safe_load((TESTS / name).read_text(encoding="utf-8"))
        found += [item["q"] for item in data["queries"]]
    # the words of the edits below, so the edited, new and withdrawn items are asked for
    return [*dict.fromkeys(found), "阿香", "好茶卖到山外", "妹妹回乡", "刘大哥养猪", "蜂蜜"]


def _meta(root: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (root / CACHE_DIR / INDEX_DIR / META_FILE).read_text(encoding="utf-8")
    )
    return data


def _answers(root: Path, queries: list[str]) -> dict[str, Any]:
    """What ``lamplight search --json --limit 50`` prints for each query (limit 50, so ties
    far down count too), asked in this process (the command itself is run for the first)."""
    cat = load_or_raise(root)
    answers = {q: [h.to_json() for h in search(cat, root, q, limit=50)] for q in queries}
    result = run("search", queries[0], "--json", "--limit", "50", root=root)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == answers[queries[0]]
    return answers


def _edit_content(root: Path) -> None:
    """Edit one story's title and body, withdraw another, add a new one."""
    story = root / "showcases" / "a-xiang-zhi-bo"
    edit(story / "showcase.yaml", "把家乡的茶卖出大山", "把家乡的好茶卖到山外")
    edit(story / "story.md", "慢慢有了回头客", "慢慢有了回头客，连城里的茶馆也来订货")
    edit(
        root / "showcases" / "liu-da-ge-yang-zhu" / "showcase.yaml",
        "status: published",
        "status: withdrawn",
    )
    new = root / "showcases" / "a-xiang-mei-mei"
    shutil.copytree(story, new)
    edit(new / "showcase.yaml", "id: a-xiang-zhi-bo", "id: a-xiang-mei-mei")
    edit(
        new / "showcase.yaml",
        "阿香回乡做直播，把家乡的好茶卖到山外",
        "阿香的妹妹也回乡做直播卖茶叶和蜂蜜",
    )
    (new / "story.md").write_text(NEW_STORY, encoding="utf-8")


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, Any]]:
    """The sample indexed, edited and indexed again (incrementally), and a fresh copy of
    the edited content indexed from scratch; the first index's meta."""
    root = copy_project(tmp_path_factory.mktemp("update") / "p")
    build_index(load_or_raise(root), root)
    before = _meta(root)
    _edit_content(root)
    build_index(load_or_raise(root), root)
    fresh = tmp_path_factory.mktemp("fresh") / "p"
    shutil.copytree(root, fresh, ignore=shutil.ignore_patterns(CACHE_DIR))
    build_index(load_or_raise(fresh), fresh)
    return root, fresh, before


def test_small_edit_updates_only_the_changed_documents(
    edited: tuple[Path, Path, dict[str, Any]],
) -> None:
    root, fresh, before = edited
    assert before["mode"] == "full"
    # the edited story replaced, the new one added, the withdrawn one deleted
    assert _meta(root)["mode"] == "update:+2-2"
    assert _meta(fresh)["mode"] == "full"
    assert _meta(root)["docs"] == _meta(fresh)["docs"]
    assert _meta(root)["rules"] == _meta(fresh)["rules"]
    assert "showcase:liu-da-ge-yang-zhu" in before["docs"]
    assert "showcase:liu-da-ge-yang-zhu" not in _meta(root)["docs"]
    leftovers = [p.name for p in (root / CACHE_DIR).iterdir() if p.name != INDEX_DIR]
    assert all(not name.startswith(("whoosh-new-", ".whoosh")) for name in leftovers)


def test_updated_index_answers_as_a_full_build(
    edited: tuple[Path, Path, dict[str, Any]],
) -> None:
    root, fresh, _ = edited
    queries = _queries()
    updated, rebuilt = _answers(root, queries), _answers(fresh, queries)
    assert [q for q in queries if updated[q] != rebuilt[q]] == []
    ids = {q: [h["id"] for h in updated[q]] for q in queries}
    assert "a-xiang-mei-mei" in ids["妹妹回乡"]
    assert "a-xiang-zhi-bo" in ids["好茶卖到山外"]
    assert all("liu-da-ge-yang-zhu" not in found for found in ids.values())
    assert sum(bool(found) for found in ids.values()) > len(queries) * 0.9


def test_unchanged_content_keeps_every_document(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    build_index(load_or_raise(root), root)
    build_index(load_or_raise(root), root)
    assert _meta(root)["mode"] == "update:+0-0"


def test_synonyms_change_forces_a_full_rebuild(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    build_index(load_or_raise(root), root)
    synonyms = root / "content" / "synonyms.yaml"
    data = yaml.safe_load(synonyms.read_text(encoding="utf-8"))
    data["groups"].append(["蜂蜜", "土蜂蜜"])
    synonyms.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    before = _meta(root)["stamp"]
    build_index(load_or_raise(root), root)
    assert _meta(root)["mode"] == "full"
    assert _meta(root)["stamp"] != before


def test_failed_update_leaves_the_previous_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_project(tmp_path / "p")
    build_index(load_or_raise(root), root)
    before = _meta(root)
    index_files = sorted(p.name for p in (root / CACHE_DIR / INDEX_DIR).iterdir())
    edit(root / "showcases" / "a-xiang-zhi-bo" / "story.md", "慢慢有了回头客", "慢慢有了老主顾")
    from generators.search import index as index_module

    def broken(cat: Any, doc: Any) -> dict[str, Any]:
        raise OSError("disk full")

    monkeypatch.setattr(index_module, "_fields", broken)
    with pytest.raises(OSError, match="disk full"):
        build_index(load_or_raise(root), root)
    assert _meta(root) == before
    assert sorted(p.name for p in (root / CACHE_DIR / INDEX_DIR).iterdir()) == index_files
    assert [p.name for p in (root / CACHE_DIR).iterdir() if p.name.startswith("whoosh-new-")] == []


def _segments(root: Path) -> set[str]:
    from whoosh import index as whoosh_index

    ix = whoosh_index.open_dir(str(root / CACHE_DIR / INDEX_DIR))
    try:
        return {segment.segment_id() for segment in ix._segments()}
    finally:
        ix.close()


def test_update_rewrites_only_the_segment_of_the_edited_story(tmp_path: Path) -> None:
    from generators.search.index_update import SHARDS

    root = copy_project(tmp_path / "p")
    build_index(load_or_raise(root), root)
    before = _segments(root)
    edit(root / "showcases" / "a-xiang-zhi-bo" / "story.md", "慢慢有了回头客", "慢慢有了老主顾")
    build_index(load_or_raise(root), root)
    after = _segments(root)
    assert len(before) == SHARDS
    assert len(before - after) == 1 and len(after - before) == 1
    assert _meta(root)["mode"] == "update:+1-1"
    assert "a-xiang-zhi-bo" in [h["id"] for h in _answers(root, ["老主顾"])["老主顾"]]
