"""The nouns of the content layer: where a record came from, hand-written pages, the catalogue."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..models import (
    Booklet,
    Elder,
    Notice,
    Pairing,
    ProtectedTerms,
    PublicChannels,
    Question,
    Showcase,
    Skill,
    Synonyms,
    Taxonomy,
    Team,
)
from ..scripts import Converter
from ..yamlio import load_yaml
from .conversions import Conversions
from .kinds import KINDS

#: Required H2 sections of a story, in order (compared in either script).
STORY_SECTIONS = ("基本情况", "主要做法", "取得成效", "经验启示")


@dataclass
class Source:
    """Where a record came from."""

    yaml_path: str
    """YAML path relative to the project root."""
    raw: Any
    """The loaded YAML (with positions), for pointing at values in later checks."""
    md_path: str | None = None
    """Companion Markdown path relative to the project root, if any."""
    body: str = ""
    """Companion Markdown text."""
    folder: Path | None = None
    """Absolute folder of the item (skills and showcases)."""
    digest: str = ""
    """Content digest of the YAML file and its Markdown file, if any (32 hex digits): equal
    digests mean identical source bytes."""


class LazySource(Source):
    """A :class:`Source` whose ``raw`` is parsed from the YAML text on first use."""

    _raw_text: str | None = None
    _raw_value: Any = None

    @property  # type: ignore[override]
    def raw(self) -> Any:
        if self._raw_text is not None:
            self._raw_value = load_yaml(self._raw_text)[0]
            self._raw_text = None
        return self._raw_value

    @raw.setter
    def raw(self, value: Any) -> None:
        self._raw_value = value
        self._raw_text = None


class RawYaml:
    """The raw YAML of a record, or the text to parse it from when first needed."""

    __slots__ = ("text", "value")

    def __init__(self, value: Any, text: str | None = None):
        self.value = value
        self.text = text

    def get(self) -> Any:
        """The loaded YAML (parsed now when only its text was kept)."""
        if self.text is not None:
            self.value = load_yaml(self.text)[0]
            self.text = None
        return self.value

    def source(
        self,
        yaml_path: str,
        md_path: str | None = None,
        body: str = "",
        folder: Path | None = None,
        digest: str = "",
    ) -> Source:
        """The :class:`Source` of the record (parsing its YAML only when first read)."""
        if self.text is None:
            return Source(yaml_path, self.value, md_path, body, folder, digest)
        src = LazySource(yaml_path, None, md_path, body, folder, digest)
        src._raw_text = self.text
        return src


@dataclass
class Page:
    """A hand-written page from content/pages/."""

    slug: str
    """File name without .md."""
    title: str
    """First ``# `` heading, or the file name."""
    body: str
    """Markdown without the title line."""
    order: int
    """Position in the navigation (from a leading number in the file name)."""
    path: str
    """Source path relative to the project root."""
    digest: str = ""
    """Content digest of the page's file."""


@dataclass
class Catalogue:
    """Everything validated, ready for the generators."""

    root: Path
    """The project folder."""
    taxonomy: Taxonomy
    """content/taxonomy.yaml (empty when it cannot be read)."""
    skills: dict[str, Skill] = field(default_factory=dict)
    """Skills by id."""
    showcases: dict[str, Showcase] = field(default_factory=dict)
    """Showcases (stories) by id."""
    elders: dict[str, Elder] = field(default_factory=dict)
    """Elders by id."""
    pairings: dict[str, Pairing] = field(default_factory=dict)
    """Pairings by id."""
    booklets: dict[str, Booklet] = field(default_factory=dict)
    """Booklets by id."""
    pages: dict[str, Page] = field(default_factory=dict)
    """Hand-written pages by slug."""
    questions: dict[str, Question] = field(default_factory=dict)
    """Answered questions by id."""
    teams: dict[str, Team] = field(default_factory=dict)
    """Consultation teams by id."""
    notices: dict[str, Notice] = field(default_factory=dict)
    """Notices by id."""
    public_channels: PublicChannels = field(default_factory=PublicChannels)
    """content/public_channels.yaml."""
    protected_terms: ProtectedTerms = field(default_factory=ProtectedTerms)
    """content/protected_terms.yaml."""
    synonyms: Synonyms = field(default_factory=Synonyms)
    """content/synonyms.yaml."""
    conversions: Conversions = field(default_factory=Conversions)
    """content/conversions.yaml (editors' corrections of the script conversion)."""
    sources: dict[tuple[str, str], Source] = field(default_factory=dict)
    """(kind, id) → where the record came from."""
    content_version: str = ""
    """Digest of every content file's path and bytes."""
    settings_digest: str = ""
    """Digest of the files that shape every record: the taxonomy, public channels, protected
    terms and synonyms (with each record's ``Source.digest``, a record's full input)."""
    converter: Converter = field(default_factory=Converter)
    """Script converter keeping the protected terms."""
    sample: bool = False
    """True when the content is the bundled fictional sample."""
    broken: set[tuple[str, str]] = field(default_factory=set)
    """(kind, id) of files that exist but failed validation: not referenced as missing."""
    salvaged: dict[tuple[str, str], Any] = field(default_factory=dict)
    """(kind, id) → a record that failed validation, rebuilt from its valid fields: checked
    across files in the same run (references, consent), never built."""

    def source(self, kind: str, ident: str) -> Source:
        """Where the ``kind`` item ``ident`` came from."""
        return self.sources[(kind, ident)]

    def body(self, record: Skill | Showcase) -> str:
        """The Markdown body of a skill or showcase."""
        return self.sources[(record.kind, record.id)].body

    def folder(self, record: Skill | Showcase) -> Path:
        """The item folder of a skill or showcase."""
        folder = self.sources[(record.kind, record.id)].folder
        assert folder is not None
        return folder

    def published_skills(self) -> list[Skill]:
        return [s for s in self.skills.values() if s.status == "published"]

    def published_showcases(self, channel: str = "web") -> list[Showcase]:
        return [
            s
            for s in self.showcases.values()
            if s.status == "published" and s.consent is not None and channel in s.consent.scope
        ]

    def published_elders(self, channel: str = "web") -> list[Elder]:
        return [
            e
            for e in self.elders.values()
            if e.status == "published" and e.consent is not None and channel in e.consent.scope
        ]

    def showcases_for_elder(self, elder_id: str, channel: str = "web") -> list[Showcase]:
        return [s for s in self.published_showcases(channel) if elder_id in s.elders]

    def skills_by_elder(self, elder_id: str) -> list[Skill]:
        return [
            s
            for s in self.published_skills()
            if elder_id in s.authors or elder_id in s.who_to_ask.elders
        ]

    def pool(self, kind: str) -> dict[str, Any]:
        """The records of ``kind`` by id (``cat.skills`` for ``"skill"``…)."""
        pool: dict[str, Any] = getattr(self, KINDS[kind].plural)
        return pool
