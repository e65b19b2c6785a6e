"""The check cache never changes results: cold, warm, in-process, parallel and after an edit."""

from __future__ import annotations

import os
import pickle
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generators import checkcache
from generators.content import Catalogue, load_catalogue
from generators.content.near_copies import sampled_shingles, sampled_shingles_many
from generators.diagnostics import Report

from .helpers import ELDER, SHOWCASE, SKILL, STORY, copy_project, edit

CACHE = Path(checkcache.CACHE_DIR) / checkcache.CACHE_FILE
_WIDTH_CHARS = [chr(c) for c in range(0xFF00, 0xFF70)] + list("\u3000\u3001。，中文aZ 9\n𠀀")


def _lines(report: Report) -> list[str]:
    return [d.format() for d in report.sorted()] + [report.summary()]


def _cold(root: Path, **kwargs: bool) -> tuple[Catalogue | None, Report]:
    """A run with no cache at all: neither on disk nor in this process."""
    shutil.rmtree(root / checkcache.CACHE_DIR, ignore_errors=True)
    return load_catalogue(root, **kwargs)


def _from_disk(root: Path, **kwargs: bool) -> tuple[Catalogue | None, Report]:
    """A warm run: every one-shot load reads the cache file, as a new process would."""
    return load_catalogue(root, **kwargs)


def _snapshot(cat: Catalogue | None) -> object:
    """Everything a generator may read from the catalogue, in comparable form."""
    assert cat is not None
    sources = {
        key: (
            src.yaml_path,
            src.md_path,
            src.body,
            src.folder,
            src.digest,
            dict(src.raw),
            getattr(src.raw, "key_pos", None),
            getattr(src.raw, "value_pos", None),
        )
        for key, src in cat.sources.items()
    }
    return (
        cat.taxonomy,
        cat.skills,
        cat.showcases,
        cat.elders,
        cat.pairings,
        cat.booklets,
        cat.pages,
        cat.public_channels,
        cat.protected_terms,
        cat.synonyms,
        sources,
        cat.content_version,
        cat.broken,
        cat.sample,
    )


def _all_runs_agree(root: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Cold serial, cold parallel, warm serial and warm parallel give the same results."""
    monkeypatch.setenv("LAMPLIGHT_CHECK_JOBS", "1")
    cat, report = _cold(root)
    expected, snap = _lines(report), _snapshot(cat) if cat is not None else None
    assert (root / CACHE).is_file()
    for run in (_from_disk, _from_disk):
        cat, report = run(root)
        assert _lines(report) == expected, run
        if snap is not None:
            assert _snapshot(cat) == snap
    monkeypatch.setenv("LAMPLIGHT_CHECK_JOBS", "2")  # a pool, even for a small tree
    for run in (_cold, _from_disk):
        cat, report = run(root)
        assert _lines(report) == expected, run
        if snap is not None:
            assert _snapshot(cat) == snap
    return expected


def _plant_copy(root: Path) -> None:
    """A near-copy of a story (W201)."""
    src = root / "showcases" / "long-da-jie-cha-yuan"
    dst = root / "showcases" / "long-da-jie-cha-yuan-2"
    shutil.copytree(src, dst)
    edit(dst / "showcase.yaml", "id: long-da-jie-cha-yuan", "id: long-da-jie-cha-yuan-2")
    edit(dst / "story.md", "龙大姐", "龙二姐")


def _break_things(root: Path) -> None:
    """One problem of many kinds, in files read by every path of the loader."""
    edit(root / SKILL, "summary: 用发酵床", "sumary: 用发酵床")
    edit(root / STORY, "一家五口", "一家五口（电话 13812345678）")
    edit(root / STORY, "## 取得成效", "## 成效")
    (root / ELDER).write_bytes("id: wang-lao-zhuan-jia\nbio: 退休\n".encode("gbk"))
    (root / "content" / "notes.txt").write_text("\ufeff备忘：手机 13912345678\n", encoding="utf-8")
    (root / "content" / "pages" / "9-extra.md").write_text(
        "\ufeff没有标题\n![图](missing.png)\n<script>alert(1)</script>\n", encoding="utf-8"
    )
    story = (root / STORY).read_text(encoding="utf-8")
    (root / STORY).write_text(story + "\n![缺图](photos/none.jpg)\n", encoding="utf-8")


def test_clean_project_cold_warm_parallel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_project(tmp_path / "p")
    _plant_copy(root)
    lines = _all_runs_agree(root, monkeypatch)
    assert any(" W201 " in line for line in lines)


def test_broken_project_cold_warm_parallel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_project(tmp_path / "p")
    _break_things(root)
    lines = _all_runs_agree(root, monkeypatch)
    codes = {line.split(" ")[1] for line in lines[:-1]}
    assert {"E001", "E101", "E102", "E204", "E301", "E302", "E502"} <= codes


def test_edit_then_warm_equals_cold(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LAMPLIGHT_CHECK_JOBS", "1")
    root = copy_project(tmp_path / "p")
    _plant_copy(root)
    load_catalogue(root)
    # Same length, same size on disk, edited right after the previous run (same mtime tick).
    edit(root / STORY, "一家五口", "一家六口")
    edit(root / "showcases" / "long-da-jie-cha-yuan-2" / "story.md", "龙二姐", "龙三姐")
    for run in (load_catalogue, _from_disk):
        cat, report = run(root)
        assert "一家六口" in cat.body(cat.showcases["liu-da-ge-yang-zhu"])  # type: ignore[union-attr]
        cold_cat, cold = _cold(root)
        assert _lines(report) == _lines(cold)
        assert _snapshot(cat) == _snapshot(cold_cat)
    # An error appears and disappears with the file, cached or not.
    edit(root / SKILL, "summary: 用发酵床", "sumary: 用发酵床")
    _, report = load_catalogue(root)
    assert any(d.code == "E101" and d.path == SKILL for d in report.errors)
    edit(root / SKILL, "sumary: 用发酵床", "summary: 用发酵床")
    _, report = load_catalogue(root)
    assert not report.errors


def test_cross_file_checks_are_recomputed(tmp_path: Path) -> None:
    """A cached file's references are checked again when another file changes."""
    root = copy_project(tmp_path / "p")
    _, report = load_catalogue(root)
    assert not report.errors
    elder = root / ELDER
    elder.rename(elder.with_suffix(".bak"))
    _, report = load_catalogue(root)
    assert any(d.code == "E201" for d in report.errors)
    photo = next((root / "showcases").glob("*/photos/*.jpg"))
    elder.with_suffix(".bak").rename(elder)
    photo.unlink()
    _, report = load_catalogue(root)
    assert [d.code for d in report.errors] == ["E204"]


@pytest.mark.parametrize(
    "content",
    [
        b"not a pickle at all",
        pickle.dumps({"format": "something else", "entries": {}}),
        pickle.dumps(["a", "list"]),
        b"",
    ],
)
def test_corrupt_or_foreign_cache_is_ignored(tmp_path: Path, content: bytes) -> None:
    root = copy_project(tmp_path / "p")
    _break_things(root)
    _, report = _cold(root)
    expected = _lines(report)
    (root / CACHE).write_bytes(content)
    _, report = _from_disk(root)
    assert _lines(report) == expected
    _, report = _from_disk(root)  # the file written over the bad one is good again
    assert _lines(report) == expected


def test_damaged_entries_are_recomputed(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    _break_things(root)
    cat, report = _cold(root)
    expected, snap = _lines(report), _snapshot(cat)
    data = pickle.loads((root / CACHE).read_bytes())
    data["entries"] = {key: b"\x80garbage" for key in data["entries"]}
    (root / CACHE).write_bytes(pickle.dumps(data))
    cat, report = _from_disk(root)
    assert _lines(report) == expected
    assert _snapshot(cat) == snap


def test_unwritable_cache_folder_is_fine(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    _, report = _cold(root)
    expected = _lines(report)
    shutil.rmtree(root / checkcache.CACHE_DIR)
    (root / checkcache.CACHE_DIR).write_text("a file where the folder should be")
    _, report = load_catalogue(root)
    assert _lines(report) == expected
    _, report = load_catalogue(root)
    assert _lines(report) == expected


def test_digests(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    cat, _ = load_catalogue(root)
    assert cat is not None
    digests = {key: src.digest for key, src in cat.sources.items()}
    assert all(re.fullmatch(r"[0-9a-f]{32}", d) for d in digests.values())
    assert len(set(digests.values())) == len(digests)
    assert {k for k, _ in digests} == {
        "skill",
        "showcase",
        "elder",
        "pairing",
        "booklet",
        "question",
        "team",
        "notice",
    }
    assert all(re.fullmatch(r"[0-9a-f]{32}", p.digest) for p in cat.pages.values())
    edit(root / STORY, "一家五口", "一家六口")
    cat, _ = load_catalogue(root)
    assert cat is not None
    changed = {key for key, src in cat.sources.items() if src.digest != digests[key]}
    assert changed == {("showcase", "liu-da-ge-yang-zhu")}
    edit(root / SHOWCASE, "title:", "title:  ")
    cat, _ = _cold(root)
    assert cat is not None
    assert cat.sources[("showcase", "liu-da-ge-yang-zhu")].digest not in digests.values()


def test_near_copies_can_be_skipped(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    _plant_copy(root)
    _, with_near = _cold(root)
    _, without = load_catalogue(root, near_copies=False)
    assert [d for d in with_near.items if d.code != "W201"] == without.items
    assert not any(d.code == "W201" for d in without.items)
    _, again = _from_disk(root)
    assert _lines(again) == _lines(with_near)


def test_returned_objects_are_fresh(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    first, _ = load_catalogue(root)
    assert first is not None
    skill = next(iter(first.skills.values()))
    skill.title = "changed by a caller"
    next(iter(first.sources.values())).raw["id"] = "changed"
    second, _ = load_catalogue(root)
    assert second is not None
    assert second.skills[skill.id].title != "changed by a caller"
    assert next(iter(second.sources.values())).raw["id"] != "changed"


def test_cache_lives_in_the_ignored_folder(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    before = sorted(p for p in root.rglob("*"))
    load_catalogue(root)
    after = sorted(p for p in root.rglob("*") if checkcache.CACHE_DIR not in p.parts)
    assert after == before
    ignored = (Path(__file__).resolve().parent.parent / ".gitignore").read_text(encoding="utf-8")
    assert f"{checkcache.CACHE_DIR}/" in ignored.splitlines()


def test_sampled_shingles_many_matches_one_by_one() -> None:
    texts = [
        "龙大姐的茶园：五亩茶，三年见效。",
        "Ab12 繁體與简体 mixed ＡＢＣ text_with_underscores",
        "",
        "短",
        "𠀀𠀁𠀂𠀃𠀄 astral characters 𠀅𠀆",
        "\n".join(["行一", "行二 行三", "x" * 50]),
    ]
    assert sampled_shingles_many(texts) == [sampled_shingles(t) for t in texts]
    assert sampled_shingles_many([]) == []


@pytest.mark.parametrize(("jobs", "forks"), [("1", 0), ("2", 2), ("3", 3)])
def test_jobs_setting_sets_the_number_of_worker_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: str, forks: int
) -> None:
    """``LAMPLIGHT_CHECK_JOBS`` decides between one process and a pool of that many, with
    the same results either way."""
    root = copy_project(tmp_path / "p")
    monkeypatch.setenv("LAMPLIGHT_CHECK_JOBS", "1")
    _, serial = _cold(root, near_copies=False)
    started: list[int] = []
    real_fork = os.fork

    def counting_fork() -> int:
        pid = real_fork()
        if pid:
            started.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", counting_fork)
    monkeypatch.setenv("LAMPLIGHT_CHECK_JOBS", jobs)
    _, report = _cold(root, near_copies=False)
    assert len(started) == forks
    assert _lines(report) == _lines(serial)


def test_small_trees_stay_in_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    from generators.content.pool import PARALLEL_MIN_FILES, jobs_for

    monkeypatch.delenv("LAMPLIGHT_CHECK_JOBS", raising=False)
    assert jobs_for(PARALLEL_MIN_FILES - 1) == 1


@given(st.text(alphabet=st.sampled_from(_WIDTH_CHARS), max_size=300))
def test_half_width_matches_translate(text: str) -> None:
    from generators.text import _HALF_WIDTH, _half_width

    assert _half_width(text) == text.translate(_HALF_WIDTH)
