"""What successive site builds of one process share, held by the caller and handed to the plugin.

``lamplight build`` makes one :class:`SiteSession` with the catalogue it loaded, for its four
MkDocs builds; ``lamplight serve`` makes one with a :class:`Preview` for every rebuild. A plain
``mkdocs build`` has none: the plugin then loads the catalogue itself.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import jinja2.bccache

from ..content import Catalogue, Reloader, load_catalogue
from ..errors import SiteError
from .images import Photos
from .structure import Entry, PageSpec

if TYPE_CHECKING:
    from ..search.related import RelatedIndex
    from .reuse import Reuse


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled theme templates kept between builds (MkDocs makes a new environment per build).

    Jinja checks each template's source checksum, so an edited template is compiled again.
    """

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}
        """Template bucket key → compiled bytecode."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


#: A rendered Markdown body: (html, its photos by media name, (photo file, stamp) it used).
Body = tuple[str, dict[str, Path], list[tuple[str, tuple[int, int] | None]]]


@dataclass
class PreviewPages:
    """What the previous preview build wrote, for one script and site folder."""

    signatures: dict[str, str] = field(default_factory=dict)
    """Page source → fingerprint of everything its HTML was rendered from."""
    dests: dict[str, str] = field(default_factory=dict)
    """Page source → the file it was written to."""
    media: set[str] = field(default_factory=set)
    """Photo files (content-hashed names under media/) already in the site folder."""


class Preview:
    """The live preview of one project: what each rebuild may reuse from the previous one."""

    def __init__(self, root: Path):
        self.root = root.resolve()
        """The project being previewed."""
        self.reloader = Reloader(self.root)
        """Loads the catalogue again, re-reading only what changed."""
        self.written: dict[tuple[str, ...], PreviewPages] = {}
        """(script, URL style, site folder) → what the previous build wrote there."""
        self.items: dict[str, tuple[PageSpec, dict[str, Path]]] = {}
        """Item page fingerprint → the page planned from it and its photos."""
        self.entries: dict[int, tuple[Any, Entry]] = {}
        """List lines of the previous rebuild's records (id(record) → (record, line))."""
        self.catalogue: Catalogue | None = None
        """The catalogue of the last rebuild whose content had no errors."""
        self._gc_held = False

    def pages(self, key: tuple[str, ...]) -> PreviewPages:
        """The record of the previous build for ``key``."""
        return self.written.setdefault(key, PreviewPages())

    def forget(self, key: tuple[str, ...]) -> None:
        """Forget what was written for ``key`` (the next build renders every page)."""
        self.written.pop(key, None)

    def hold_gc(self) -> None:
        """Pause the cyclic garbage collector for one rebuild.

        Every full collection would walk the catalogue, the plan and MkDocs' objects again;
        reference counting still frees almost everything, cycles wait for :meth:`release_gc`.
        """
        if not self._gc_held and gc.isenabled():
            gc.disable()
            self._gc_held = True

    def release_gc(self) -> None:
        """Resume the garbage collector paused by :meth:`hold_gc` (no-op otherwise)."""
        if self._gc_held:
            self._gc_held = False
            gc.enable()


class SiteSession:
    """State shared by the site builds of one command; handed to each plugin instance."""

    def __init__(self, catalogue: Catalogue | None = None, preview: Preview | None = None):
        self.catalogue = catalogue
        """The validated catalogue to build (``None``: each build loads it)."""
        self.preview = preview
        """Set for ``lamplight serve``: unchanged pages are not rendered again."""
        self.templates = CompiledTemplates()
        """Compiled theme templates, reused by every build."""
        self.photos = Photos()
        """Photos already prepared."""
        self.bodies: dict[tuple[str, bool, str, str, str], Body] = {}
        """(src, directory URLs, folder, cache, text) → the rendered Markdown body."""
        self.related: dict[Path | None, RelatedIndex] = {}
        """Related-items index per cache folder, shared by the builds of this command."""
        self.reuse: dict[str, Reuse] = {}
        """``lamplight build``: per script, the previous build whose unchanged pages are
        copied instead of rendered (none: every page is rendered)."""

    def related_index(self, cache_dir: Path | None) -> RelatedIndex:
        """The related-items index kept in ``cache_dir`` (made on first use)."""
        found = self.related.get(cache_dir)
        if found is None:
            from ..search.related import RelatedIndex  # whoosh only when pages need it

            found = self.related[cache_dir] = RelatedIndex(cache_dir)
        return found

    def load(self, root: Path) -> Catalogue:
        """The catalogue to build: the one given, else loaded now (the preview re-reads only
        what changed); content errors abort the build with the whole report."""
        if self.catalogue is not None:
            return self.catalogue
        if self.preview is not None:
            cat, report = self.preview.reloader.load()
        else:
            cat, report = load_catalogue(root)
        if cat is not None and not report.errors and self.preview is not None:
            self.preview.catalogue = cat
        if cat is None or report.errors:
            lines = [d.format() for d in report.sorted()]
            raise SiteError(
                "内容有错误，网站没有生成：\n" + "\n".join(lines) + "\n" + report.summary()
            )
        return cat
