"""Cost of the related-items pass alone, per item and in memory, for one corpus.

``python -m benchmarks.related_scale --root CORPUS [--compare answers-….json] [--write FILE]``

Loads the catalogue, cuts every published text (from the cache under
``CORPUS/.lamplight-cache/related/`` when a site build made it), builds the term statistics and
answers every item in one pass, as a site build does; prints the seconds, milliseconds per
item and the process's peak RSS. ``--compare`` takes an answers file written by another version
(for instance the exact scoring before ``TOP_POSTINGS``) and prints how many of each item's
first five answers agree.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--compare", type=Path, default=None)
    parser.add_argument("--write", type=Path, default=None, help="write the answers here")
    args = parser.parse_args(argv)

    from generators.cache import Store
    from generators.content import load_or_raise
    from generators.content.documents import catalogue_words, published_documents
    from generators.search import related, related_cache, related_cuts, related_stats

    root = args.root.resolve()
    cat = load_or_raise(root)
    docs = published_documents(cat, ("skill", "showcase"))
    words = catalogue_words(cat)
    start = time.perf_counter()
    cuts = related_cuts.cut_all(
        [related_cuts.body_text(cat, d) for d in docs],
        words,
        Store.of(root, "related"),
    )
    cut_s = time.perf_counter() - start
    start = time.perf_counter()
    stats = related_stats.TermStats(docs, cuts)
    stats_s = time.perf_counter() - start
    start = time.perf_counter()
    answers = related.answer_all(stats, docs)
    answer_s = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{len(docs):,} items: cuts {cut_s:.1f} s, statistics {stats_s:.1f} s, "
        f"answers {answer_s:.1f} s = {answer_s / max(1, len(docs)) * 1000:.2f} ms per item; "
        f"peak RSS {peak:.0f} MB"
    )
    if args.write:
        args.write.write_text(related_cache.answers_json(answers), encoding="utf-8")
    if args.compare:
        old = related_cache.read_answers(args.compare.read_bytes()) or {}
        shares = [
            len(set(answers[k][:5]) & set(old[k][:5])) / 5
            for k in answers
            if len(old.get(k, [])) >= 5
        ]
        if shares:
            print(
                f"first five answers in common: {sum(shares) / len(shares):.1%} of {len(shares):,}"
            )


if __name__ == "__main__":
    main()
