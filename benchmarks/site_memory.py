"""Where a site build's memory goes: the Python process's RSS at each step of ``build_site``.

``python -m benchmarks.site_memory --root CORPUS [--offline]``

Loads the catalogue, then builds the site into a temporary folder (both scripts, the
in-browser index; the offline copy and zip only with ``--offline``) while a thread samples
the process's resident memory every 0.1 s. Prints, per step, the RSS when it began and the
highest RSS seen during it, as a Markdown table, and the process's peak (``ru_maxrss``).
Child processes (the Pagefind binary, the word-cutting pool) are not counted here:
``benchmarks.pagefind_memory`` measures Pagefind.
"""

from __future__ import annotations

import argparse
import functools
import resource
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class _Phases:
    """The current step's name, and per step its start, first RSS and highest RSS."""

    def __init__(self) -> None:
        self.rows: list[list[Any]] = []  # [name, started, rss at start, peak]
        self.lock = threading.Lock()
        self.start = time.perf_counter()

    def enter(self, name: str) -> None:
        rss = _rss_mb()
        with self.lock:
            if self.rows:  # the step before, as it ends (a killed run still shows its steps)
                row = self.rows[-1]
                print(
                    f"{row[0]}: began {row[1]:.1f} s, {row[2]:.0f} → ≤ {row[3]:.0f} MB",
                    file=sys.stderr,
                    flush=True,
                )
            self.rows.append([name, time.perf_counter() - self.start, rss, rss])

    def sample(self) -> None:
        rss = _rss_mb()
        with self.lock:
            if self.rows and rss > self.rows[-1][3]:
                self.rows[-1][3] = rss

    def run_sampler(self, stop: threading.Event) -> None:
        while not stop.wait(0.1):
            self.sample()


def _wrap(phases: _Phases, owner: Any, name: str, label: Callable[..., str]) -> None:
    original = getattr(owner, name)

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        phases.enter(label(*args, **kwargs))
        try:
            return original(*args, **kwargs)
        finally:
            phases.sample()

    setattr(owner, name, wrapper)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--offline", action="store_true", help="also the offline copy and zip")
    args = parser.parse_args(argv)

    from generators import pipeline
    from generators.content import load_or_raise
    from generators.search import pagefind
    from generators.site import build, bundle, plugin

    phases = _Phases()
    stop = threading.Event()
    threading.Thread(target=phases.run_sampler, args=(stop,), daemon=True).start()
    phases.enter("imports")
    root = args.root.resolve()
    phases.enter("load and check the catalogue")
    cat = load_or_raise(root)
    phases.enter("after the load")

    def mkdocs_label(
        _session: Any, _config: Any, _site: Any, script: str, _url: str, online: bool
    ) -> str:
        return f"MkDocs build, {'Traditional' if script == 'hant' else 'Simplified'}" + (
            "" if online else " (offline copy)"
        )

    _wrap(phases, build, "build_script", mkdocs_label)
    _wrap(phases, build, "warm_photos", lambda *_a: "photos")
    _wrap(phases, bundle, "zip_dir", lambda *_a: "offline zip")
    _wrap(phases, pagefind, "index_site", lambda *_a, **_k: "Pagefind (Python side)")
    for event, label in (
        ("on_config", "  on_config (plan pages, related items)"),
        ("on_files", "  on_files, navigation, page bodies converted"),
        ("on_env", "  pages rendered and written"),
        ("on_post_build", "  on_post_build"),
    ):
        _wrap(phases, plugin.LamplightPlugin, event, lambda *_a, _l=label, **_k: _l)

    with tempfile.TemporaryDirectory(prefix="lamplight-memory-") as tmp:
        pipeline.build_site(
            cat,
            root,
            site_dir=Path(tmp) / "site",
            dist_dir=Path(tmp) / "dist",
            offline=args.offline,
        )
        phases.enter("done")
        shutil.rmtree(Path(tmp) / "site", ignore_errors=True)
    stop.set()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{len(cat.skills):,} skills, {len(cat.showcases):,} stories; process peak {peak:.0f} MB")
    print("| Step | began at (s) | RSS at start (MB) | highest RSS during (MB) |")
    print("|---|---|---|---|")
    for name, started, first, highest in phases.rows:
        print(f"| {name} | {started:.1f} | {first:.0f} | {highest:.0f} |")


if __name__ == "__main__":
    main()
