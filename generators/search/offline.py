"""Search inside the offline bundle: a compact prebuilt index shipped as plain ``.js`` files.

The offline bundle is opened from ``file://`` (a USB stick, a phone's downloads), where the
browser allows neither ``fetch`` nor ES modules, so Pagefind cannot run. Instead
:func:`write_offline_search` writes into the bundle's ``assets/javascripts/``:

* ``lamplight-offline.js`` — the engine (package data) with its configuration filled in:
  :func:`~.pagefind_maps.client_data` (``LamplightOffline.data``) and the names of the index
  files. Also written into the Traditional mirror's ``zh-hant/assets/javascripts/``.
* ``lamplight-offline-index-<n>.js`` — the index in parts of :data:`PART_ITEMS` items, loaded
  with ``<script>`` tags the first time ``LamplightOffline.search`` is called.

Each item is one array (see :data:`FIELDS`): text stored once, in the Simplified script as
readers read it (``cat.converter.hans``); the engine derives the search form with the same
full-width → half-width and lower-casing as :func:`generators.text.normalise`, so matching
sees exactly the normalised text the editors' whoosh index sees. Output is deterministic:
items sorted by page, JSON with sorted keys, no dates.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..content.documents import SearchDoc, published_documents
from ..content.kinds import KINDS
from ..fsutil import write_atomic
from ..text import protected_extras
from .pagefind_copy import MIRROR
from .pagefind_maps import client_data

if TYPE_CHECKING:
    from ..content import Catalogue

ENGINE = "lamplight-offline.js"
ENGINE_SOURCE = Path(__file__).resolve().parent / "assets" / ENGINE
PART_NAME = "lamplight-offline-index-{n}.js"
SCRIPTS_DIR = "assets/javascripts"
CONFIG_MARK = "/*@LAMPLIGHT_OFFLINE_CONFIG@*/null"
"""Stands in the engine's source for its configuration (replaced by a JSON object)."""
FORMAT = 1
"""Version of the index format (the engine refuses another)."""
FIELDS = ("url", "kind", "title", "title_hant", "tags", "summary", "body")
"""Positions in one item's array."""
PART_ITEMS = 400
"""Items per index file: a cheap phone parses one file at a time and stays responsive."""
SUMMARY_CHARS = 160
"""Most characters of an item's summary kept."""
BODY_CHARS = 400
"""Most characters of the page text (after the summary) kept: the first part of the page."""

_SPACES = re.compile(r"[ \t\u3000]+")
_LINES = re.compile(r"\s*\n\s*")


@dataclass(frozen=True)
class OfflineItem:
    """One searchable item as the offline engine stores it."""

    url: str
    """Its page file relative to the bundle's root (``skills/x/index.html`` or ``skills/x.html``)."""
    kind: str
    """Its kind (``skill``, ``showcase``, ``elder``, ``question``, ``team``, ``notice``)."""
    title: str
    """Its title in Simplified."""
    title_hant: str
    """Its title in Traditional, for the 繁體 mirror."""
    tags: str
    """Tags, industries, regions and plain forms of protected terms, space-separated."""
    summary: str
    """Its summary (a question as asked, a team's introduction…), Simplified."""
    body: str
    """The first part of the rest of its page text, Simplified."""

    def row(self) -> list[str]:
        """The item as the engine stores it (see :data:`FIELDS`)."""
        return [getattr(self, name) for name in FIELDS]


def _resolve_page(folder: Path, kind: str, ident: str) -> str | None:
    """The item's page file in ``folder``, whichever URL style the copy was built with."""
    path = KINDS[kind].page_path(ident)
    for candidate in (path + "index.html", path.rstrip("/") + ".html"):
        if (folder / candidate).is_file():
            return candidate
    return None


def _clean(text: str) -> str:
    """One space for runs of spaces, one line break for blank lines; trimmed."""
    return _LINES.sub("\n", _SPACES.sub(" ", text)).strip()


def _summary_of(doc: SearchDoc) -> str:
    """What stands for the item's summary: its summary, question, introduction or bio."""
    for name in ("summary", "question", "intro", "bio"):
        value = getattr(doc.record, name, None)
        if isinstance(value, str) and value.strip():
            return _clean(value)
    return ""


def _make_item(cat: Catalogue, doc: SearchDoc, url: str) -> OfflineItem:
    conv = cat.converter
    summary = _summary_of(doc)
    text = _clean(doc.text)
    if summary and summary in text:
        text = _clean(text.replace(summary, "", 1))
    words: list[str] = []
    for word in [*doc.tags, *doc.industries, *doc.regions]:
        if word and word not in words:
            words.append(word)
    for extra in protected_extras(doc.title + "\n" + doc.text, conv):
        if extra not in words:
            words.append(extra)
    return OfflineItem(
        url=url,
        kind=doc.kind,
        title=conv.hans(doc.title),
        title_hant=conv.hant(doc.title),
        tags=" ".join(conv.hans(w) for w in words),
        summary=conv.hans(summary[:SUMMARY_CHARS]),
        body=conv.hans(text[:BODY_CHARS]),
    )


def offline_items(cat: Catalogue, folder: Path) -> list[OfflineItem]:
    """Every published searchable item whose page is in ``folder``, sorted by page."""
    items: list[OfflineItem] = []
    for doc in published_documents(cat):
        url = _resolve_page(Path(folder), doc.kind, doc.id)
        if url is not None:
            items.append(_make_item(cat, doc, url))
    return sorted(items, key=lambda item: item.url)


def _to_js(value: Any) -> str:
    """JSON that every JavaScript engine parses (U+2028/2029 escaped for old WebViews)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _render_part(number: int, items: list[OfflineItem]) -> str:
    rows = _to_js({"n": number, "items": [item.row() for item in items]})
    return f"(window.LamplightOfflineIndex=window.LamplightOfflineIndex||[]).push({rows});\n"


def _render_engine(data: dict[str, object], parts: list[str]) -> str:
    source = ENGINE_SOURCE.read_text(encoding="utf-8")
    if source.count(CONFIG_MARK) != 1:
        raise ValueError(f"{ENGINE_SOURCE} must hold {CONFIG_MARK} exactly once")
    config = {"v": FORMAT, "fields": list(FIELDS), "parts": parts, "data": data}
    return source.replace(CONFIG_MARK, _to_js(config))


def write_offline_search(cat: Catalogue, folder: Path) -> dict[str, Any]:
    """Write the offline engine and index into the offline copy ``folder``.

    Returns the sizes: ``items``, ``files`` (name → bytes), ``raw`` and ``gzip`` (all the
    files written at the root, the engine counted once).
    """
    folder = Path(folder)
    items = offline_items(cat, folder)
    texts = (f"{i.title}\n{i.tags}\n{i.summary}\n{i.body}" for i in items)
    data = client_data(cat, texts, cached=True)
    chunks = [items[at : at + PART_ITEMS] for at in range(0, len(items), PART_ITEMS)]
    scripts = folder / SCRIPTS_DIR
    files: dict[str, bytes] = {}
    parts: list[str] = []
    for number, chunk in enumerate(chunks, start=1):
        name = PART_NAME.format(n=number)
        parts.append(name)
        files[name] = _render_part(number, chunk).encode("utf-8")
    files[ENGINE] = _render_engine(data, parts).encode("utf-8")
    for stale in scripts.glob(PART_NAME.format(n="*")):
        if stale.name not in files:
            stale.unlink()
    for name, content in sorted(files.items()):
        write_atomic(scripts / name, content)
    mirror = folder / MIRROR
    if mirror.is_dir():
        write_atomic(mirror / SCRIPTS_DIR / ENGINE, files[ENGINE])
    return {
        "items": len(items),
        "files": {name: len(content) for name, content in sorted(files.items())},
        "raw": sum(len(content) for content in files.values()),
        "gzip": sum(len(gzip.compress(c, 9, mtime=0)) for c in files.values()),
    }


__all__ = ["ENGINE", "FIELDS", "OfflineItem", "offline_items", "write_offline_search"]
