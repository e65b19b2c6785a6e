"""Booklets after a one-story edit: what ``lamplight build`` spends on them, cold and again.

``python -m benchmarks.booklet_reuse --root CORPUS``

Works on a hard-linked copy of the corpus in a temporary folder (the corpus is never
written). Renders every booklet cold into ``a/``, appends a sentence to the corpus's edit
story (``corpus.json`` ``edit_showcase``, a new file, so the link to the corpus is broken
first), renders into ``b/`` with ``a/`` as the previous build (as ``lamplight build`` does
from its staging folder), once more into ``c/`` with nothing changed, then into ``d/`` after
an edit of the first story the first booklet prints. Prints JSON: seconds of each
``render_booklets`` call and how many booklets were copied.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

REUSED = "未改动，沿用上次的文件"


def _render(root: Path, out: Path, previous: Path | None) -> dict[str, Any]:
    from generators.booklet.build import render_booklets
    from generators.content import load_or_raise

    cat = load_or_raise(root)
    err = io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stderr(err):
        ok = render_booklets(cat, root, [], out, previous=previous)
    seconds = time.perf_counter() - start
    return {
        "s": round(seconds, 2),
        "ok": ok,
        "booklets": len(cat.booklets),
        "copied": err.getvalue().count(REUSED),
    }


def _edit(root: Path, story: str) -> None:
    path = root / "showcases" / story / "story.md"
    text = path.read_text("utf-8") + "\n这是基准测试加上的一句话。\n"
    path.unlink()  # hard-linked to the corpus: write a new file instead
    path.write_text(text, "utf-8")


def _printed_story(root: Path) -> str:
    """The first story of the first booklet that prints one."""
    from generators.booklet.select import BookletRefused, select
    from generators.content import load_or_raise

    cat = load_or_raise(root)
    for slug in sorted(cat.booklets):
        with contextlib.suppress(BookletRefused):
            shows = select(cat, cat.booklets[slug]).showcases
            if shows:
                return shows[0].id
    raise SystemExit("no booklet prints a story")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, required=True)
    args = parser.parse_args(argv)
    info = json.loads((args.root / "corpus.json").read_text("utf-8"))
    with tempfile.TemporaryDirectory(prefix="lamplight-booklet-reuse-") as tmp:
        root = Path(tmp) / "project"
        shutil.copytree(args.root, root, copy_function=os.link)
        shutil.rmtree(root / ".lamplight-cache", ignore_errors=True)
        shutil.rmtree(root / "dist", ignore_errors=True)
        result = {"cold": _render(root, root / "a", None)}
        _edit(root, info["edit_showcase"])
        result["one_story_edit"] = _render(root, root / "b", root / "a")
        result["unchanged"] = _render(root, root / "c", root / "b")
        _edit(root, _printed_story(root))
        result["printed_story_edit"] = _render(root, root / "d", root / "c")
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
