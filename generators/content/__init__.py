"""The content layer: read, validate and model everything editors write.

``load_catalogue`` reads every file once and returns the validated :class:`Catalogue` with a
report of every problem; generators (site, search, booklets) work on that model only.
:class:`Reloader` is the live preview's repeated load. :data:`KINDS` declares every kind.
"""

from ..models import Record
from .kinds import KINDS, Kind
from .load import load_catalogue, load_or_raise
from .records import STORY_SECTIONS, Catalogue, Page, Source
from .reload import Reloader

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
