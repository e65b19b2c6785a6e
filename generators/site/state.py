"""Hand a catalogue that ``build_site`` already loaded to the plugin (instead of reloading it)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..content import Catalogue

_PRELOADED: dict[Path, Catalogue] = {}


@contextmanager
def preloaded(cat: Catalogue) -> Iterator[None]:
    """Make ``cat`` the catalogue for builds of its root while the block runs."""
    key = cat.root.resolve()
    previous = _PRELOADED.get(key)
    _PRELOADED[key] = cat
    try:
        yield
    finally:
        if previous is None:
            _PRELOADED.pop(key, None)
        else:
            _PRELOADED[key] = previous


def catalogue_for(root: Path) -> Catalogue | None:
    """The preloaded catalogue for ``root``, if any."""
    return _PRELOADED.get(root.resolve())


# --------------------------------------------------------------------------- live preview


@dataclass
class PreviewPages:
    """What the previous preview build wrote, for one root, script and site folder."""

    signatures: dict[str, str] = field(default_factory=dict)
    """Page source → fingerprint of everything its HTML was rendered from."""
    dests: dict[str, str] = field(default_factory=dict)
    """Page source → the file it was written to."""
    media: set[str] = field(default_factory=set)
    """Photo files (content-hashed names under media/) already in the site folder."""


_PREVIEW_ROOTS: set[Path] = set()
_PREVIEW_PAGES: dict[tuple[str, ...], PreviewPages] = {}


@contextmanager
def previewing(root: Path) -> Iterator[None]:
    """Builds of ``root`` inside this block are live-preview rebuilds (unchanged pages skipped)."""
    key = root.resolve()
    _PREVIEW_ROOTS.add(key)
    try:
        yield
    finally:
        _PREVIEW_ROOTS.discard(key)
        for stale in [k for k in _PREVIEW_PAGES if k[0] == str(key)]:
            _PREVIEW_PAGES.pop(stale)


def is_preview(root: Path) -> bool:
    """True while ``root`` is being previewed by ``lamplight serve``."""
    return root.resolve() in _PREVIEW_ROOTS


def preview_pages(key: tuple[str, ...]) -> PreviewPages:
    """The record of the previous preview build for ``key`` (root first)."""
    return _PREVIEW_PAGES.setdefault(key, PreviewPages())


def forget_preview(key: tuple[str, ...]) -> None:
    """Forget what was written (the next preview build renders every page)."""
    _PREVIEW_PAGES.pop(key, None)


_GC_HELD = False


def hold_gc() -> None:
    """Pause the cyclic garbage collector for one preview rebuild.

    A long-running preview holds the catalogue, the plan and MkDocs' objects: every full
    collection during a rebuild walks all of them again (about a quarter of a rebuild at
    N = 1,000). Reference counting still frees almost everything; cycles wait until
    :func:`release_gc`.
    """
    global _GC_HELD
    if not _GC_HELD and gc.isenabled():
        gc.disable()
        _GC_HELD = True


def release_gc() -> None:
    """Resume the garbage collector paused by :func:`hold_gc` (no-op otherwise)."""
    global _GC_HELD
    if _GC_HELD:
        _GC_HELD = False
        gc.enable()
