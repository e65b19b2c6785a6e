"""The Simplified search copy of the built site's pages, which Pagefind indexes.

Each copied item page gets a hidden block with metadata for the result list, the other
words of every synonym group it mentions and the plain form of protected terms (see
:mod:`.pagefind`).
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

from ..cache import Store, code_stamp, key
from ..content.documents import published_documents
from ..content.kinds import page_kind
from ..text import _HALF_WIDTH, normalise, protected_extras

if TYPE_CHECKING:
    from ..content import Catalogue

MIRROR = "zh-hant"
OUTPUT = "pagefind"
APPENDIX_MARK = "〓"
"""Starts the hidden block in a page's indexed text; the browser cuts excerpts there."""
SKIP_DIRS = {MIRROR, OUTPUT, "assets", "offline", "downloads"}
_BODY_ATTR = re.compile(rb"\sdata-pagefind-body(?=[\s>=/])")
_PARTS = re.compile(
    r"(<!--.*?-->|<script\b.*?</script\s*>|<style\b.*?</style\s*>|<[^>]*>)", re.S | re.I
)
#: Full-width letters and digits → ASCII in text nodes (punctuation stays full-width so
#: excerpts still read as Chinese).
_TEXT_HALF = {k: v for k, v in _HALF_WIDTH.items() if chr(v).isalnum()}
#: Parts of item pages that list *other* items (related content, an elder's skills) or
#: repeat navigation: kept out of the index so a page is found for its own text only.
#: Decorative elements (``aria-hidden="true"``, such as the month grid) are left out too.
IGNORE_CLASSES = ("ll-list", "ll-kicker", "ll-qr", "ll-tools-bar", "ll-related")
_CLASS_ATTR = re.compile(r'\sclass="([^"]*)"')
#: The footer's content version follows every edit and lies outside ``data-pagefind-body``:
#: blanked in the copy, so an unchanged page's copy (and its Pagefind part) stays the same.
_FOOTER_VERSION = re.compile(rb'(<p class="ll-footer__meta">[^<]*? )[^ <]+(</p>)')
_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _convert_text(text: str, cat: Catalogue) -> str:
    """Simplified, half-width text for one HTML text node (entities left alone)."""
    return cat.converter.hans(text).translate(_TEXT_HALF)


def _ignored(tag: str) -> bool:
    """True for an opening tag whose content must stay out of the index."""
    if tag.startswith("</") or "data-pagefind-" in tag:
        return False
    if 'aria-hidden="true"' in tag:
        return True
    classes = _CLASS_ATTR.search(tag)
    return bool(classes and set(classes.group(1).split()) & set(IGNORE_CLASSES))


_TAG_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)")
_VOID_TAGS = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split()
)


def drop_ignored(page: str) -> str:
    """``page`` without the elements kept out of the index (lists of other items,
    decoration): Pagefind never reads them, and without them a page's copy changes only
    when its own text does (an edit elsewhere that changes its related list leaves it and
    its Pagefind part alone). An element holding Pagefind attributes stays (marked)."""
    parts = _PARTS.split(page)
    out: list[str] = []
    at = 0
    while at < len(parts):
        part = parts[at]
        name = _TAG_NAME.match(part) if part.startswith("<") else None
        if name is None or part.startswith(("</", "<!--")) or not _ignored(part):
            out.append(part)
            at += 1
            continue
        tag = name.group(1).lower()
        end = at + 1
        if tag not in _VOID_TAGS and not part.endswith("/>"):
            depth = 1
            while end < len(parts) and depth:
                found = _TAG_NAME.match(parts[end]) if parts[end].startswith("<") else None
                if found is not None and found.group(1).lower() == tag:
                    closing = parts[end].startswith("</")
                    depth += -1 if closing else (0 if parts[end].endswith("/>") else 1)
                end += 1
            if depth:  # never closed: keep the rest, marked by convert_html
                out.extend(parts[at:])
                break
        if any("data-pagefind-" in piece for piece in parts[at:end]):
            out.extend(parts[at:end])
        at = end
    return "".join(out)


def convert_html(page: str, cat: Catalogue) -> str:
    """``page`` with every text node and title/alt attribute in Simplified."""
    out: list[str] = []
    for part in _PARTS.split(page):
        if not part:
            continue
        if part.startswith("<"):
            if part.startswith(("<script", "<style", "<!--", "<SCRIPT", "<STYLE")):
                out.append(part)
                continue
            tag = re.sub(
                r'(\s(?:alt|title|aria-label|content|data-pagefind-meta)=")([^"]*)(")',
                lambda m: m.group(1) + _convert_text(m.group(2), cat) + m.group(3),
                part,
            )
            if _ignored(tag):
                tag = tag[:-1].rstrip("/") + " data-pagefind-ignore>"
            out.append(tag)
        else:
            out.append(_convert_text(part, cat))
    return "".join(out)


class _BodyText(HTMLParser):
    """Text Pagefind will index: inside ``data-pagefind-body``, outside ``data-pagefind-ignore``."""

    _VOID = frozenset(
        "area base br col embed hr img input link meta param source track wbr".split()
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._stack: list[tuple[str, bool, bool]] = []  # tag, opens body, opens ignore
        self._body = 0
        self._ignore = 0
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._VOID:
            return
        names = {name for name, _ in attrs}
        opens_body = "data-pagefind-body" in names
        opens_ignore = "data-pagefind-ignore" in names or tag in ("script", "style", "template")
        self._body += opens_body
        self._ignore += opens_ignore
        self._stack.append((tag, opens_body, opens_ignore))

    def handle_endtag(self, tag: str) -> None:
        if tag in self._VOID:
            return
        while self._stack:
            name, opened_body, opened_ignore = self._stack.pop()
            self._body -= opened_body
            self._ignore -= opened_ignore
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._body > 0 and self._ignore == 0:
            self.parts.append(data)


def body_text(page: str) -> str:
    """The text of ``page`` that Pagefind indexes (for synonyms and character maps)."""
    parser = _BodyText()
    parser.feed(page)
    parser.close()
    return " ".join(parser.parts)


def _item_of(rel: str) -> tuple[str, str] | None:
    """("skill", id) for ``skills/<id>/index.html`` and the like (searched kinds only)."""
    parts = rel.split("/")
    kind = page_kind(parts[0])
    if kind is None or "search" not in kind.generators:
        return None
    if len(parts) == 3 and parts[2] == "index.html":
        return kind.name, parts[1]
    if len(parts) == 2 and parts[1].endswith(".html") and parts[1] != "index.html":
        return kind.name, parts[1][: -len(".html")]
    return None


def _extra_words(
    cat: Catalogue, text_norm: str, raw_text: str, groups: list[list[str]]
) -> list[str]:
    """The other words of every synonym group the page mentions, and the plain form of
    its protected terms."""
    words: list[str] = []
    for norm in groups:
        if any(w and w in text_norm for w in norm):
            words.extend(w for w in norm if w not in text_norm and w not in words)
    words.extend(w for w in protected_extras(raw_text, cat.converter) if w not in words)
    return words


def _appendix(words: list[str], item_meta: dict[str, str] | None) -> str:
    attrs = [
        f'<span data-pagefind-meta="{name}:{html.escape(value, quote=True)}"></span>'
        for name, value in (item_meta or {}).items()
        if value
    ]
    if not words and not attrs:
        return ""
    body = html.escape(APPENDIX_MARK + " " + " ".join(words)) if words else ""
    return f'<div data-pagefind-body hidden aria-hidden="true">{"".join(attrs)}{body}</div>'


def _item_meta(cat: Catalogue) -> dict[tuple[str, str], dict[str, str]]:
    meta: dict[tuple[str, str], dict[str, str]] = {}
    for doc in published_documents(cat):
        meta[(doc.kind, doc.id)] = {
            "ll_kind": doc.kind,
            "ll_id": doc.id,
            "title": cat.converter.hans(doc.title),
            "ll_title_hant": cat.converter.hant(doc.title),
            "ll_region": cat.converter.hans(doc.region_label),
            "ll_region_hant": cat.converter.hant(doc.region_label),
        }
    return meta


@dataclass
class Prepared:
    """The search copy of a site's pages (see :func:`prepare_pages`)."""

    pages: list[str] = field(default_factory=list)
    """The copied pages (paths relative to the site), sorted."""
    keys: dict[str, str] = field(default_factory=dict)
    """Page → the key of its copy (everything the copy was made from)."""
    chars: set[str] = field(default_factory=set)
    """The Chinese characters of the indexed text of every page (for the character maps)."""
    made: int = 0
    """Pages converted now (the others came from the cache)."""
    store: Store = field(default_factory=lambda: Store(None))
    """Where the copies are kept."""
    held: dict[str, bytes] = field(default_factory=dict)
    """Copies ``store`` could not keep, by key."""


def _prepare_page(
    page: str, cat: Catalogue, item_meta: dict[str, str] | None, groups: list[list[str]]
) -> tuple[str, str]:
    """The search copy of one page and the Chinese characters of its indexed text."""
    converted = convert_html(drop_ignored(page), cat)
    raw_text = body_text(converted)
    words = _extra_words(cat, normalise(raw_text, cat.converter), raw_text, groups)
    extra = _appendix(words, item_meta)
    if extra:
        idx = converted.lower().rfind("</body>")
        converted = converted[:idx] + extra + converted[idx:] if idx >= 0 else converted + extra
    return converted, "".join(sorted(set(_CJK.findall(raw_text + " ".join(words)))))


def prepare_pages(site_dir: Path, cat: Catalogue, store: Store | None = None) -> Prepared:
    """Make the Simplified search copy of ``site_dir``'s indexable pages (see
    :func:`write_pages`).

    ``store`` keeps each page's copy by everything it is made from (the page's bytes with the
    footer's content version blanked, its place, its item's metadata, the synonyms and the
    conversion), so an unchanged page costs a hash and a read.
    """
    meta = _item_meta(cat)
    groups = [[normalise(w, cat.converter) for w in group] for group in cat.synonyms.groups]
    common = key(
        code_stamp(__file__),
        json.dumps([cat.converter.key, groups], ensure_ascii=False, sort_keys=True),
    )
    store = store or Store(None)
    found = Prepared(store=store)
    for path in sorted(site_dir.rglob("*.html")):
        rel = path.relative_to(site_dir).as_posix()
        if rel.split("/", 1)[0] in SKIP_DIRS:
            continue
        data = _FOOTER_VERSION.sub(rb"\1\2", path.read_bytes())
        if not _BODY_ATTR.search(data):
            continue
        item = _item_of(rel)
        item_meta = meta.get(item) if item else None
        name = key(common, rel, json.dumps(item_meta, ensure_ascii=False), data)
        entry = store.read(name)
        if entry is None:
            page = data.decode("utf-8", errors="replace")
            converted, chars = _prepare_page(page, cat, item_meta, groups)
            entry = (chars + "\n" + converted).encode("utf-8")
            store.write(name, entry)
            kept = store.path(name)
            if kept is None or not kept.is_file():
                found.held[name] = entry  # no cache: kept here until written
            found.made += 1
        found.pages.append(rel)
        found.keys[rel] = name
        found.chars.update(entry.partition(b"\n")[0].decode("utf-8"))
    return found


def write_pages(prepared: Prepared, pages: list[str], dest: Path) -> None:
    """Write the search copy of ``pages`` (of ``prepared``) under ``dest``."""
    made_dirs: set[Path] = set()
    for rel in pages:
        name = prepared.keys[rel]
        entry = prepared.held.get(name) or prepared.store.read(name)
        if entry is None:
            raise OSError(f"the search copy of {rel} vanished from {prepared.store.folder}")
        target = dest / rel
        if target.parent not in made_dirs:
            target.parent.mkdir(parents=True, exist_ok=True)
            made_dirs.add(target.parent)
        target.write_bytes(entry.partition(b"\n")[2])


def prepare_copy(site_dir: Path, dest: Path, cat: Catalogue) -> list[str]:
    """Write the search copy of ``site_dir`` (no cache) into ``dest``; the copied pages."""
    prepared = prepare_pages(site_dir, cat)
    write_pages(prepared, prepared.pages, dest)
    return prepared.pages
