"""The content layer: read, validate and model everything editors write.

``load_catalogue`` reads every file once and returns the validated :class:`Catalogue` with a
report of every problem; generators (site, search, booklets) work on that model only.
"""

from .catalogue import (
    STORY_SECTIONS,
    Catalogue,
    Page,
    Record,
    Reloader,
    Source,
    load_catalogue,
    load_or_raise,
)
from .kinds import KINDS, Kind

__all__ = [
    "KINDS",
    "STORY_SECTIONS",
    "Catalogue",
    "Kind",
    "Page",
    "Record",
    "Reloader",
    "Source",
    "load_catalogue",
    "load_or_raise",
]
