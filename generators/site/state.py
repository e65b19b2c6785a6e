"""Hand a catalogue that ``build_site`` already loaded to the plugin (instead of reloading it)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..catalogue import Catalogue

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
