"""The kind registry: every content kind declared once.

Each :class:`Kind` says where its files live, which model validates them, what editors and
readers call it, where its page is and which generators take it. The loader, the validator,
``lamplight new`` and ``schema``, the site, search and booklets all read this table; adding
a kind means one declaration here plus its templates.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from .. import urls
from ..models import Booklet, Elder, Notice, Pairing, Question, Showcase, Skill, Team


@dataclass(frozen=True)
class Kind:
    """One kind of content item."""

    name: str
    """ASCII name used in messages, ``lamplight new`` and JSON (``skill``)."""
    model: type[BaseModel] | None
    """The pydantic record that validates one item (``None`` for Markdown-only pages)."""
    folder: str
    """Folder of the items, relative to the project root."""
    layout: str
    """``folder`` (one folder per item: YAML + Markdown + media), ``file`` (one YAML per
    item) or ``markdown`` (one Markdown file per item)."""
    editor_label: str
    """What editors call the kind (messages, scaffolds)."""
    reader_label: str
    """What readers see as the kind of a page (search results, lists)."""
    yaml_file: str = ""
    """The YAML file inside an item folder (``folder`` layout)."""
    body_file: str = ""
    """The Markdown file inside an item folder (``folder`` layout)."""
    page_folder: str | None = None
    """Site folder of the kind's pages (``None``: the kind has no page of its own)."""
    generators: frozenset[str] = frozenset()
    """Which generators take the kind: ``site``, ``search``, ``booklet``."""
    aliases: tuple[str, ...] = ()
    """Other names editors may type for the kind (``lamplight new story``)."""
    plural: str = ""
    """The :class:`~generators.content.Catalogue` attribute holding the kind's items
    (``skills``)."""
    scaffolds: tuple[str, ...] = ()
    """Templates under ``generators/scaffolds/`` that ``lamplight new`` fills in: the
    ``yaml_file`` and ``body_file`` of a folder item, or one YAML file."""

    def item_files(self, ident: str) -> list[str]:
        """The files of item ``ident`` relative to the project root (YAML first)."""
        if self.layout == "folder":
            return [
                f"{self.folder}/{ident}/{self.yaml_file}",
                f"{self.folder}/{ident}/{self.body_file}",
            ]
        suffix = ".md" if self.layout == "markdown" else ".yaml"
        return [f"{self.folder}/{ident}{suffix}"]

    def page_src(self, ident: str) -> str:
        """Source URI of the item's page (``stories/<id>.md``)."""
        if self.page_folder is None:
            raise ValueError(f"kind {self.name} has no pages")
        return urls.item_src(self.page_folder, ident)

    def page_path(self, ident: str) -> str:
        """The item's page relative to the site root (``stories/<id>/``)."""
        return urls.dest_url(self.page_src(ident), directory_urls=True)


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "skill",
            Skill,
            "skills_library",
            "folder",
            editor_label="技能教程",
            reader_label="技能",
            yaml_file="skill.yaml",
            body_file="tutorial.md",
            page_folder="skills",
            generators=frozenset({"site", "search", "booklet"}),
            plural="skills",
            scaffolds=("skill.yaml", "tutorial.md"),
        ),
        Kind(
            "showcase",
            Showcase,
            "showcases",
            "folder",
            editor_label="典型案例",
            reader_label="榜样",
            yaml_file="showcase.yaml",
            body_file="story.md",
            page_folder="stories",
            generators=frozenset({"site", "search", "booklet"}),
            aliases=("story",),
            plural="showcases",
            scaffolds=("showcase.yaml", "story.md"),
        ),
        Kind(
            "elder",
            Elder,
            "content/elders",
            "file",
            editor_label="五老",
            reader_label="五老",
            page_folder="elders",
            generators=frozenset({"site", "search", "booklet"}),
            plural="elders",
            scaffolds=("elder.yaml",),
        ),
        Kind(
            "pairing",
            Pairing,
            "content/pairings",
            "file",
            editor_label="结对",
            reader_label="结对帮扶",
            generators=frozenset({"site"}),
            plural="pairings",
            scaffolds=("pairing.yaml",),
        ),
        Kind(
            "booklet",
            Booklet,
            "content/booklets",
            "file",
            editor_label="宣传册",
            reader_label="宣传册",
            generators=frozenset({"booklet"}),
            plural="booklets",
            scaffolds=("booklet.yaml",),
        ),
        Kind(
            "page",
            None,
            "content/pages",
            "markdown",
            editor_label="页面",
            reader_label="页面",
            page_folder="pages",
            generators=frozenset({"site"}),
            plural="pages",
        ),
        Kind(
            "question",
            Question,
            "content/questions",
            "file",
            editor_label="问答",
            reader_label="问答",
            page_folder="questions",
            generators=frozenset({"site", "search"}),
            aliases=("qa",),
            plural="questions",
            scaffolds=("question.yaml",),
        ),
        Kind(
            "team",
            Team,
            "content/teams",
            "file",
            editor_label="咨询服务团",
            reader_label="咨询服务团",
            page_folder="teams",
            generators=frozenset({"site", "search"}),
            plural="teams",
            scaffolds=("team.yaml",),
        ),
        Kind(
            "notice",
            Notice,
            "content/notices",
            "file",
            editor_label="通知",
            reader_label="通知",
            page_folder="notices",
            generators=frozenset({"site", "search"}),
            plural="notices",
            scaffolds=("notice.yaml",),
        ),
    )
}


def kind_named(name: str) -> Kind | None:
    """The kind called ``name`` or one of its aliases."""
    if name in KINDS:
        return KINDS[name]
    return next((k for k in KINDS.values() if name in k.aliases), None)


def kinds_for(generator: str) -> list[Kind]:
    """The kinds a generator takes, in declaration order."""
    return [k for k in KINDS.values() if generator in k.generators]


def page_kind(site_path: str) -> Kind | None:
    """The kind whose pages live under the first folder of ``site_path``."""
    first = site_path.strip("/").split("/")[0]
    return next((k for k in KINDS.values() if k.page_folder == first), None)
