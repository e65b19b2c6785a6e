"""Booklets whose inputs did not change are copied from the previous build, not rendered.

The sample's two booklets are rendered once into ``first/``; a story of one of them is then
edited and the next builds read ``first/`` as the previous build, as ``lamplight build``
does with ``dist/booklets`` (it writes into a staging folder). Renders are marked ``slow``.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from generators.booklet import reuse
from generators.booklet.build import render_booklets
from generators.content import load_or_raise

ROOT = Path(__file__).resolve().parent.parent
EDITED = "cha-ye-yu-shi-jun"  # prints the story long-da-jie-cha-yuan
KEPT = "yang-zhi-da-zi-ban"  # the livestock booklet: does not
STORY = "long-da-jie-cha-yuan"
REUSED = "未改动，沿用上次的文件"
slow = pytest.mark.slow


def _copy_project(dest: Path) -> Path:
    for name in ("content", "showcases", "skills_library"):
        shutil.copytree(ROOT / name, dest / name)
    if (ROOT / "mkdocs.yml").exists():
        shutil.copy2(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


def _build(
    root: Path, out: Path, previous: Path | None = None, slugs: tuple[str, ...] = ()
) -> dict[str, str]:
    """Render through ``render_booklets``; each booklet's summary lines, by id."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        ok = render_booklets(load_or_raise(root), root, list(slugs), out, previous=previous)
    text = err.getvalue()
    assert ok, text
    lines: dict[str, str] = {}
    for line in text.splitlines():
        for slug in (EDITED, KEPT):
            if f"（{slug}）" in line:
                lines[slug] = lines.get(slug, "") + line + "\n"
    return lines


def _files(folder: Path) -> dict[str, tuple[str, int]]:
    """File name → (SHA-256, modification time in ns)."""
    return {
        p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in sorted(folder.iterdir())
    }


def _digests(folder: Path) -> dict[str, str]:
    return {name: digest for name, (digest, _) in _files(folder).items()}


@dataclass
class Builds:
    root: Path
    first: Path
    """Both booklets before the edit."""
    second: Path
    """Both booklets after the edit, with ``first`` as the previous build."""
    lines: dict[str, str]
    """Summary lines of the second build."""


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Builds:
    root = _copy_project(tmp_path_factory.mktemp("reuse-project"))
    first = root / "first"
    lines = _build(root, first)
    assert REUSED not in "".join(lines.values())
    story = root / "showcases" / STORY / "story.md"
    story.write_text(story.read_text("utf-8") + "\n龙大姐说，明年还要再扩种两亩茶。\n", "utf-8")
    second = root / "second"
    return Builds(root, first, second, _build(root, second, previous=first))


# ---------------------------------------------------------------------- renders


@slow
def test_booklet_without_the_edited_story_is_copied(builds: Builds) -> None:
    assert REUSED in builds.lines[KEPT]
    # Same bytes and the same modification times: copied, not written by a new render.
    assert _files(builds.second / KEPT) == _files(builds.first / KEPT)


@slow
def test_booklet_with_the_edited_story_is_rendered_again(builds: Builds) -> None:
    assert REUSED not in builds.lines[EDITED]
    assert "页，已写入" in builds.lines[EDITED]
    before, after = _digests(builds.first / EDITED), _digests(builds.second / EDITED)
    assert before.keys() == after.keys()
    assert before[f"{EDITED}-press.pdf"] != after[f"{EDITED}-press.pdf"]
    tickets = [
        json.loads((folder / EDITED / f"{EDITED}-ticket.json").read_text("utf-8"))
        for folder in (builds.first, builds.second)
    ]
    assert tickets[0]["content_version"] != tickets[1]["content_version"]
    assert tickets[1]["files"]["印刷文件"]["sha256"] == after[f"{EDITED}-press.pdf"]


@slow
def test_copied_booklet_equals_a_clean_render(builds: Builds) -> None:
    """A booklet prints its own content version, so the copy is what a render would write."""
    clean = builds.root / "clean"
    lines = _build(builds.root, clean, slugs=(KEPT,))
    assert REUSED not in lines[KEPT]
    assert _digests(clean / KEPT) == _digests(builds.second / KEPT)


@slow
def test_tampered_previous_file_is_not_reused(builds: Builds) -> None:
    previous = builds.root / "tampered"
    shutil.copytree(builds.second, previous)
    report = previous / KEPT / f"{KEPT}-preflight.txt"
    report.write_text(report.read_text("utf-8") + "改过\n", "utf-8")
    out = builds.root / "after-tamper"
    lines = _build(builds.root, out, previous=previous, slugs=(KEPT,))
    assert REUSED not in lines[KEPT]
    assert _digests(out / KEPT) == _digests(builds.second / KEPT)


@slow
def test_source_date_epoch_renders_again(builds: Builds, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14
    out = builds.root / "dated"
    lines = _build(builds.root, out, previous=builds.second, slugs=(KEPT,))
    assert REUSED not in lines[KEPT]
    ticket = json.loads((out / KEPT / f"{KEPT}-ticket.json").read_text("utf-8"))
    assert ticket["date"] == "2023-11-14"
    # Built in place again with the same inputs: kept as it is.
    again = _build(builds.root, out, slugs=(KEPT,))
    assert REUSED in again[KEPT]
    assert ticket == json.loads((out / KEPT / f"{KEPT}-ticket.json").read_text("utf-8"))


@slow
def test_changed_code_renders_again(
    builds: Builds, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A change of the code stamp (here: one more source file) makes the copy stale."""
    real = reuse._code_files()
    extra = tmp_path / "extra.py"
    extra.write_text("CHANGED = True\n", "utf-8")
    monkeypatch.setattr(reuse, "_code_files", lambda: [*real, extra])
    out = builds.root / "new-code"
    lines = _build(builds.root, out, previous=builds.second, slugs=(KEPT,))
    assert REUSED not in lines[KEPT]
    assert _digests(out / KEPT) == _digests(builds.second / KEPT)


# ---------------------------------------------------------------------- fingerprints


def _fingerprints(root: Path, **options: object) -> dict[str, str]:
    cat = load_or_raise(root)
    env = reuse.environment_parts(
        base_url=str(options.get("base_url", "https://example.org/")),
        marks=bool(options.get("marks", False)),
        pdf_x=str(options.get("pdf_x", "4")),
    )
    plans = {slug: reuse.plan(cat, root, slug, env) for slug in (EDITED, KEPT)}
    return {slug: plan.fingerprint for slug, plan in plans.items() if plan is not None}


def test_photo_bytes_change_only_the_booklet_printing_them(tmp_path: Path) -> None:
    root = _copy_project(tmp_path)
    before = _fingerprints(root)
    assert set(before) == {EDITED, KEPT}
    photo = root / "showcases" / STORY / "photos" / "cha-yuan.jpg"
    photo.write_bytes(photo.read_bytes() + b"\0")
    after = _fingerprints(root)
    assert after[EDITED] != before[EDITED]
    assert after[KEPT] == before[KEPT]


def test_options_and_environment_are_part_of_the_fingerprint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _copy_project(tmp_path)
    base = _fingerprints(root)
    assert _fingerprints(root) == base
    for changed in (
        _fingerprints(root, marks=True),
        _fingerprints(root, pdf_x="1a"),
        _fingerprints(root, base_url="https://other.example/"),
    ):
        assert all(changed[slug] != base[slug] for slug in base)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert all(fp != base[slug] for slug, fp in _fingerprints(root).items())
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    # The templates, the booklet code and the ICC profile are in the code stamp.
    names = {p.relative_to(ROOT / "generators").as_posix() for p in reuse._code_files()}
    assert {"booklet/render.py", "booklet/reuse.py", "templates/booklet/booklet.html"} <= names
    assert any(name.startswith("booklet/profiles/") for name in names)
