"""The editors' whoosh index after a one-story edit: updated in place of rebuilt, side by side.

``python -m benchmarks.index_update [--sizes sample,1000] [--work DIR] [--check]``

For each size (``sample`` is the repository's sample content, a number a synthetic corpus
from :mod:`benchmarks.corpus` with pooled photos): a full build of the index, one story's
body edited, the index built again (an update), then the index removed and built from
scratch on the same edited content. Prints the seconds of each (``build_index`` alone; the
catalogue is loaded outside the timing) and the mode the update took. ``--check`` also
compares the answers of both indexes for the query sets in ``tests/`` (they must be equal).
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SAMPLE_DIRS = ("content", "showcases", "skills_library")


def _project(size: str, work: Path) -> Path:
    root = work / f"index-update-{size}"
    if size == "sample":
        shutil.rmtree(root, ignore_errors=True)
        for name in SAMPLE_DIRS:
            shutil.copytree(REPO / name, root / name)
        return root
    from benchmarks import corpus

    corpus.generate(root, int(size), image_mode="pooled", booklets=4)
    shutil.rmtree(root / ".lamplight-cache", ignore_errors=True)
    return root


def _edit_one_story(root: Path, rep: int) -> str:
    """Append a sentence to the corpus's edit story (the runner's), or the first story."""
    info = root / "corpus.json"
    name = (
        json.loads(info.read_text(encoding="utf-8")).get("edit_showcase") if info.exists() else ""
    )
    story = root / "showcases" / name / "story.md" if name else None
    if story is None or not story.exists():
        story = sorted((root / "showcases").glob("*/story.md"))[0]
    text = story.read_text(encoding="utf-8")
    story.write_text(text + f"\n这一段是第 {rep + 1} 次修改时补充的新情况。\n", encoding="utf-8")
    return story.parent.name


def _timed_build(root: Path) -> tuple[float, str, Any]:
    from generators.content import load_or_raise
    from generators.search.index import META_FILE, build_index

    cat = load_or_raise(root)
    start = time.perf_counter()
    path = build_index(cat, root)
    seconds = time.perf_counter() - start
    meta = json.loads((path / META_FILE).read_text(encoding="utf-8"))
    return seconds, str(meta.get("mode")), cat


def _answers(cat: Any, root: Path) -> dict[str, list[tuple[str, str, float]]]:
    import yaml

    from generators.search.index import search

    queries: list[str] = []
    for name in ("search_queries.yaml", "natural_queries.yaml"):
        data = yaml.safe_load((REPO / "tests" / name).read_text(encoding="utf-8"))
        queries += [item["q"] for item in data["queries"]]
    return {
        q: [(h.kind, h.id, h.score) for h in search(cat, root, q, limit=50)]
        for q in dict.fromkeys(queries)
    }


def measure(size: str, work: Path, check: bool) -> dict[str, Any]:
    """Full build, one-story edit and update, full build of the edited content."""
    from generators.search.index import CACHE_DIR, INDEX_DIR

    root = _project(size, work)
    first, first_mode, cat = _timed_build(root)
    story = _edit_one_story(root, 0)
    update, update_mode, cat = _timed_build(root)
    updated = _answers(cat, root) if check else {}
    shutil.rmtree(root / CACHE_DIR / INDEX_DIR)
    full, full_mode, cat = _timed_build(root)
    row: dict[str, Any] = {
        "size": size,
        "documents": len(cat.published_skills()) + len(cat.published_showcases("web")),
        "story": story,
        "first_build_s": round(first, 2),
        "update_s": round(update, 2),
        "update_mode": update_mode,
        "full_s": round(full, 2),
        "ratio": round(full / update, 1) if update else None,
    }
    assert first_mode == "full" and full_mode == "full", (first_mode, full_mode)
    if check:
        rebuilt = _answers(cat, root)
        row["queries"] = len(rebuilt)
        row["equal_answers"] = sum(updated[q] == rebuilt[q] for q in rebuilt)
    return row


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="sample", help="comma-separated: sample, 1000, …")
    parser.add_argument("--work", type=Path, default=None, help="where the projects go")
    parser.add_argument("--check", action="store_true", help="compare both indexes' answers")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.gettempdir()) / "lamplight-index-update"
    work.mkdir(parents=True, exist_ok=True)
    print(
        "| size | skills+stories | first full build | update after one-story edit | full build of the same content | full ÷ update | answers equal |"
    )
    print("|---|---|---|---|---|---|---|")
    for size in args.sizes.split(","):
        row = measure(size.strip(), work, args.check)
        equal = f"{row['equal_answers']}/{row['queries']}" if args.check else "–"
        print(
            f"| {row['size']} | {row['documents']:,} | {row['first_build_s']:.2f} s | "
            f"{row['update_s']:.2f} s ({row['update_mode']}) | {row['full_s']:.2f} s | "
            f"{row['ratio']}× | {equal} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
