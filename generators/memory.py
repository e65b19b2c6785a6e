"""Giving freed memory back to the operating system between the steps of a build.

CPython frees objects into its allocators, which keep the pages: after a step that made and
dropped a lot (loading and checking 20,000 items; a MkDocs build), the process stays as large as
that step's peak. Between steps that matters twice: the next step starts from there, and the
Pagefind and booklet worker processes run beside it. glibc's ``malloc_trim`` returns the free
pages (measured in docs/benchmarks.md).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gc
from collections.abc import Callable


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        trim = ctypes.CDLL(name).malloc_trim  # glibc only
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim  # type: ignore[no-any-return]


def release_free_memory(*, collect: bool = False) -> None:
    """Return free heap pages to the system (no-op without glibc); with ``collect``, first
    free the unreachable cycles a step left (MkDocs' pages and navigation hold many)."""
    if collect:
        gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


__all__ = ["release_free_memory"]
