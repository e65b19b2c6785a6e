"""Fork pools for the per-file and per-item work of a load, and how many processes to use."""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
from typing import Any, TypeVar

S = TypeVar("S")
C = TypeVar("C")
T = TypeVar("T")

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


_CHILD_STATE: Any = None
"""A pool child's state: set once by :func:`_start_child` from the pool's ``initargs``."""


def _start_child(state: Any) -> None:
    global _CHILD_STATE
    _CHILD_STATE = state


def _run_chunk(job: tuple[Callable[[Any, Any], Any], Any]) -> Any:
    func, chunk = job
    return func(_CHILD_STATE, chunk)


def fork_map(func: Callable[[S, C], T], state: S, chunks: list[C], jobs: int) -> list[T]:
    """``[func(state, chunk) for chunk in chunks]`` in ``jobs`` forked processes.

    ``state`` reaches each child once, through the fork (never pickled): it may be large.
    ``func`` must be a module-level function; results come back in order.
    """
    context = multiprocessing.get_context("fork")
    with context.Pool(jobs, initializer=_start_child, initargs=(state,)) as pool:
        return list(pool.imap(_run_chunk, [(func, chunk) for chunk in chunks]))
