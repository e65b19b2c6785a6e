"""The searchable document of one record and the helpers every kind's builder uses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..models import Region
from ..text import normalise, short_place_names
from .kinds import KINDS
from .records import Catalogue

#: What readers call each searchable kind (shown beside every result).
KIND_LABELS = {
    kind.name: kind.reader_label for kind in KINDS.values() if "search" in kind.generators
}


def item_url(kind: str, ident: str) -> str:
    """Page of an item relative to the site root, as the site generator places it."""
    return KINDS[kind].page_path(ident)


@dataclass
class SearchDoc:
    """The searchable view of one record (text in its original script)."""

    id: str
    """The record's id."""
    kind: str
    """Its kind (``skill``, ``showcase``, ``elder``)."""
    title: str
    """Its title (an elder's public name)."""
    text: str
    """Plain text of everything a reader can read on the page, original script."""
    industries: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    """Province, county, township names (and their short forms), normalised."""
    region_label: str = ""
    """The region as readers see it."""
    tags: list[str] = field(default_factory=list)
    """Tags, normalised."""
    status: str = "published"
    """The record's status."""
    record: Any = None
    """The record itself (a skill, showcase, elder, question, team or notice)."""

    @property
    def url(self) -> str:
        """The record's page relative to the site root."""
        return item_url(self.kind, self.id)

    @property
    def kind_label(self) -> str:
        """What readers call the record's kind."""
        return KINDS[self.kind].reader_label


def region_names(cat: Catalogue, region: Region) -> list[str]:
    names: list[str] = []
    for part in (region.province, region.county, region.township):
        if part:
            names.append(normalise(part, cat.converter))
            names.extend(normalise(s, cat.converter) for s in short_place_names(normalise(part)))
    return names


def join_text(*parts: object) -> str:
    out: list[str] = []
    for part in parts:
        if part is None or part == "":
            continue
        if isinstance(part, list | tuple):
            out.extend(str(p) for p in part if p)
        else:
            out.append(str(part))
    return "\n".join(out)
