"""Issue 19 item 9: a change in what a booklet's filter picks is named by the build and
warned about by ``lamplight check`` (W601 at the booklet's ``filter:`` line)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generators.content import load_or_raise
from generators.content.booklet_selection import last_picks, picked, picks_changes

from .helpers import SHOWCASE, copy_project, edit, line_of, run
from .test_check import problems

BOOKLET = "content/booklets/yang-zhi-da-zi-ban.yaml"
SLUG = "yang-zhi-da-zi-ban"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = copy_project(tmp_path / "p")
    cat = load_or_raise(root)
    assert picks_changes(cat, SLUG, written=True) == []  # the first build: only recorded
    assert last_picks(cat, SLUG) == picked(cat, cat.booklets[SLUG])
    return root


def _new_story(root: Path) -> None:
    """A second 养殖 story, published with print consent (a copy of the sample's)."""
    folder = root / "showcases" / "xin-yang-ya"
    shutil.copytree(root / "showcases" / "liu-da-ge-yang-zhu", folder)
    edit(folder / "showcase.yaml", "id: liu-da-ge-yang-zhu", "id: xin-yang-ya")
    edit(
        folder / "showcase.yaml",
        "title: 發酵床養豬，劉大哥一家兩年翻了身",
        "title: 稻田養鴨，一塘兩收",
    )


def test_check_warns_when_a_new_story_joins_a_filtered_booklet(project: Path) -> None:
    assert not [p for p in problems(run("check", root=project).stdout) if p["code"] == "W601"]
    _new_story(project)
    result = run("check", root=project)
    found = [p for p in problems(result.stdout) if p["code"] == "W601"]
    assert len(found) == 1, result.output
    assert found[0]["path"] == BOOKLET
    assert int(found[0]["line"]) == line_of(project / BOOKLET, "filter:")
    assert "稻田養鴨，一塘兩收" in found[0]["msg"] and "副标题和前言" in found[0]["msg"]
    assert result.exit_code == 0  # a warning, not an error


def test_check_warns_when_one_story_is_swapped_for_another(project: Path) -> None:
    _new_story(project)
    edit(project / SHOWCASE, "status: published", "status: draft")
    result = run("check", root=project)
    found = [p for p in problems(result.stdout) if p["code"] == "W601"]
    assert len(found) == 1, result.output
    assert "但换了内容" in found[0]["msg"]
    assert "新加入：典型案例“稻田養鴨，一塘兩收”" in found[0]["msg"]
    assert "已移出：典型案例“發酵床養豬，劉大哥一家兩年翻了身”" in found[0]["msg"]


def test_build_names_what_entered_and_left(project: Path) -> None:
    _new_story(project)
    edit(project / SHOWCASE, "status: published", "status: draft")
    cat = load_or_raise(project)
    lines = picks_changes(cat, SLUG, written=True)
    assert "有变化" in lines[0] and SLUG in lines[0]
    assert "  新加入：典型案例“稻田養鴨，一塘兩收”（xin-yang-ya）" in lines
    assert "  已移出：典型案例“發酵床養豬，劉大哥一家兩年翻了身”（liu-da-ge-yang-zhu）" in lines
    # The written booklet is the new record: the next build reports nothing.
    assert picks_changes(load_or_raise(project), SLUG, written=True) == []


def test_a_failed_booklet_keeps_the_old_record(project: Path) -> None:
    _new_story(project)
    cat = load_or_raise(project)
    assert picks_changes(cat, SLUG, written=False)
    assert picks_changes(cat, SLUG, written=False)  # still compared with the last good build


@pytest.mark.slow
def test_booklet_command_prints_the_change(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    out = str(tmp_path / "out")
    first = run("booklet", SLUG, "--out", out, root=root)
    assert first.exit_code == 0, first.output
    assert "有变化" not in first.output  # the first build only records the picks
    _new_story(root)
    second = run("booklet", SLUG, "--out", out, root=root)
    assert second.exit_code == 0, second.output
    assert (
        f"小册子“養殖技術大字本”（{SLUG}）按筛选条件选到的内容自上次生成以来有变化" in second.output
    )
    assert "新加入：典型案例“稻田養鴨，一塘兩收”（xin-yang-ya）" in second.output
    assert not [p for p in problems(run("check", root=root).stdout) if p["code"] == "W601"]
