"""Golden outputs: fixture projects under tests/fixtures/, expected outputs under tests/golden/.

Regenerate after an intended change with ``python -m tests.golden --update`` (or
``make golden``) and review the diff before committing.

``broken`` is a project full of mistakes (its ``check`` report); ``tiny`` is the smallest
whole project (one skill, one story, one elder, one booklet): its built story and skill
page bodies and the text of its press booklet (``pdftotext -layout``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from generators.cli import app

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
GOLDEN = HERE / "golden"

#: The build date of the ``tiny`` golden outputs (pinned: outputs must not follow the clock).
EPOCH = "1700000000"

#: golden file name → lamplight arguments (run with --root on the fixture)
CHECK_CASES: dict[str, tuple[str, list[str]]] = {
    "broken-check.txt": ("broken", ["check"]),
    "broken-check.json": ("broken", ["check", "--format", "json"]),
}

#: golden file name → path of a built file of the ``tiny`` project, and how to read it
BUILD_CASES: dict[str, tuple[str, str]] = {
    "tiny-story.html": ("site/stories/liu-da-ge-yang-zhu/index.html", "article"),
    "tiny-story-hant.html": ("site/zh-hant/stories/liu-da-ge-yang-zhu/index.html", "article"),
    "tiny-skill.html": ("site/skills/sheng-tai-yang-zhu/index.html", "article"),
    "tiny-booklet.txt": ("dist/booklets/tiny/tiny-press.pdf", "pdftotext"),
}

CASES = [*CHECK_CASES, *BUILD_CASES]
SLOW_CASES = set(BUILD_CASES)

_ARTICLE_RE = re.compile(r"<article\b.*?</article>", re.S)


def _run(root: Path, args: list[str]) -> str:
    result = CliRunner().invoke(app, [*args, "--root", str(root)], catch_exceptions=False)
    return f"exit {result.exit_code}\n{result.stdout}"


def _article(path: Path) -> str:
    html = path.read_text(encoding="utf-8")
    match = _ARTICLE_RE.search(html)
    assert match, f"no <article> in {path}"
    return match.group(0) + "\n"


def _pdftotext(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


_READERS: dict[str, Callable[[Path], str]] = {"article": _article, "pdftotext": _pdftotext}


def build_tiny(dest: Path) -> Path:
    """Copy the ``tiny`` fixture to ``dest`` and run ``lamplight build`` there."""
    shutil.copytree(FIXTURES / "tiny", dest)
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        result = CliRunner().invoke(app, ["build", "--root", str(dest)], catch_exceptions=False)
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old
    assert result.exit_code == 0, result.output
    return dest


def produce(name: str, built: Path | None = None) -> str:
    """The current output of golden case ``name`` (``built``: a built copy of ``tiny``)."""
    if name in CHECK_CASES:
        fixture, args = CHECK_CASES[name]
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / fixture  # a copy: check writes its cache into the project
            shutil.copytree(FIXTURES / fixture, root)
            return _run(root, args)
    assert built is not None, f"{name} needs a built copy of the tiny project"
    rel, reader = BUILD_CASES[name]
    return _READERS[reader](built / rel)


def main(argv: list[str]) -> int:
    if "--update" not in argv:
        print("usage: python -m tests.golden --update", file=sys.stderr)
        return 2
    GOLDEN.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        built = build_tiny(Path(tmp) / "tiny")
        for name in CASES:
            (GOLDEN / name).write_text(produce(name, built), encoding="utf-8")
            print(f"wrote tests/golden/{name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
