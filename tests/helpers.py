"""Shared helpers for tests: copy the sample project, run the CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from generators.cli import app

ROOT = Path(__file__).resolve().parent.parent
CONTENT_DIRS = ("content", "showcases", "skills_library")

#: Debian's Chromium and the flags it needs here (no test tool may download a browser).
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


SKILL = "skills_library/sheng-tai-yang-zhu/skill.yaml"
SHOWCASE = "showcases/liu-da-ge-yang-zhu/showcase.yaml"
STORY = "showcases/liu-da-ge-yang-zhu/story.md"
ELDER = "content/elders/wang-lao-zhuan-jia.yaml"
PAIRING = "content/pairings/wang-liu-2017.yaml"


def copy_project(dest: Path, with_site_config: bool = True) -> Path:
    """Copy the sample content (and mkdocs.yml) into ``dest``; return it."""
    for name in CONTENT_DIRS:
        shutil.copytree(ROOT / name, dest / name)
    if with_site_config and (ROOT / "mkdocs.yml").exists():
        shutil.copy2(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


def run(*args: str, root: Path | None = None):
    """Invoke ``lamplight`` in-process; returns the click Result."""
    argv = list(args)
    if root is not None:
        argv += ["--root", str(root)]
    return CliRunner().invoke(app, argv, catch_exceptions=False)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")
