"""Size of the offline bundle's search index for a synthetic corpus of N skills and N stories.

``python -m benchmarks.offline_size [--n 1000] [--corpus-dir benchmarks/corpus]``

Generates (or reuses) the corpus of :mod:`benchmarks.corpus` (pooled photos: the index does
not look at them), loads and validates its catalogue, then calls
:func:`generators.search.offline.write_offline_search` on a folder holding an empty page file
for every published item (the index only checks which page files exist; no site is built).
Prints the index's files, its size raw and gzip-compressed (as the zip stores it), and both
per 1,000 indexed items. With ``--browser`` it also opens the folder from ``file://`` in
headless Chromium (Debian's, through playwright) and times the first search (loading and
preparing the index) and the next searches.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument(
        "--corpus-dir", type=Path, default=Path(__file__).resolve().parent / "corpus"
    )
    parser.add_argument("--browser", action="store_true", help="time searches in Chromium")
    args = parser.parse_args(argv)

    from generators.content import KINDS, load_or_raise
    from generators.content.documents import published_documents
    from generators.search.offline import write_offline_search

    from . import corpus as corpus_mod

    root = (args.corpus_dir / f"n{args.n}").resolve()
    start = time.perf_counter()
    corpus_mod.generate(root, args.n, args.seed, image_mode="pooled")
    cat = load_or_raise(root)
    loaded = time.perf_counter() - start
    with tempfile.TemporaryDirectory(prefix="lamplight-offline-size-") as tmp:
        folder = Path(tmp)
        for doc in published_documents(cat):
            page = folder / (KINDS[doc.kind].page_path(doc.id) + "index.html")
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text("", encoding="utf-8")
        start = time.perf_counter()
        sizes = write_offline_search(cat, folder)
        wrote = time.perf_counter() - start
        timings = _browser_timings(folder) if args.browser else None
    items = max(1, sizes["items"])
    print(f"corpus N={args.n} in {root} (generated/loaded in {loaded:.1f} s)")
    for name, size in sizes["files"].items():
        print(f"  {name}: {size / 1024:,.1f} KB")
    print(
        f"{sizes['items']:,} items: {sizes['raw'] / 1024 / 1024:.2f} MB raw, "
        f"{sizes['gzip'] / 1024 / 1024:.2f} MB gzip; per 1,000 items "
        f"{sizes['raw'] / items * 1000 / 1024:,.0f} KB raw, "
        f"{sizes['gzip'] / items * 1000 / 1024:,.0f} KB gzip "
        f"(written in {wrote:.1f} s)"
    )
    if timings:
        print(
            f"Chromium, file://: first search {timings[0]:.0f} ms (loads the index), "
            f"then {timings[1]:.1f} ms per search (median of {3 * len(QUERIES)} searches); "
            "main-thread tasks of 50 ms or more during the first search: "
            + (f"the longest {timings[2]:.0f} ms" if timings[2] else "none")
        )


#: Queries for the timings (groups of alternatives, as the search box passes them).
QUERIES = [
    [["养猪"], ["发酵床"]],
    [["香菇", "蘑菇"], ["收入", "挣钱"]],
    [["木耳"], ["菌袋"], ["技术"]],
    [["茶叶"], ["采摘"]],
    [["电商", "网店"], ["直播"]],
    [["猕猴桃"], ["嫁接"], ["品种"]],
]


def _browser_timings(folder: Path) -> tuple[float, float, float]:
    """(first search ms, median later search ms, longest main-thread task ms during the first
    search) in headless Chromium from file://."""
    import statistics

    from playwright.sync_api import sync_playwright

    from generators.search.offline import ENGINE, SCRIPTS_DIR

    page_file = folder / "index.html"
    page_file.write_text('<!doctype html><meta charset="utf-8"><title>t</title>', encoding="utf-8")
    search = "async (g) => { const t = performance.now(); await LamplightOffline.search(g, {limit: 10}); return performance.now() - t; }"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"]
        )
        page = browser.new_page()
        page.goto(page_file.as_uri())
        page.add_script_tag(url=(folder / SCRIPTS_DIR / ENGINE).as_uri())
        page.evaluate(
            "() => { window.longTasks = []; new PerformanceObserver((list) => list.getEntries()"
            ".forEach((e) => window.longTasks.push(e.duration))).observe({entryTypes: ['longtask']}); }"
        )
        first = page.evaluate(search, QUERIES[0])
        page.wait_for_timeout(200)  # the observer reports after the task
        longest = page.evaluate("() => Math.max(0, ...window.longTasks)")
        later = [page.evaluate(search, q) for q in QUERIES * 3]
        browser.close()
    return first, statistics.median(later), longest


if __name__ == "__main__":
    main()
