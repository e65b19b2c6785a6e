"""Milliseconds per ``lamplight search`` query, with the index open (as an editor's session).

``python -m benchmarks.search_latency [--root PROJECT] [--reps 3]``

Opens the whoosh index of ``PROJECT`` (the sample by default; rebuilt first when out of
date), runs every query of ``tests/natural_queries.yaml`` and ``tests/search_queries.yaml``
``--reps`` times and prints the median and 95th percentile per query set, with the time to
build the index and its query rules.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import yaml

TESTS = Path(__file__).resolve().parent.parent / "tests"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=TESTS.parent)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args(argv)

    from generators.content import load_or_raise
    from generators.search.index import build_index, open_index
    from generators.search.query import run_query
    from generators.search.understanding import rules

    root = args.root.resolve()
    cat = load_or_raise(root)
    start = time.perf_counter()
    build_index(cat, root)
    print(f"index built in {time.perf_counter() - start:.2f} s")
    start = time.perf_counter()
    data = rules(cat)
    print(f"query rules made in {time.perf_counter() - start:.2f} s")
    ix = open_index(cat, root)
    try:
        for name in ("natural_queries.yaml", "search_queries.yaml"):
            queries = yaml.safe_load((TESTS / name).read_text(encoding="utf-8"))["queries"]
            run_query(cat, ix, queries[0]["q"], data=data)  # warm up jieba and the index
            times: list[float] = []
            for _ in range(args.reps):
                for item in queries:
                    start = time.perf_counter()
                    run_query(cat, ix, item["q"], data=data, limit=10)
                    times.append((time.perf_counter() - start) * 1000)
            times.sort()
            p95 = times[int(0.95 * (len(times) - 1))]
            print(
                f"{name}: {len(queries)} queries × {args.reps}: median"
                f" {statistics.median(times):.1f} ms, p95 {p95:.1f} ms"
            )
    finally:
        ix.close()


if __name__ == "__main__":
    main()
