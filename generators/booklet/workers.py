"""Several booklets rendered at once in forked worker processes, the largest first."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable
from typing import TypeVar

from ..content import Catalogue
from ..parallel import fork_map
from .select import BookletRefused, select

S = TypeVar("S")
T = TypeVar("T")


def in_workers(
    cat: Catalogue, func: Callable[[S, str], T], state: S, slugs: list[str]
) -> dict[str, T]:
    """``func(state, slug)`` of every booklet in forked worker processes, by slug (empty
    when there is only one worker or the pool fails: the caller then builds them itself)."""
    limit = os.environ.get("LAMPLIGHT_BOOKLET_WORKERS", "")
    workers = min(int(limit) if limit.isdigit() else 2, os.cpu_count() or 1, len(slugs))
    if workers <= 1:
        return {}
    # Largest booklets first, so the last ones to finish are short and both workers
    # stay busy to the end. The catalogue reaches each worker once, at start-up (for
    # free with fork), never once per booklet.
    order = sorted(slugs, key=lambda slug: -weight(cat, slug))
    # The forked workers share the parent's pages until they write to them; their garbage
    # collector writes to the header of every object it visits, which would copy the whole
    # catalogue into each worker. Objects frozen before the fork are never visited.
    gc.freeze()
    try:
        return dict(zip(order, fork_map(func, state, order, workers), strict=True))
    except (OSError, RuntimeError, TypeError, AttributeError):  # pickling or pool trouble
        return {}
    finally:
        gc.unfreeze()


def weight(cat: Catalogue, slug: str) -> float:
    """Rough rendering cost of a booklet (printed characters, photos), to order the work."""
    booklet = cat.booklets.get(slug)
    if booklet is None:
        return 0.0
    try:
        selection = select(cat, booklet)
    except BookletRefused:
        return 0.0
    chars = sum(len(cat.body(show)) for show in selection.showcases)
    chars += sum(len(cat.body(skill)) for skill in selection.skills)
    photos = sum(len(show.photos) for show in selection.showcases)
    photos += sum(len([step for step in skill.steps if step.image]) for skill in selection.skills)
    # Large print sets about 2.3 times fewer characters on a page.
    scale = 2.3 if booklet.edition == "large_print" else 1.0
    return chars * scale + photos * 1500
