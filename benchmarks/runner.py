"""Run every benchmark side by side and write the dated results table.

``python -m benchmarks [--sizes 100,1000] [--out docs/benchmarks.md] [--quick]``

Every measurement runs in a fresh subprocess; the runner takes the wall time and the peak
RSS from ``os.wait4`` (the child and the descendants it waited for). Cheap measurements are
repeated (median); expensive ones run once. Modules that are not importable yet are
reported as "not available" and the table is still written.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.metadata
import importlib.util
import json
import math
import os
import platform
import pstats
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import corpus as corpus_mod
from .tasks import RESULT_PREFIX
from .tree_memory import TreeSampler

PROJECT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(sys.executable).parent
NA = "not available"
SKIPPED = "skipped"
STAGES = ("site", "plain", "search", "serve", "booklets", "full", "profile")

# ----------------------------------------------------------------------------- measuring


@dataclass
class Measure:
    """One subprocess run."""

    wall: float
    rss_mb: float
    rc: int
    result: dict[str, Any] | None = None
    error: str = ""
    timed_out: bool = False
    tree_mb: float = 0.0
    """Peak of all the run's processes together: sum of RSS (MB)."""
    tree_pss_mb: float = 0.0
    """Peak of all the run's processes together: sum of PSS (MB, shared pages split)."""

    @property
    def ok(self) -> bool:
        return self.rc == 0 and not self.timed_out


def _tail(path: Path, lines: int = 6) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    kept = [
        ln for ln in text.strip().splitlines() if ln.strip() and not ln.startswith(RESULT_PREFIX)
    ]
    return " | ".join(kept[-lines:])[-600:]


def _kill_group(proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    try:
        os.killpg(proc.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def run_measured(
    cmd: list[str],
    *,
    cwd: Path | None = None,
    timeout: float = 900,
    env: dict[str, str] | None = None,
) -> Measure:
    """Run ``cmd`` in a new session; wall time, peak RSS (MB) and the task's JSON result."""
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0", **(env or {})}
    with tempfile.TemporaryDirectory(prefix="lamplight-bench-") as tmp:
        out_path, err_path = Path(tmp) / "out", Path(tmp) / "err"
        with out_path.open("wb") as out, err_path.open("wb") as err:
            start = time.perf_counter()
            proc = subprocess.Popen(
                cmd, cwd=cwd, stdout=out, stderr=err, env=full_env, start_new_session=True
            )
            box: dict[str, Any] = {}
            sampler = TreeSampler(proc.pid).start()

            def _wait() -> None:
                _, status, usage = os.wait4(proc.pid, 0)
                box["end"] = time.perf_counter()
                box["status"], box["usage"] = status, usage

            waiter = threading.Thread(target=_wait, daemon=True)
            waiter.start()
            waiter.join(timeout)
            timed_out = waiter.is_alive()
            if timed_out:
                _kill_group(proc, signal.SIGKILL)
                waiter.join(30)
            _kill_group(proc, signal.SIGKILL)  # stray grandchildren
            sampler.stop()
            proc.returncode = os.waitstatus_to_exitcode(box["status"]) if "status" in box else -9
        wall = box.get("end", time.perf_counter()) - start
        rss = box["usage"].ru_maxrss / 1024 if "usage" in box else 0.0
        result = None
        for line in out_path.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith(RESULT_PREFIX):
                result = json.loads(line[len(RESULT_PREFIX) :])
        error = "" if proc.returncode == 0 and not timed_out else _tail(err_path) or _tail(out_path)
        return Measure(
            wall,
            rss,
            proc.returncode,
            result,
            error,
            timed_out,
            max(sampler.peak_rss, rss),
            max(sampler.peak_pss, 0.0),
        )


def task_cmd(task: str, root: Path, *extra: str) -> list[str]:
    return [PYTHON, "-m", "benchmarks.tasks", task, "--root", str(root), *extra]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else math.nan


@dataclass
class Stat:
    """Median wall and max RSS over repetitions (or why there is none)."""

    wall: float | None = None
    rss_mb: float | None = None
    runs: list[float] = field(default_factory=list)
    results: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""
    tree_mb: float | None = None
    """Peak of all processes together (sum of RSS), largest over the runs."""
    tree_pss_mb: float | None = None
    """Peak of all processes together (sum of PSS), largest over the runs."""

    @property
    def ok(self) -> bool:
        return self.wall is not None

    def result_median(self, key: str) -> float | None:
        values = [r[key] for r in self.results if isinstance(r.get(key), (int, float))]
        return median(values) if values else None

    def phase_median(self, key: str) -> float | None:
        values = [r["phases"][key] for r in self.results if key in r.get("phases", {})]
        return median(values) if values else None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Stat:
        return cls(
            **{k: data[k] for k in ("wall", "rss_mb", "runs", "results", "note")},
            tree_mb=data.get("tree_mb"),
            tree_pss_mb=data.get("tree_pss_mb"),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "wall": self.wall,
            "rss_mb": self.rss_mb,
            "runs": self.runs,
            "results": self.results,
            "note": self.note,
            "tree_mb": self.tree_mb,
            "tree_pss_mb": self.tree_pss_mb,
        }


def repeat(
    cmd: list[str],
    reps: int,
    *,
    cwd: Path | None = None,
    timeout: float = 900,
    before: Callable[[], None] | None = None,
    budget: float | None = None,
) -> Stat:
    """Up to ``reps`` runs; stop early when the next run would take the total past ``budget``."""
    stat = Stat()
    rss: list[float] = []
    for _ in range(max(1, reps)):
        if budget is not None and stat.runs and sum(stat.runs) + stat.runs[-1] > budget:
            break
        if before is not None:
            before()
        m = run_measured(cmd, cwd=cwd, timeout=timeout)
        if not m.ok:
            stat.note = (
                f"timed out after {timeout:.0f} s"
                if m.timed_out
                else f"failed (exit {m.rc}): {m.error}"
            )
            break
        stat.runs.append(m.wall)
        rss.append(m.rss_mb)
        stat.tree_mb = max(stat.tree_mb or 0.0, m.tree_mb)
        stat.tree_pss_mb = max(stat.tree_pss_mb or 0.0, m.tree_pss_mb)
        if m.result is not None:
            stat.results.append(m.result)
    if stat.runs:
        stat.wall = median(stat.runs)
        stat.rss_mb = max(rss)
        if stat.note:
            stat.note = f"{len(stat.runs)} of {reps} runs; then " + stat.note
    return stat


# ----------------------------------------------------------------------------- serve latency


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _fetch(url: str, timeout: float = 5.0) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - 127.0.0.1 only
            return str(response.read().decode("utf-8", errors="replace"))
    except (urllib.error.URLError, OSError, ValueError):
        return None


def serve_latency(
    cmd: list[str],
    *,
    cwd: Path,
    url_path: str,
    edit_file: Path,
    edits: int,
    startup_timeout: float,
    edit_timeout: float,
    interval: float = 0.05,
) -> dict[str, Any]:
    """Start a dev server, edit ``edit_file`` and time until the served page shows the edit."""
    port = _free_port()
    full = [*cmd, f"127.0.0.1:{port}"]
    url = f"http://127.0.0.1:{port}/{url_path}"
    original = edit_file.read_bytes()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    log = tempfile.NamedTemporaryFile(prefix="lamplight-serve-", suffix=".log", delete=False)
    start = time.perf_counter()
    proc = subprocess.Popen(
        full, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True
    )
    out: dict[str, Any] = {"url": url_path, "latencies": [], "requests": 0}
    try:
        startup = None
        while time.perf_counter() - start < startup_timeout:
            if proc.poll() is not None:
                break
            if _fetch(url, timeout=2) is not None:
                startup = time.perf_counter() - start
                break
            time.sleep(0.25)
        if startup is None:
            out["error"] = (
                (
                    f"server exited (code {proc.returncode})"
                    if proc.poll() is not None
                    else f"not serving after {startup_timeout:.0f} s"
                )
                + ": "
                + _tail(Path(log.name), 4)
            )
            return out
        out["startup_s"] = startup
        time.sleep(1.0)  # let the file watcher settle
        text = original.decode("utf-8")
        for number in range(edits):
            token = f"BENCHMARKEDIT{number}X{uuid.uuid4().hex[:6]}"
            edit_file.write_text(text.rstrip("\n") + f"\n\n{token}\n", encoding="utf-8")
            t0 = time.perf_counter()
            seen = None
            while time.perf_counter() - t0 < edit_timeout:
                out["requests"] += 1
                body = _fetch(url, timeout=max(1.0, edit_timeout))
                if body is not None and token in body:
                    seen = time.perf_counter() - t0
                    break
                if proc.poll() is not None:
                    break
                time.sleep(interval)
            if seen is None:
                out["error"] = f"edit not visible after {edit_timeout:.0f} s"
                break
            out["latencies"].append(seen)
            if seen > 30:  # slow enough; more edits would only cost time
                break
            time.sleep(0.5)
    finally:
        edit_file.write_bytes(original)
        rss = _stop(proc)
        if rss is not None:
            out["rss_mb"] = rss
        log.close()
        os.unlink(log.name)
    return out


def _stop(proc: subprocess.Popen[bytes], grace: float = 10.0) -> float | None:
    """Interrupt the server's process group, reap it and return its peak RSS (MB)."""
    if proc.returncode is not None:  # already reaped by poll(): no usage left to read
        return None
    _kill_group(proc, signal.SIGINT)
    box: dict[str, Any] = {}

    def _wait() -> None:
        try:
            _, status, usage = os.wait4(proc.pid, 0)
            box["usage"], box["status"] = usage, status
        except ChildProcessError:
            pass

    waiter = threading.Thread(target=_wait, daemon=True)
    waiter.start()
    waiter.join(grace)
    if waiter.is_alive():
        _kill_group(proc, signal.SIGKILL)
        waiter.join(10)
    _kill_group(proc, signal.SIGKILL)
    proc.returncode = os.waitstatus_to_exitcode(box["status"]) if "status" in box else -9
    return box["usage"].ru_maxrss / 1024 if "usage" in box else None


# ----------------------------------------------------------------------------- helpers


def available(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def prepare_mkdocs_yml(root: Path) -> bool:
    """Copy the project's mkdocs.yml into the corpus root.

    ``docs_dir`` / ``custom_dir`` stay relative when the corpus has that folder (content/pages);
    folders that only exist in the project (package templates) are made absolute.
    """
    source = PROJECT / "mkdocs.yml"
    if not source.is_file():
        return False
    lines = []
    for line in source.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^(\s*(?:docs_dir|custom_dir):\s*)([^\s#]+)(.*)$", line)
        if match:
            value = match.group(2).strip("'\"")
            if (
                not Path(value).is_absolute()
                and not (root / value).exists()
                and (PROJECT / value).exists()
            ):
                line = f"{match.group(1)}{(PROJECT / value).as_posix()}{match.group(3)}"
        lines.append(line)
    (root / "mkdocs.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return True


def dir_stats(folder: Path) -> dict[str, Any]:
    total = html = html_bytes = media = 0
    if folder.is_dir():
        for path in folder.rglob("*"):
            if not path.is_file():
                continue
            size = path.stat().st_size
            total += size
            if path.suffix == ".html":
                html += 1
                html_bytes += size
            elif path.suffix.lower() in {".jpg", ".jpeg", ".png", ".webp"}:
                media += size
    return {"bytes": total, "html_pages": html, "html_bytes": html_bytes, "media_bytes": media}


def profile_summary(path: Path, top: int = 14) -> list[dict[str, Any]]:
    """Top functions by cumulative and own time (paths shortened)."""
    if not path.exists():
        return []
    stats = pstats.Stats(str(path))
    total = max((v[3] for v in stats.stats.values()), default=0.0)  # type: ignore[attr-defined]

    def name(func: tuple[str, int, str]) -> str:
        file, line, fn = func
        short = re.sub(r"^.*/site-packages/", "", file)
        short = short.replace(str(PROJECT) + "/", "")
        return f"{short}:{line}({fn})" if line else fn

    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for order in ("cumulative", "tottime"):
        key = 3 if order == "cumulative" else 2
        ranked = sorted(stats.stats.items(), key=lambda kv: kv[1][key], reverse=True)  # type: ignore[attr-defined]
        picked = 0
        for func, (_cc, nc, tt, ct, _callers) in ranked:
            label = name(func)
            if label in seen or "<frozen" in label or "{built-in method builtins.exec}" in label:
                continue
            if order == "cumulative" and (
                func[0] == "~" or "benchmarks/tasks.py" in label or "<string>" in label
            ):
                continue
            seen.add(label)
            rows.append(
                {
                    "order": order,
                    "function": label,
                    "calls": nc,
                    "tottime": tt,
                    "cumtime": ct,
                    "share": ct / total if total else 0.0,
                }
            )
            picked += 1
            if picked >= top:
                break
    return rows


def machine_info() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = 0.0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_gb = int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    versions = {}
    for pkg in (
        "mkdocs",
        "mkdocs-material",
        "weasyprint",
        "pydantic",
        "PyYAML",
        "opencc",
        "jieba",
        "whoosh-reloaded",
        "Pillow",
        "Markdown",
        "pypdf",
    ):
        try:
            versions[pkg] = importlib.metadata.version(pkg)
        except importlib.metadata.PackageNotFoundError:
            versions[pkg] = "missing"
    try:
        versions["pagefind (npm)"] = json.loads(
            (PROJECT / "node_modules/pagefind/package.json").read_text()
        )["version"]
    except (OSError, ValueError, KeyError):
        versions["pagefind (npm)"] = "missing"
    commit = _git("rev-parse", "--short", "HEAD")
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": round(mem_gb, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": versions,
        "commit": commit,
        "load": os.getloadavg(),
    }


# ----------------------------------------------------------------------------- one size


@dataclass
class Options:
    reps: int
    quick: bool
    timeout: float
    corpus_dir: Path
    images: str
    booklets: int
    seed: int
    profile_size: int | None
    serve_edits: int
    log: Callable[[str], None]
    skip: frozenset[str] = frozenset()
    rep_budget: float = 600.0
    heavy_size: int | None = None
    """The size at which booklets are rendered and the site/booklets are profiled."""
    full_size: int | None = None
    """The size at which the full ``lamplight build`` runs (memory target)."""
    no_cold_site: bool = False
    """Measure the site build warm only."""


def _predicted_too_slow(
    history: dict[int, dict[str, Any]], key: str, n: int, limit: float
) -> float | None:
    """Extrapolate ``key``'s wall time from smaller sizes; return it when over ``limit``."""
    points = sorted(
        (size, r[key]["wall"])
        for size, r in history.items()
        if size < n and isinstance(r.get(key), dict) and r[key].get("wall")
    )
    if not points:
        return None
    if len(points) >= 2 and points[-1][1] > 0 and points[-2][1] > 0:
        (n1, t1), (n2, t2) = points[-2], points[-1]
        slope = max(1.0, math.log(t2 / t1) / math.log(n2 / n1)) if n2 != n1 else 2.0
    else:
        slope = 2.0
    size, wall = points[-1]
    predicted = wall * (n / size) ** slope
    return predicted if predicted > limit else None


def measure_size(n: int, opt: Options, history: dict[int, dict[str, Any]]) -> dict[str, Any]:
    log = opt.log
    res: dict[str, Any] = {
        "n": n,
        "measured_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M"),
        "load_start": os.getloadavg()[0],
        "commit": _commit(),
    }
    root = opt.corpus_dir / f"n{n}"
    images = opt.images if opt.images != "auto" else ("unique" if n <= 2000 else "pooled")
    log(f"[N={n}] generating corpus ({images} photos) in {root}")
    start = time.perf_counter()
    info = corpus_mod.generate(root, n, opt.seed, image_mode=images, booklets=opt.booklets)  # type: ignore[arg-type]
    res["corpus"] = {**info.__dict__, "wall": time.perf_counter() - start}
    have_config = prepare_mkdocs_yml(root)
    timeout = opt.timeout

    def repeat_b(cmd: list[str], reps: int, **kw: Any) -> Stat:
        return repeat(cmd, reps, budget=opt.rep_budget, **kw)

    def skip_if_slow(key: str) -> str | None:
        predicted = _predicted_too_slow(history, key, n, timeout)
        return (
            f"skipped: predicted ≈{predicted:.0f} s from smaller N (limit {timeout:.0f} s)"
            if predicted
            else None
        )

    # --- check ------------------------------------------------------------------------
    log(f"[N={n}] lamplight check")
    reason = skip_if_slow("check")
    check_cmd = [str(BIN / "lamplight"), "check", "--root", str(root)]
    check_cache = root / ".lamplight-cache" / "check.pickle"
    if reason:
        res["check"] = res["check_cold"] = res["check_edit"] = Stat(note=reason)
    else:
        # cold: no per-file cache (a fresh clone); warm: nothing changed since the last check;
        # edit: one story's text changed since the last check (the editor's loop)
        res["check_cold"] = repeat_b(
            check_cmd,
            opt.reps,
            timeout=timeout,
            before=lambda: check_cache.unlink(missing_ok=True),
        )
        run_measured(check_cmd, timeout=timeout)  # leaves the cache current
        res["check"] = repeat_b(check_cmd, opt.reps, timeout=timeout)
        story = root / "showcases" / info.edit_showcase / "story.md" if info.edit_showcase else None
        original = story.read_bytes() if story is not None else b""
        counter = iter(range(1000))

        def _edit() -> None:
            if story is not None:
                story.write_bytes(original + f"\n\n补记 {next(counter)}。\n".encode())

        try:
            res["check_edit"] = (
                repeat_b(check_cmd, opt.reps, timeout=timeout, before=_edit)
                if story is not None
                else Stat(note=NA)
            )
        finally:
            if story is not None:
                story.write_bytes(original)
    log(
        f"[N={n}]   check cold {res['check_cold'].wall} warm {res['check'].wall}"
        f" edit {res['check_edit'].wall}"
    )

    log(f"[N={n}] load_catalogue without the W201 near-copy pass")
    res["check_fast"] = repeat_b(task_cmd("load", root, "--fast-load"), opt.reps, timeout=timeout)

    # --- our site ----------------------------------------------------------------------
    site_ok = available("generators.site.build") and have_config and "site" not in opt.skip
    if "site" in opt.skip:
        res["site_cold"] = res["site_warm"] = Stat(note=SKIPPED)
    elif not site_ok:
        res["site_cold"] = res["site_warm"] = Stat(note=NA)
    else:
        if opt.no_cold_site:
            res["site_cold"] = Stat(note="not measured (`--no-cold-site`)")
        else:
            log(f"[N={n}] site build (cold photo cache)")
            res["site_cold"] = repeat(
                task_cmd("site", root, "--fast-load", "--cold"), 1, timeout=timeout
            )
        if not opt.no_cold_site and (opt.quick or not res["site_cold"].ok):
            res["site_warm"] = res["site_cold"]
        else:
            log(f"[N={n}] site build (warm) ×{opt.reps}")
            res["site_warm"] = repeat_b(
                task_cmd("site", root, "--fast-load"), opt.reps, timeout=timeout
            )
        log(f"[N={n}]   site cold {res['site_cold'].wall} warm {res['site_warm'].wall}")
        if info.edit_showcase:
            log(f"[N={n}] site build after a one-story edit (reusing the previous build)")
            with _story_edited(root, info.edit_showcase):
                res["site_edit"] = repeat(
                    task_cmd("site", root, "--fast-load", "--reuse"), 1, timeout=timeout
                )
            log(f"[N={n}]   site after edit {res['site_edit'].wall}")
    res["site_stats"] = dir_stats(root / "site") if (root / "site").is_dir() else {}
    zip_path = root / "dist" / "lamplight-offline.zip"
    res["zip_bytes"] = zip_path.stat().st_size if zip_path.exists() else None

    # --- plain baseline ----------------------------------------------------------------
    plain_ok = False
    prep_error = ""
    if "plain" not in opt.skip:
        log(f"[N={n}] plain mkdocs-material baseline")
        prep = run_measured(task_cmd("plain-docs", root), timeout=timeout)
        plain_ok = prep.ok and available("generators.urls")
        prep_error = prep.error
        res["plain_prep"] = prep.result or {"error": prep.error}
    for script in ("hans", "hant"):
        if "plain" in opt.skip:
            res[f"plain_{script}"] = Stat(note=SKIPPED)
        elif plain_ok:
            res[f"plain_{script}"] = repeat_b(
                [str(BIN / "mkdocs"), "build", "-q", "-f", f"mkdocs-{script}.yml"],
                opt.reps,
                cwd=root / "plain",
                timeout=timeout,
            )
        else:
            res[f"plain_{script}"] = Stat(
                note=f"baseline not written: {prep_error}" if prep_error else NA
            )
    res["plain_stats"] = {s: dir_stats(root / "plain" / f"site-{s}") for s in ("hans", "hant")}

    # --- search ------------------------------------------------------------------------
    if "search" in opt.skip:
        res["pagefind"] = res["whoosh"] = Stat(note=SKIPPED)
    elif available("generators.search.pagefind") and (root / "site").is_dir():
        log(f"[N={n}] Pagefind (standalone)")
        res["pagefind"] = repeat_b(
            task_cmd("pagefind", root, "--fast-load"), 1 if opt.quick else opt.reps, timeout=timeout
        )
    else:
        res["pagefind"] = Stat(note=NA)
    if "search" in opt.skip:
        pass
    elif available("generators.search.index"):
        log(f"[N={n}] whoosh index")
        res["whoosh"] = repeat_b(task_cmd("whoosh", root, "--fast-load"), opt.reps, timeout=timeout)
    else:
        res["whoosh"] = Stat(note=NA)

    # --- serve: edit → visible ---------------------------------------------------------
    edit_id = info.edit_showcase
    if "serve" in opt.skip:
        res["serve_ours"] = res["serve_plain"] = {"error": SKIPPED}
    elif available("generators.site.build") and have_config and edit_id:
        log(f"[N={n}] lamplight serve: edit → visible")
        res["serve_ours"] = serve_latency(
            [str(BIN / "lamplight"), "serve", "--root", str(root), "--addr"],
            cwd=root,
            url_path=f"stories/{edit_id}/",
            edit_file=root / "showcases" / edit_id / "story.md",
            edits=opt.serve_edits,
            startup_timeout=timeout,
            edit_timeout=min(timeout, 300),
        )
        log(f"[N={n}]   {res['serve_ours']}")
    else:
        res["serve_ours"] = {"error": NA}
    if "serve" in opt.skip:
        pass
    elif (plain_ok or (root / "plain" / "mkdocs-hans.yml").is_file()) and edit_id:
        # (with the plain stage skipped, the plain docs of an earlier run of this corpus)
        log(f"[N={n}] mkdocs serve --dirty (plain): edit → visible")
        res["serve_plain"] = serve_latency(
            [str(BIN / "mkdocs"), "serve", "--dirty", "-f", "mkdocs-hans.yml", "-a"],
            cwd=root / "plain",
            url_path=f"stories/{edit_id}/",
            edit_file=root / "plain" / "docs-hans" / "stories" / f"{edit_id}.md",
            edits=opt.serve_edits,
            startup_timeout=timeout,
            edit_timeout=min(timeout, 300),
        )
        log(f"[N={n}]   {res['serve_plain']}")
    else:
        res["serve_plain"] = {"error": NA}

    # --- booklets ----------------------------------------------------------------------
    if "booklets" in opt.skip:
        res["booklets_seq"] = res["booklets_par"] = Stat(note=SKIPPED)
    elif opt.heavy_size is not None and n != opt.heavy_size:
        note = f"measured at N = {opt.heavy_size:,} only (independent of N)"
        res["booklets_seq"] = res["booklets_par"] = Stat(note=note)
    elif available("generators.booklet.build") and info.booklet_ids:
        slugs = ",".join(info.booklet_ids)
        log(f"[N={n}] booklets sequential ({len(info.booklet_ids)}) + plain WeasyPrint")
        res["booklets_seq"] = repeat(
            task_cmd(
                "booklets-seq",
                root,
                "--fast-load",
                "--slugs",
                slugs,
                "--out",
                str(root / "dist" / "bench-seq"),
            ),
            1,
            timeout=timeout * 2,
        )
        log(f"[N={n}] booklets parallel")
        res["booklets_par"] = repeat(
            task_cmd(
                "booklets-par",
                root,
                "--fast-load",
                "--slugs",
                slugs,
                "--out",
                str(root / "dist" / "bench-par"),
            ),
            1,
            timeout=timeout * 2,
        )
    else:
        res["booklets_seq"] = res["booklets_par"] = Stat(note=NA)

    # --- full build (peak memory) ------------------------------------------------------
    if opt.quick or "full" in opt.skip:
        res["full_build"] = Stat(note=SKIPPED)
    elif opt.full_size is not None and n != opt.full_size:
        res["full_build"] = Stat(note=f"measured at N = {opt.full_size:,} only")
    elif not (site_ok and available("generators.booklet.build")):
        res["full_build"] = Stat(note=NA)
    else:
        reason = skip_if_slow("full_build")
        log(f"[N={n}] full lamplight build (no previous build)")
        build_cmd = [str(BIN / "lamplight"), "build", "--root", str(root)]

        def _no_previous() -> None:
            shutil.rmtree(root / "site", ignore_errors=True)
            for part in ("build", "pagefind"):
                shutil.rmtree(root / ".lamplight-cache" / part, ignore_errors=True)

        res["full_build"] = (
            Stat(note=reason)
            if reason
            else repeat(build_cmd, 1, timeout=timeout * 2, before=_no_previous)
        )
        if res["full_build"].ok and info.edit_showcase:
            log(f"[N={n}] full lamplight build after a one-story edit")
            with _story_edited(root, info.edit_showcase):
                res["full_edit"] = repeat(build_cmd, 1, timeout=timeout * 2)
            log(f"[N={n}] lamplight build --no-booklets after a one-story edit")
            with _story_edited(root, info.edit_showcase, "再补记"):
                res["full_edit_site"] = repeat(
                    [*build_cmd, "--no-booklets"], 1, timeout=timeout * 2
                )
            log(f"[N={n}]   full {res['full_build'].wall} edit {res['full_edit'].wall}")

    # --- profiles ----------------------------------------------------------------------
    res["profiles"] = {}
    if not opt.quick and "profile" not in opt.skip:
        prof_dir = root / "profiles"
        prof_dir.mkdir(exist_ok=True)
        jobs: list[tuple[str, list[str]]] = []
        if opt.profile_size == n:
            jobs.append(
                (
                    "check (load_catalogue)",
                    task_cmd("load", root, "--profile", str(prof_dir / "load.prof")),
                )
            )
        heavy = n == (opt.heavy_size or n)
        if site_ok and heavy:
            jobs.append(
                (
                    "site build (build_site, warm)",
                    task_cmd("site", root, "--fast-load", "--profile", str(prof_dir / "site.prof")),
                )
            )
        if available("generators.booklet.build") and info.booklet_ids and heavy:
            few = ",".join(info.booklet_ids[:6])
            jobs.append(
                (
                    "6 booklets (build_one)",
                    task_cmd(
                        "booklets-seq",
                        root,
                        "--fast-load",
                        "--slugs",
                        few,
                        "--out",
                        str(root / "dist" / "bench-prof"),
                        "--profile",
                        str(prof_dir / "booklets.prof"),
                    ),
                )
            )
        for label, cmd in jobs:
            log(f"[N={n}] profiling {label}")
            prof_path = Path(cmd[cmd.index("--profile") + 1])
            m = run_measured(cmd, timeout=timeout * 2)
            res["profiles"][label] = {
                "wall": m.wall,
                "rows": profile_summary(prof_path) if m.ok else [],
                "error": m.error,
            }
    res["load_end"] = os.getloadavg()[0]
    res["commit_end"] = _commit()
    return res


@contextlib.contextmanager
def _story_edited(root: Path, story_id: str, words: str = "补记") -> Iterator[None]:
    """One story's text changed for the block (restored after)."""
    story = root / "showcases" / story_id / "story.md"
    original = story.read_bytes()
    story.write_bytes(original + f"\n\n{words}：今年又多养了两头猪。\n".encode())
    try:
        yield
    finally:
        story.write_bytes(original)


def _commit() -> str:
    """Short HEAD of the project, with ``+dirty`` when generators/ has uncommitted changes."""
    head = _git("rev-parse", "--short", "HEAD")
    dirty = _git("status", "--porcelain", "--", "generators", "mkdocs.yml")
    return head + ("+dirty" if dirty else "")


def _git(*args: str) -> str:
    """Output of one git command in the project (empty when git fails)."""
    return subprocess.run(
        ["git", "-C", str(PROJECT), *args], capture_output=True, text=True, check=False
    ).stdout.strip()


# ----------------------------------------------------------------------------- report


def _s(value: float | None, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if value >= 100:
        return f"{value:.0f} s"
    return f"{value:.{digits}f} s"


def _mb(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f} MB"


def _stat_cell(stat: Stat | None) -> str:
    if stat is None:
        return "–"
    if not stat.ok:
        return stat.note or "–"
    reps = f" (median of {len(stat.runs)})" if len(stat.runs) > 1 else ""
    memory = _mb(stat.rss_mb)
    if stat.tree_mb and stat.tree_mb > (stat.rss_mb or 0) + 1:
        memory += f" (all processes {_mb(stat.tree_mb)} RSS, {_mb(stat.tree_pss_mb)} PSS)"
    return f"{_s(stat.wall)}{reps}, {memory}" + (f" — {stat.note}" if stat.note else "")


def _ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0 or math.isnan(a) or math.isnan(b):
        return None
    return a / b


def _x(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}×"


def derived(res: dict[str, Any]) -> dict[str, Any]:
    """Numbers computed from one size's raw results (used by the table and the targets)."""
    n = res["n"]
    items = 2 * n
    d: dict[str, Any] = {"items": items}
    warm: Stat = res.get("site_warm") or Stat()
    d["ours_hans"] = warm.phase_median("mkdocs_hans")
    d["ours_hant"] = warm.phase_median("mkdocs_hant")
    d["ours_offline"] = warm.phase_median("offline_copy")
    d["ours_pagefind"] = warm.phase_median("pagefind")
    d["ours_zip"] = warm.phase_median("offline_zip")
    d["ours_build"] = warm.result_median("build_s")
    d["ours_online"] = _sum(d["ours_hans"], d["ours_hant"])
    plain_hans: Stat = res.get("plain_hans") or Stat()
    plain_hant: Stat = res.get("plain_hant") or Stat()
    d["plain_online"] = _sum(plain_hans.wall, plain_hant.wall)
    # The plain build's wall includes interpreter + MkDocs start-up (≈1 s); ours is timed
    # inside one process, so add nothing: the ratio slightly favours the baseline.
    d["overhead"] = _ratio(d["ours_online"], d["plain_online"])
    d["overhead_hans"] = _ratio(d["ours_hans"], plain_hans.wall)
    d["overhead_hant"] = _ratio(d["ours_hant"], plain_hant.wall)
    d["overhead_total"] = _ratio(d["ours_build"], d["plain_online"])
    d["per_item_ours"] = d["ours_online"] / items * 1000 if d["ours_online"] else None
    d["per_item_plain"] = d["plain_online"] / items * 1000 if d["plain_online"] else None
    site_stats = res.get("site_stats") or {}
    plain_stats = (res.get("plain_stats") or {}).get("hans") or {}
    ours_pages = site_stats.get("html_pages")
    d["ours_pages"] = ours_pages
    d["plain_pages"] = plain_stats.get("html_pages")
    plain_pages_total = (
        sum((s.get("html_pages") or 0) for s in (res.get("plain_stats") or {}).values()) or None
    )
    d["per_page_ours"] = (
        d["ours_online"] / ours_pages * 1000 if d["ours_online"] and ours_pages else None
    )
    d["per_page_plain"] = (
        d["plain_online"] / plain_pages_total * 1000
        if d["plain_online"] and plain_pages_total
        else None
    )
    check: Stat = res.get("check") or Stat()
    d["check_per_item"] = check.wall / items * 1000 if check.wall else None
    # booklets
    seq: Stat = res.get("booklets_seq") or Stat()
    par: Stat = res.get("booklets_par") or Stat()
    if seq.results:
        r = seq.results[0]
        per = r.get("booklets", [])
        plain = r.get("plain", [])
        d["booklet_pages"] = sum(b["pages"] for b in per)
        d["booklet_count"] = len(per)
        d["booklet_seq"] = r.get("seq_s")
        warm_ours = per[1:] or per
        warm_plain = plain[1:] or plain
        d["pps_ours"] = _ratio(sum(b["pages"] for b in warm_ours), sum(b["s"] for b in warm_ours))
        d["pps_plain"] = _ratio(
            sum(b["pages"] for b in warm_plain), sum(b["s"] for b in warm_plain)
        )
        d["pps_ratio"] = _ratio(d["pps_ours"], d["pps_plain"])
        d["booklets_failed"] = [b["slug"] for b in per if not b["ok"]]
    if par.results:
        d["booklet_par"] = par.results[0].get("par_s")
        d["booklet_speedup"] = _ratio(d.get("booklet_seq"), d["booklet_par"])
    for key in ("serve_ours", "serve_plain"):
        lat = (res.get(key) or {}).get("latencies") or []
        d[key] = median(lat) if lat else None
    full: Stat = res.get("full_build") or Stat()
    d["full_rss"] = full.rss_mb
    d["full_tree"] = full.tree_mb
    edited: Stat = res.get("site_edit") or Stat()
    d["edit_reused"] = (edited.phase_median("reused_hans"), edited.phase_median("reused_hant"))
    d["edit_ratio"] = _ratio(edited.result_median("build_s"), d["plain_online"])
    return d


def _sum(*values: float | None) -> float | None:
    if any(v is None for v in values):
        return None
    return float(sum(v for v in values if v is not None))


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f} ms"


def _serve_cell(data: dict[str, Any], value: float | None) -> str:
    if value is None:
        return str(data.get("error") or "–")[:160]
    lat = data.get("latencies", [])
    parts = [f"{_s(value)} (median of {len(lat)}, {data.get('requests', 0)} requests)"]
    if data.get("startup_s") is not None:
        parts.append(f"start-up {_s(data['startup_s'])}")
    if data.get("rss_mb"):
        parts.append(_mb(data["rss_mb"]))
    return ", ".join(parts)


ROWS: list[tuple[str, str]] = [
    ("when", "Measured at (UTC); commit at start → end; 1-min load average at start → end"),
    (
        "corpus",
        "Corpus: skills + stories / elders / pairings / booklets / photos (Traditional stories)",
    ),
    ("check_cold", "`lamplight check`, cold (no cache: first run on a fresh clone)"),
    ("check", "`lamplight check`, warm (nothing changed since the last check)"),
    ("check_edit", "`lamplight check` after editing one story (the editor's loop)"),
    ("check_per_item", "check per item"),
    ("check_fast", "`load_catalogue` without the W201 near-copy pass (process wall / in-process)"),
    ("site_cold", "Our site, cold caches: `build_site` total"),
    (
        "site_warm",
        "Our site, warm: `build_site` total (2 scripts + offline copy + Pagefind + zip; every"
        " page rendered, every Pagefind part indexed)",
    ),
    ("ours_hans", "  our MkDocs build, Simplified"),
    ("ours_hant", "  our MkDocs build, Traditional"),
    ("ours_offline", "  offline copy (the built pages, links rewritten for file://)"),
    ("ours_pagefind", "  Pagefind inside the build"),
    ("ours_zip", "  offline zip"),
    ("plain_hans", "Plain mkdocs-material, Simplified"),
    ("plain_hant", "Plain mkdocs-material, Traditional"),
    ("overhead", "**Site overhead** (our 2 online builds ÷ plain 2 builds)"),
    ("overhead_total", "Whole `build_site` ÷ plain 2 builds"),
    ("site_edit", "Our site after a one-story edit: `build_site` reusing the previous build"),
    ("edit_reused", "  pages copied from the previous build, Simplified / Traditional"),
    ("edit_ratio", "  ÷ plain 2 builds"),
    ("per_item", "Per item (skill or story), ours / plain"),
    ("pages", "HTML pages per script, ours / plain"),
    ("per_page", "Per HTML page, ours / plain"),
    ("site_size", "Site size ours (both scripts) / plain (both); HTML bytes per page ours / plain"),
    ("zip", "Offline zip"),
    ("pagefind", "Pagefind index, standalone `index_site`"),
    ("whoosh", "whoosh index, `build_index`"),
    ("serve_ours", "Edit → visible, `lamplight serve`"),
    ("serve_plain", "Edit → visible, plain `mkdocs serve --dirty`"),
    ("booklet_pps", "Booklet pages/s (warm): ours / plain WeasyPrint (same HTML) = ratio"),
    ("booklets_seq", "All booklets sequentially (one process)"),
    ("booklets_par", "All booklets in parallel (`render_booklets`, 2 processes)"),
    ("booklet_speedup", "Parallel speed-up"),
    (
        "full_build",
        "Full `lamplight build` (check + site + whoosh + booklets), no previous build"
        " (the other caches warm)",
    ),
    ("full_edit", "Full `lamplight build` after a one-story edit"),
    ("full_edit_site", "`lamplight build --no-booklets` after a one-story edit"),
]


def cell(key: str, res: dict[str, Any], d: dict[str, Any]) -> str:
    if key == "when":
        start, end = res.get("load_start"), res.get("load_end")
        load = f"{start:.1f} → {end:.1f}" if start is not None and end is not None else "–"
        commits = f"{res.get('commit', '?')} → {res.get('commit_end', '?')}"
        return f"{res.get('measured_at', '–')}; {commits}; {load}"
    if key == "corpus":
        c = res["corpus"]
        return (
            f"{c['skills']} + {c['showcases']} / {c['elders']} / {c['pairings']} / {c['booklets']} / "
            f"{c['photos']} ({c['photo_bytes'] / 1e6:.0f} MB, {c['image_mode']}) ({c['hant_showcases']} Trad.)"
        )
    if key in (
        "check",
        "check_cold",
        "check_edit",
        "site_cold",
        "site_warm",
        "plain_hans",
        "plain_hant",
        "pagefind",
        "whoosh",
        "full_build",
        "full_edit",
        "full_edit_site",
        "site_edit",
    ):
        stat: Stat = res.get(key) or Stat(note="–")
        text = _stat_cell(stat)
        if key in ("pagefind", "whoosh") and stat.ok:
            work = stat.result_median("work_s")
            text += f" (work {_s(work)})" if work is not None else ""
        return text
    if key == "check_fast":
        stat = res.get("check_fast") or Stat(note="–")
        inner = stat.result_median("load_s") if stat.ok else None
        return _stat_cell(stat) + (f" / {_s(inner)}" if inner is not None else "")
    if key == "check_per_item":
        return _ms(d.get("check_per_item"))
    if key in ("ours_hans", "ours_hant", "ours_offline", "ours_pagefind", "ours_zip"):
        return _s(d.get(key))
    if key == "edit_reused":
        hans, hant = d.get("edit_reused") or (None, None)
        return "–" if hans is None else f"{hans:.0f} / {hant:.0f}"
    if key == "edit_ratio":
        return _x(d.get("edit_ratio"))
    if key in ("overhead", "overhead_total"):
        extra = ""
        if key == "overhead" and d.get("overhead_hans") is not None:
            extra = f" (Simplified {_x(d['overhead_hans'])}, Traditional {_x(d['overhead_hant'])})"
        return _x(d.get(key)) + extra
    if key == "per_item":
        return f"{_ms(d.get('per_item_ours'))} / {_ms(d.get('per_item_plain'))}"
    if key == "pages":
        return (
            f"{d.get('ours_pages') or '–'} / {d.get('plain_pages') or '–'}"
            if d.get("ours_pages") or d.get("plain_pages")
            else "–"
        )
    if key == "per_page":
        return f"{_ms(d.get('per_page_ours'))} / {_ms(d.get('per_page_plain'))}"
    if key == "site_size":
        s = res.get("site_stats") or {}
        p = res.get("plain_stats") or {}
        pb = sum(v.get("bytes", 0) for v in p.values())
        ph = sum(v.get("html_bytes", 0) for v in p.values())
        pp = sum(v.get("html_pages", 0) for v in p.values())
        if not s and not pb:
            return "–"
        ours = (
            (
                f"{s['bytes'] / 1e6:.0f} MB (media {s['media_bytes'] / 1e6:.0f} MB), "
                f"{s['html_bytes'] / max(1, s['html_pages']) / 1024:.1f} KB/page"
            )
            if s
            else "–"
        )
        plain = f"{pb / 1e6:.0f} MB, {ph / max(1, pp) / 1024:.1f} KB/page" if pb else "–"
        return f"{ours} / {plain}"
    if key == "zip":
        return "–" if not res.get("zip_bytes") else f"{res['zip_bytes'] / 1e6:.0f} MB"
    if key in ("serve_ours", "serve_plain"):
        return _serve_cell(res.get(key) or {}, d.get(key))
    if key == "booklet_pps":
        if d.get("pps_ours") is None:
            return (res.get("booklets_seq") or Stat(note="–")).note or "–"
        failed = (
            f" ({len(d['booklets_failed'])} failed preflight)" if d.get("booklets_failed") else ""
        )
        return (
            f"{d['pps_ours']:.1f} / {d['pps_plain']:.1f} = {_x(d['pps_ratio'])} "
            f"({d['booklet_pages']} pages in {d['booklet_count']} booklets){failed}"
        )
    if key == "booklets_seq":
        stat = res.get("booklets_seq") or Stat(note="–")
        return (
            f"{_s(d.get('booklet_seq'))} rendering; process {_stat_cell(stat)}"
            if d.get("booklet_seq")
            else _stat_cell(stat)
        )
    if key == "booklets_par":
        stat = res.get("booklets_par") or Stat(note="–")
        return (
            f"{_s(d.get('booklet_par'))} rendering; process {_stat_cell(stat)}"
            if d.get("booklet_par")
            else _stat_cell(stat)
        )
    if key == "booklet_speedup":
        return _x(d.get("booklet_speedup"))
    return "–"


TARGETS = [
    "Site overhead ≤ 1.3× at N=1,000",
    "Per-item site cost at N=10,000 within 1.5× of N=1,000",
    "`lamplight check` at N=1,000 < 3 s",
    "Edit → visible in `lamplight serve` at N=1,000 < 2 s",
    "Booklet pages/s ≥ 0.9× plain WeasyPrint",
    "40 booklets in parallel ≈ 2× faster than sequential (≥ 1.8×)",
    "Peak memory of a full build at N=10,000 < 2 GB",
    "Whole `build_site` at N=1,000 ≤ 1.5× plain mkdocs-material's two builds",
    "`lamplight build` after a one-story edit at N=1,000 < 20 s",
    "Whole site build at N=10,000 (warm) < 12 min",
    "All processes of a full build at N=10,000 together < 2 GB",
]


def evaluate_targets(
    all_res: dict[int, dict[str, Any]], ders: dict[int, dict[str, Any]]
) -> list[tuple[str, str, str]]:
    def at(n: int, key: str) -> Any:
        return ders.get(n, {}).get(key)

    def verdict(ok: bool | None) -> str:
        return "not measured" if ok is None else ("**met**" if ok else "**not met**")

    out: list[tuple[str, str, str]] = []
    ov = at(1000, "overhead")
    out.append((TARGETS[0], _x(ov), verdict(None if ov is None else ov <= 1.3)))
    a, b = at(1000, "per_item_ours"), at(10000, "per_item_ours")
    r = _ratio(b, a)
    out.append(
        (
            TARGETS[1],
            f"{_ms(b)} vs {_ms(a)} = {_x(r)}" if r else "–",
            verdict(None if r is None else r <= 1.5),
        )
    )
    chk = all_res.get(1000, {}).get("check_edit") or all_res.get(1000, {}).get("check")
    cw = chk.wall if isinstance(chk, Stat) else None
    cold = all_res.get(1000, {}).get("check_cold")
    cold_note = f"; cold {_s(cold.wall)}" if isinstance(cold, Stat) and cold.wall else ""
    out.append(
        (
            TARGETS[2],
            (f"{_s(cw)} after a one-story edit{cold_note}" if cw else None)
            or (chk.note if isinstance(chk, Stat) and chk.note else "–"),
            verdict(None if cw is None else cw < 3),
        )
    )
    sv = at(1000, "serve_ours")
    err = (all_res.get(1000, {}).get("serve_ours") or {}).get("error")
    out.append(
        (
            TARGETS[3],
            _s(sv) if sv else (str(err)[:120] if err else "–"),
            verdict(None if sv is None else sv < 2)
            if not (sv is None and err and 1000 in all_res and err != NA)
            else "**not met**",
        )
    )
    sizes = sorted(ders)
    pps = next(
        (ders[n]["pps_ratio"] for n in reversed(sizes) if ders[n].get("pps_ratio") is not None),
        None,
    )
    out.append((TARGETS[4], _x(pps), verdict(None if pps is None else pps >= 0.9)))
    sp_n = next((n for n in reversed(sizes) if ders[n].get("booklet_speedup") is not None), None)
    sp = ders[sp_n]["booklet_speedup"] if sp_n else None
    count = ders[sp_n].get("booklet_count") if sp_n else None
    out.append(
        (
            TARGETS[5],
            f"{_x(sp)} ({count} booklets, N={sp_n})" if sp else "–",
            verdict(None if sp is None else round(sp, 2) >= 1.8),
        )
    )
    full = all_res.get(10000, {}).get("full_build")
    rss = full.rss_mb if isinstance(full, Stat) and full.ok else None
    out.append(
        (
            TARGETS[6],
            _mb(rss) if rss else (full.note if isinstance(full, Stat) and full.note else "–"),
            verdict(None if rss is None else rss < 2048),
        )
    )
    total = at(1000, "overhead_total")
    out.append((TARGETS[7], _x(total), verdict(None if total is None else total <= 1.5)))
    edit = all_res.get(1000, {}).get("full_edit")
    edit_s = edit.wall if isinstance(edit, Stat) and edit.ok else None
    site_only = all_res.get(1000, {}).get("full_edit_site")
    site_s = site_only.wall if isinstance(site_only, Stat) and site_only.ok else None
    out.append(
        (
            TARGETS[8],
            f"{_s(edit_s)} (without booklets {_s(site_s)})" if edit_s else "–",
            verdict(None if edit_s is None else edit_s < 20),
        )
    )
    warm = all_res.get(10000, {}).get("site_warm")
    warm_s = warm.wall if isinstance(warm, Stat) and warm.ok else None
    out.append((TARGETS[9], _s(warm_s), verdict(None if warm_s is None else warm_s < 720)))
    tree = full.tree_mb if isinstance(full, Stat) and full.ok else None
    out.append((TARGETS[10], _mb(tree), verdict(None if tree is None else tree < 2048)))
    return out


def write_report(
    path: Path,
    all_res: dict[int, dict[str, Any]],
    machine: dict[str, Any],
    opt: Options,
    started: dt.datetime,
    seconds: float,
) -> None:
    sizes = sorted(all_res)
    ders = {n: derived(all_res[n]) for n in sizes}
    lines: list[str] = []
    add = lines.append
    add("# Lamplight benchmarks")
    add("")
    add(
        f"Run {started:%Y-%m-%d %H:%M} UTC, {seconds / 60:.0f} min, `python -m benchmarks --sizes "
        f"{','.join(str(s) for s in sizes)}{' --quick' if opt.quick else ''}` at commit `{machine['commit']}`."
    )
    add("")
    add(
        f"- Machine: {machine['cpu']}, {machine['cores']} cores, {machine['ram_gb']} GB RAM, {machine['platform']}, Python {machine['python']}"
    )
    add("- Packages: " + ", ".join(f"{k} {v}" for k, v in machine["versions"].items()))
    load = machine["load"]
    add(
        f"- Load average at start: {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} (shared machine: compare within a column, "
        "quote ratios; absolute seconds are noisy)"
    )
    add(
        f"- Repetitions: median of {opt.reps} where cheap (check, site warm, plain builds, whoosh, Pagefind); "
        "cold site, booklets, serve and full build once (serve: median of the edits)"
    )
    add("")
    add("## Results")
    add("")
    add("| Measurement | " + " | ".join(f"N = {n:,}" for n in sizes) + " |")
    add("|---|" + "---|" * len(sizes))
    for key, label in ROWS:
        add(
            f"| {label} | "
            + " | ".join(cell(key, all_res[n], ders[n]).replace("|", "\\|") for n in sizes)
            + " |"
        )
    add("")
    add("## Targets")
    add("")
    add("| Target | Measured | Verdict |")
    add("|---|---|---|")
    for target, value, verdict in evaluate_targets(all_res, ders):
        add(f"| {target} | {value} | {verdict} |")
    add("")
    profiles = [
        (n, label, prof)
        for n in sizes
        for label, prof in (all_res[n].get("profiles") or {}).items()
    ]
    if profiles:
        add("## Where the time goes (cProfile)")
        add("")
        add(
            "cProfile adds overhead (roughly 1.5–2× on pure-Python code), so read shares, not seconds."
        )
        for n, label, prof in profiles:
            add("")
            add(f"### {label}, N = {n:,} (profiled wall {_s(prof['wall'])})")
            add("")
            if not prof["rows"]:
                add(f"No profile: {prof.get('error') or 'failed'}")
                continue
            add("| Function | calls | own s | cumulative s | share |")
            add("|---|---|---|---|---|")
            for row in prof["rows"]:
                if row["order"] == "cumulative":
                    add(
                        f"| `{row['function']}` | {row['calls']} | {row['tottime']:.2f} | {row['cumtime']:.2f} | {row['share']:.0%} |"
                    )
            add("")
            add("Most own time:")
            add("")
            add("| Function | calls | own s | cumulative s |")
            add("|---|---|---|---|")
            for row in prof["rows"]:
                if row["order"] == "tottime":
                    add(
                        f"| `{row['function']}` | {row['calls']} | {row['tottime']:.2f} | {row['cumtime']:.2f} |"
                    )
    add("")
    add("## How it is measured")
    add("")
    add(METHOD)
    notes = [f"N={n}: {k}: {v}" for n in sizes for k, v in _notes(all_res[n]).items()]
    if notes:
        add("")
        add("### Problems during this run")
        add("")
        for note in notes:
            add(f"- {note}")
    path.parent.mkdir(parents=True, exist_ok=True)
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    analysis = ""
    marker = "<!-- analysis -->"
    if marker in existing:
        analysis = existing[existing.index(marker) :]
    text = "\n".join(lines) + "\n"
    if analysis:
        text += "\n" + analysis.rstrip("\n") + "\n"
    path.write_text(text, encoding="utf-8")


def _notes(res: dict[str, Any]) -> dict[str, str]:
    notes: dict[str, str] = {}
    for key, value in res.items():
        if (
            isinstance(value, Stat)
            and value.note
            and value.note not in (NA, SKIPPED)
            and not value.ok
        ):
            notes[key] = value.note
        elif (
            isinstance(value, dict)
            and value.get("error")
            and value.get("error") not in (NA, SKIPPED)
        ):
            notes[key] = str(value["error"])[:300]
    d = derived(res)
    if d.get("booklets_failed"):
        notes["booklets"] = "preflight failed for " + ", ".join(d["booklets_failed"])
    return notes


METHOD = """\
- **Corpus** (`benchmarks/corpus.py`, seed 20240601): N skills and N showcases in the real format,
  N/20 elders, N/5 pairings, 40 booklets (4 stories + 2 tutorials each; every 4th large print,
  every 4th Traditional), 3 general pages; a taxonomy listing every region and tag used.
  Text is assembled from phrase banks plus combinatorial sentences (so items on the same trade
  share phrases but are not clones); about a third of the stories and a tenth of the tutorials
  are Traditional (OpenCC `s2t`). Photos are 1600×1067 JPEGs (~40–60 KB each); with `unique`
  every file differs by a JPEG comment (so the content-hash photo cache resizes each one), with
  `pooled` (used above N = 2,000 to keep generation and the cold build bounded) they are hard
  links to 8 pool images, which makes the photo cache and the `media/` folder unrealistically small.
- **Wall time and peak RSS**: each measurement is a fresh subprocess; wall from the outside,
  peak RSS from `os.wait4` (max over the process and the children it waited for, e.g. the
  Pagefind binary or the booklet worker pool).
- **check**: `lamplight check --root CORPUS` (the real CLI, including the W201 near-copy pass),
  three ways: cold (`.lamplight-cache/check.pickle` deleted before each run, as on a fresh
  clone), warm (nothing changed since the previous check) and after appending a sentence to one
  story before each run (what an editor does between two checks).
- **Our site**: `python -m benchmarks.tasks site` loads the catalogue (without the W201 pass,
  which check measures), then calls `generators.pipeline.build_site`, timing each of its
  two MkDocs builds (Simplified, and Traditional in a forked process beside it), Pagefind
  (forked, beside the offline copy of the built pages) and the zip; steps overlap.
  "Cold" deletes `.lamplight-cache/images`, `related`, `qr` and `convert` (resized photos,
  word cuts and related-item answers, QR codes, converted pages) first; "warm" reuses them, as
  a rebuild of unchanged content does. "Site overhead" compares our two online
  builds (Simplified + Traditional) with two plain builds; the plain builds' walls include
  interpreter and MkDocs start-up (~1 s each), which slightly favours the baseline at N=100.
- **Plain baseline** (`benchmarks/plain.py`): the same published items as plain Markdown (fields
  as lists/tables, body, photos as-is), paginated section and facet lists (20 per page),
  Simplified and Traditional copies; stock mkdocs-material, `navigation.prune`, a 4-entry nav,
  `plugins: []` (built-in search off); `mkdocs build -q`.
- **Serve**: start `lamplight serve` (or `mkdocs serve --dirty` on the plain docs) on a free
  127.0.0.1 port, wait until the story page answers, append a unique token to one Simplified
  story, poll the page every 50 ms until the token appears (bounded time and request count),
  three edits, then restore the file.
- **Booklets**: sequential = `build_one` for each booklet in one process (the press PDF, A4
  imposition, instructions, preflight and ticket), timed per booklet; the HTML passed to
  WeasyPrint is captured and re-rendered with plain `HTML(string=…).render().write_pdf()`; pages/s
  exclude the first (cold) booklet in both. Parallel = `render_booklets` as shipped (a pool of
  min(2, cores) processes).
- **Full build**: `lamplight build --root CORPUS`, once; its peak RSS is the memory target.
"""


# ----------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description="Lamplight benchmarks."
    )
    parser.add_argument(
        "--sizes", default="100,1000", help="comma-separated N values (default 100,1000)"
    )
    parser.add_argument("--out", type=Path, default=PROJECT / "docs" / "benchmarks.md")
    parser.add_argument(
        "--quick", action="store_true", help="one repetition, 4 booklets, one edit, no profiles"
    )
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=900, help="seconds per measurement")
    parser.add_argument(
        "--corpus-dir", type=Path, default=Path(__file__).resolve().parent / "corpus"
    )
    parser.add_argument("--images", choices=("auto", "unique", "pooled"), default="auto")
    parser.add_argument(
        "--booklets",
        type=int,
        default=None,
        help="booklets in the corpus (default 40; 4 with --quick)",
    )
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument(
        "--profile-size",
        type=int,
        default=None,
        help="N at which to profile (default 1000 if measured, else the largest)",
    )
    parser.add_argument("--json", type=Path, default=None, help="also write raw results here")
    parser.add_argument(
        "--rep-budget",
        type=float,
        default=600,
        help="stop repeating a measurement past this many seconds",
    )
    parser.add_argument(
        "--merge-json",
        type=Path,
        action="append",
        default=[],
        help="raw results of an earlier run to show beside this one (sizes not measured now)",
    )
    parser.add_argument(
        "--booklets-at", type=int, default=None, help="N at which to render booklets"
    )
    parser.add_argument(
        "--full-at", type=int, default=None, help="N at which to run the full build"
    )
    parser.add_argument(
        "--no-cold-site",
        action="store_true",
        help="measure the site build only warm (the corpus's caches come from an earlier build;"
        " at N = 10,000 a cold build takes over half an hour)",
    )
    parser.add_argument(
        "--skip", default="", help="comma-separated stages to skip: " + ",".join(STAGES)
    )
    args = parser.parse_args(argv)

    sizes = sorted(
        {int(s.replace("_", "").replace(",", "")) for s in args.sizes.split(",") if s.strip()}
    )
    reps = 1 if args.quick else max(1, args.reps)
    profile_size = args.profile_size or (1000 if 1000 in sizes else sizes[-1])

    def log(message: str) -> None:
        print(f"{time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)

    opt = Options(
        reps=reps,
        quick=args.quick,
        timeout=args.timeout,
        corpus_dir=args.corpus_dir.resolve(),
        images=args.images,
        booklets=args.booklets if args.booklets is not None else (4 if args.quick else 40),
        seed=args.seed,
        profile_size=profile_size,
        serve_edits=1 if args.quick else 3,
        log=log,
        skip=frozenset(s.strip() for s in args.skip.split(",") if s.strip()),
        rep_budget=args.rep_budget,
        heavy_size=args.booklets_at or next((s for s in sizes if s >= 100), sizes[0]),
        full_size=args.full_at or sizes[-1],
        no_cold_site=args.no_cold_site,
    )
    unknown = opt.skip - set(STAGES)
    if unknown:
        parser.error(f"unknown stage(s) for --skip: {', '.join(sorted(unknown))}")
    started = dt.datetime.now(dt.UTC)
    t0 = time.perf_counter()
    machine = machine_info()
    all_res: dict[int, dict[str, Any]] = {}
    for merge in args.merge_json:
        for key, value in json.loads(merge.read_text(encoding="utf-8")).items():
            if int(key) not in sizes:
                all_res[int(key)] = _from_jsonable(value)
    raw_path = args.json or (opt.corpus_dir / f"results-{started:%Y%m%d-%H%M}.json")
    for n in sizes:
        all_res[n] = measure_size(n, opt, {k: _plain_history(v) for k, v in all_res.items()})
        write_report(args.out, all_res, machine, opt, started, time.perf_counter() - t0)
        raw_path.parent.mkdir(parents=True, exist_ok=True)
        raw_path.write_text(
            json.dumps(
                {str(k): _jsonable(v) for k, v in all_res.items()},
                ensure_ascii=False,
                indent=1,
                default=str,
            ),
            encoding="utf-8",
        )
        log(f"[N={n}] done; report written to {args.out}")
    return 0


_STAT_KEYS = {"wall", "rss_mb", "runs", "results", "note"}


def _from_jsonable(res: dict[str, Any]) -> dict[str, Any]:
    return {
        k: Stat.from_json(v)
        if isinstance(v, dict) and _STAT_KEYS <= set(v) <= _STAT_KEYS | {"tree_mb", "tree_pss_mb"}
        else v
        for k, v in res.items()
    }


def _plain_history(res: dict[str, Any]) -> dict[str, Any]:
    return {k: {"wall": v.wall} for k, v in res.items() if isinstance(v, Stat)}


def _jsonable(res: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.to_json() if isinstance(v, Stat) else v) for k, v in res.items()}


__all__ = ["main", "run_measured", "serve_latency", "ROWS", "TARGETS"]


if __name__ == "__main__":
    raise SystemExit(main())
