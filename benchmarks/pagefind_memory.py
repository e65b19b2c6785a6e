"""How Pagefind's memory grows with the pages it indexes (why big sites are indexed in parts).

``python -m benchmarks.pagefind_memory --root CORPUS [--pages 100,500,1000,2000]``

Needs a built site under ``CORPUS/site`` (``lamplight build`` or the benchmark runner). Makes
the Simplified search copy the site build gives Pagefind, then runs the Pagefind binary on
the first k pages for each k, each in a fresh process, and prints wall time and peak RSS as a
Markdown table; the last row indexes every page the way ``index_site`` does (in parts of
``SHARD_PAGES``), reporting the largest part's peak.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from .runner import run_measured


def _run(binary: Path, site: Path, out: Path) -> tuple[float, float]:
    from generators.search.pagefind import pagefind_command

    measure = run_measured(pagefind_command(binary, site, out), timeout=3600)
    if measure.rc != 0:
        raise SystemExit(f"pagefind failed: {measure.error}")
    return measure.wall, measure.rss_mb


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--pages", default="100,500,1000,2000")
    args = parser.parse_args(argv)

    from generators.content import load_or_raise
    from generators.search import pagefind

    root = args.root.resolve()
    cat = load_or_raise(root)
    binary = pagefind.find_pagefind(root)
    with tempfile.TemporaryDirectory(prefix="lamplight-pf-mem-") as tmp_name:
        tmp = Path(tmp_name)
        copy = tmp / "copy"
        pages = pagefind.prepare_copy(root / "site", copy, cat)
        print(f"{len(pages)} pages in the search copy of {root / 'site'}\n")
        print("| pages indexed in one Pagefind run | wall s | peak RSS MB | MB per page |")
        print("|---|---|---|---|")
        for count in [int(x) for x in args.pages.split(",") if x]:
            if count > len(pages):
                continue
            subset = tmp / f"s{count}"
            for rel in pages[:count]:
                (subset / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(copy / rel, subset / rel)
            wall, rss = _run(binary, subset, tmp / f"out{count}")
            print(f"| {count:,} | {wall:.1f} | {rss:.0f} | {rss / count:.2f} |")
            shutil.rmtree(subset)
        parts = pagefind.shards(pages, pagefind.SHARD_PAGES)
        walls, peaks = [], []
        for number, part in enumerate(parts):
            subset = tmp / f"part{number}"
            for rel in part:
                (subset / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(copy / rel, subset / rel)
            wall, rss = _run(binary, subset, tmp / f"pout{number}")
            walls.append(wall)
            peaks.append(rss)
            shutil.rmtree(subset)
        print(
            f"| all {len(pages):,} in {len(parts)} part(s) of ≤ {pagefind.SHARD_PAGES:,} "
            f"(as `index_site`) | {sum(walls):.1f} in all | {max(peaks):.0f} (largest part) | – |"
        )


if __name__ == "__main__":
    main()
