"""The live preview's incremental load gives what a full load gives, and reuses what it can."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from generators.content import Catalogue, Reloader, load_catalogue
from generators.diagnostics import Report

from .helpers import ELDER, SHOWCASE, SKILL, STORY, copy_project, edit
from .test_check_cache import _snapshot

OTHER_SKILL = "cha-ye-cai-zhai"


def _lines(report: Report) -> list[str]:
    return [d.format() for d in report.sorted()] + [report.summary()]


def _append(rel: str, text: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        path = root / rel
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")

    return change


def _replace(rel: str, old: str, new: str) -> Callable[[Path], None]:
    return lambda root: edit(root / rel, old, new)


def _add_photo(root: Path) -> None:
    folder = (root / SHOWCASE).parent / "photos"
    photo = next(p for p in sorted(folder.iterdir()) if p.suffix == ".jpg")
    (folder / "extra.jpg").write_bytes(photo.read_bytes())


#: (name, change, whether the unchanged records are reused from the previous load)
CHANGES: list[tuple[str, Callable[[Path], None], bool]] = [
    ("story text", _append(STORY, "\n补记：今年又添了两头母猪。\n"), True),
    ("showcase title", _replace(SHOWCASE, "title: ", "title: 新版："), True),
    ("skill yaml", _replace(SKILL, "summary: ", "summary: 更新过的摘要。"), True),
    ("private phone in a story", _append(STORY, "\n联系电话 13812345678。\n"), False),
    ("unknown taxonomy value", _replace(SHOWCASE, "industry: ", "industry: 不存在的产业"), False),
    ("status changed", _replace(SHOWCASE, "status: published", "status: draft"), False),
    ("elder edited", _replace(ELDER, "display_name: ", "display_name: 新"), False),
    ("photo added", _add_photo, False),
]


@pytest.mark.parametrize(("name", "change", "reused"), CHANGES, ids=[c[0] for c in CHANGES])
def test_incremental_load_equals_a_full_load(
    tmp_path: Path, name: str, change: Callable[[Path], None], reused: bool
) -> None:
    root = copy_project(tmp_path / "p", with_site_config=False)
    preview = Reloader(root)
    first, first_report = preview.load()
    assert first is not None and not first_report.errors

    change(root)
    cat, report = preview.load()
    full, full_report = load_catalogue(root, near_copies=False)

    assert _lines(report) == _lines(full_report)
    if not full_report.errors:
        assert cat is not None and full is not None
        assert _snapshot(cat) == _snapshot(full)
        assert cat.content_version != first.content_version
        # an unchanged skill is the very record of the previous load only on the quick path
        assert (cat.skills[OTHER_SKILL] is first.skills[OTHER_SKILL]) is reused


def test_nothing_changed_returns_the_previous_catalogue(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p", with_site_config=False)
    preview = Reloader(root)
    first, _ = preview.load()
    again, report = preview.load()
    assert again is first and not report.errors


def test_each_reloader_starts_afresh(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p", with_site_config=False)
    first, _ = Reloader(root).load()
    other, report = Reloader(root).load()
    assert other is not first and not report.errors
    assert other is not None and first is not None
    assert _snapshot(other) == _snapshot(first)


def test_a_fixed_error_is_loaded_again_in_full(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p", with_site_config=False)
    preview = Reloader(root)
    preview.load()
    story = root / STORY
    original = story.read_text(encoding="utf-8")
    story.write_text(original + "\n联系电话 13812345678。\n", encoding="utf-8")
    _, broken = preview.load()
    assert any(d.code.startswith("E5") for d in broken.errors)

    story.write_text(original + "\n补记：电话已删去。\n", encoding="utf-8")
    cat, report = preview.load()
    full, full_report = load_catalogue(root, near_copies=False)
    assert not report.errors and _lines(report) == _lines(full_report)
    assert isinstance(cat, Catalogue) and full is not None
    assert _snapshot(cat) == _snapshot(full)
    assert "电话已删去" in cat.body(cat.showcases["liu-da-ge-yang-zhu"])
