"""Work done inside a fresh benchmark subprocess: ``python -m benchmarks.tasks TASK --root DIR``.

Each task prints one line ``BENCH-RESULT {json}`` with its own internal timings; the runner
measures the wall time and peak RSS of the whole process from outside. Tasks that only need
a catalogue (site, search, booklets) load it without the W201 near-copy pass when
``--fast-load`` is given: that pass is part of ``lamplight check`` and measured there.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

RESULT_PREFIX = "BENCH-RESULT "


def emit(data: dict[str, Any]) -> None:
    print(RESULT_PREFIX + json.dumps(data, ensure_ascii=False), flush=True)


@contextmanager
def profiled(path: str | None) -> Iterator[None]:
    if not path:
        yield
        return
    profile = cProfile.Profile()
    profile.enable()
    try:
        yield
    finally:
        profile.disable()
        profile.dump_stats(path)


def load(root: Path, fast: bool) -> tuple[Any, float]:
    """The validated catalogue and the seconds it took."""
    from generators.content import load_catalogue

    start = time.perf_counter()
    cat, report = load_catalogue(root, near_copies=not fast)
    seconds = time.perf_counter() - start
    if cat is None or report.errors:
        lines = [d.format() for d in report.sorted()][:20]
        raise SystemExit("catalogue has errors:\n" + "\n".join(lines))
    return cat, seconds


def _timed(store: dict[str, list[float]], key: str, func: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            store.setdefault(key(*args, **kwargs) if callable(key) else key, []).append(
                time.perf_counter() - start
            )

    return wrapper


# --------------------------------------------------------------------------- site


def task_site(args: argparse.Namespace) -> dict[str, Any]:
    """``build_site`` with each step timed separately (``timings``: the Traditional build and
    Pagefind run in forked processes, which report their own seconds).

    Without ``--reuse`` every page is rendered and every Pagefind part indexed (the records
    of earlier builds are removed first): the fair comparison with plain mkdocs-material.
    """
    from generators import pipeline

    root = Path(args.root)
    cat, load_s = load(root, args.fast_load)
    if not args.reuse:
        for part in ("build", "pagefind"):
            shutil.rmtree(root / ".lamplight-cache" / part, ignore_errors=True)
    if args.cold:
        for part in ("images", "related", "qr", "convert", "offline", "build", "pagefind"):
            shutil.rmtree(root / ".lamplight-cache" / part, ignore_errors=True)
    timings: dict[str, float] = {}
    start = time.perf_counter()
    with profiled(args.profile):
        pipeline.build_site(cat, root, timings=timings)
    build_s = time.perf_counter() - start
    return {"load_s": load_s, "build_s": build_s, "phases": timings}


def task_pagefind(args: argparse.Namespace) -> dict[str, Any]:
    from generators.search.pagefind import index_site

    root = Path(args.root)
    cat, load_s = load(root, args.fast_load)
    start = time.perf_counter()
    with profiled(args.profile):
        index_site(root / "site", cat)
    return {"load_s": load_s, "work_s": time.perf_counter() - start}


def task_whoosh(args: argparse.Namespace) -> dict[str, Any]:
    from generators.search.index import build_index

    root = Path(args.root)
    cat, load_s = load(root, args.fast_load)
    start = time.perf_counter()
    with profiled(args.profile):
        path = build_index(cat, root)
    size = sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())
    return {"load_s": load_s, "work_s": time.perf_counter() - start, "bytes": size}


def task_load(args: argparse.Namespace) -> dict[str, Any]:
    """Only load the catalogue (the check without printing), optionally profiled."""
    root = Path(args.root)
    with profiled(args.profile):
        cat, load_s = load(root, args.fast_load)
    return {"load_s": load_s, "items": len(cat.skills) + len(cat.showcases)}


# --------------------------------------------------------------------------- booklets


def _pdf_pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)


def task_booklets_seq(args: argparse.Namespace) -> dict[str, Any]:
    """Every booklet one after another in this process, each followed by plain WeasyPrint on
    the same HTML.

    Ours and plain alternate booklet by booklet, so a change in the machine's load (it is
    shared) affects both series alike instead of landing in their ratio.
    """
    from weasyprint import HTML

    from generators.booklet import build as booklet_build

    root = Path(args.root)
    cat, load_s = load(root, args.fast_load)
    slugs = args.slugs.split(",") if args.slugs else sorted(cat.booklets)
    out = Path(args.out)
    shutil.rmtree(out, ignore_errors=True)
    capture_dir = out / "_captured"
    captured: list[tuple[str, Path]] = []
    copy_seconds = [0.0]
    original = booklet_build.render_press

    def capturing(
        cat_: Any, root_: Any, booklet: Any, selection: Any, workdir: Path, **kw: Any
    ) -> Any:
        press = original(cat_, root_, booklet, selection, workdir, **kw)
        start = time.perf_counter()
        keep = capture_dir / booklet.id
        shutil.copytree(workdir, keep, dirs_exist_ok=True)
        captured.append((press.html, keep))
        copy_seconds[0] += time.perf_counter() - start
        return press

    booklet_build.render_press = capturing  # type: ignore[assignment]
    per: list[dict[str, Any]] = []
    plain: list[dict[str, Any]] = []
    profile = cProfile.Profile() if args.profile else None
    for slug in slugs:
        before = copy_seconds[0]
        count = len(captured)
        if profile is not None:
            profile.enable()
        start = time.perf_counter()
        outcome = booklet_build.build_one(cat, root, slug, out)
        seconds = time.perf_counter() - start - (copy_seconds[0] - before)
        if profile is not None:
            profile.disable()
        per.append({"slug": slug, "ok": outcome.ok, "pages": outcome.pages, "s": seconds})
        if len(captured) > count:  # rendered (a refused booklet renders nothing)
            html, folder = captured[-1]
            start = time.perf_counter()
            doc = HTML(string=html, base_url=folder.as_uri() + "/").render()
            doc.write_pdf()
            plain.append({"pages": len(doc.pages), "s": time.perf_counter() - start})
    if profile is not None:
        profile.dump_stats(args.profile)
    total = sum(b["s"] for b in per)
    shutil.rmtree(capture_dir, ignore_errors=True)
    return {"load_s": load_s, "seq_s": total, "booklets": per, "plain": plain}


def task_booklets_par(args: argparse.Namespace) -> dict[str, Any]:
    """``render_booklets`` as shipped (its own process pool)."""
    from generators.booklet.build import render_booklets

    root = Path(args.root)
    cat, load_s = load(root, args.fast_load)
    slugs = args.slugs.split(",") if args.slugs else sorted(cat.booklets)
    out = Path(args.out)
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    ok = render_booklets(cat, root, slugs, out)
    par_s = time.perf_counter() - start
    pages = sum(_pdf_pages(p) for p in out.glob("*/*-press.pdf"))
    return {
        "load_s": load_s,
        "par_s": par_s,
        "ok": ok,
        "pages": pages,
        "workers": min(2, os.cpu_count() or 1),
    }


# --------------------------------------------------------------------------- plain baseline


def task_plain_docs(args: argparse.Namespace) -> dict[str, Any]:
    """Write the plain-Markdown baseline (not timed as a benchmark)."""
    from .plain import write_plain

    root = Path(args.root)
    cat, load_s = load(root, True)
    start = time.perf_counter()
    info = write_plain(cat, root / "plain", per_page=args.per_page)
    return {"load_s": load_s, "work_s": time.perf_counter() - start, **info}


TASKS: dict[str, Callable[[argparse.Namespace], dict[str, Any]]] = {
    "site": task_site,
    "pagefind": task_pagefind,
    "whoosh": task_whoosh,
    "load": task_load,
    "booklets-seq": task_booklets_seq,
    "booklets-par": task_booklets_par,
    "plain-docs": task_plain_docs,
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="One benchmark task in this process.")
    parser.add_argument("task", choices=sorted(TASKS))
    parser.add_argument("--root", required=True)
    parser.add_argument("--fast-load", action="store_true")
    parser.add_argument("--profile", default=None)
    parser.add_argument("--cold", action="store_true")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--slugs", default="")
    parser.add_argument("--out", default="")
    parser.add_argument("--per-page", type=int, default=20)
    args = parser.parse_args(argv)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    result = TASKS[args.task](args)
    sys.stdout.flush()
    emit(result)


if __name__ == "__main__":
    main()
