"""How many processes the per-file and per-item work of a load uses (forked by ``parallel``)."""

from __future__ import annotations

import os
import threading

PARALLEL_MIN_FILES = 300
"""Below this many files to read, loading stays in one process."""
MAX_JOBS = 4
"""At most this many processes (more only add start-up and transfer cost)."""


def jobs_for(pending: int) -> int:
    """How many processes to use for ``pending`` files (``LAMPLIGHT_CHECK_JOBS`` overrides,
    never with more processes than files)."""
    env = os.environ.get("LAMPLIGHT_CHECK_JOBS", "")
    if env.isdigit() and int(env) > 0:
        return max(1, min(int(env), pending))
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if pending < PARALLEL_MIN_FILES or (cpus or 1) < 2 or threading.active_count() > 1:
        return 1
    return min(cpus or 1, MAX_JOBS)
