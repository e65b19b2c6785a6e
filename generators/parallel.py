"""Work spread over forked processes that inherit one large, read-only state.

A process pool has one per-worker channel: its initializer. :func:`fork_map` hands the state
to each child once through it (inherited with the fork, never pickled); ``_CHILD_STATE`` is
that child-side slot and the only module-level variable written at run time in the package.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from typing import Any, TypeVar

S = TypeVar("S")
C = TypeVar("C")
T = TypeVar("T")

_CHILD_STATE: Any = None
"""A pool child's state, set once by :func:`_start_child` (in the child process only)."""


def _start_child(state: Any) -> None:
    global _CHILD_STATE
    _CHILD_STATE = state


def _run(job: tuple[Callable[[Any, Any], Any], Any]) -> Any:
    func, item = job
    return func(_CHILD_STATE, item)


def fork_map(
    func: Callable[[S, C], T], state: S, items: list[C], jobs: int, chunksize: int = 1
) -> list[T]:
    """``[func(state, item) for item in items]`` in ``jobs`` forked processes, in order.

    ``state`` reaches each child once, through the fork: it may be large. ``func`` must be a
    module-level function (it is pickled with each item).
    """
    context = multiprocessing.get_context("fork")
    with context.Pool(jobs, initializer=_start_child, initargs=(state,)) as pool:
        return list(pool.imap(_run, [(func, item) for item in items], chunksize))
