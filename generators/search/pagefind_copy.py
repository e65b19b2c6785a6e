"""The Simplified search copy of the built site's pages, which Pagefind indexes.

Each copied item page gets a hidden block with metadata for the result list, the other
words of every synonym group it mentions and the plain form of protected terms (see
:mod:`.pagefind`).
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

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
_BODY_ATTR = re.compile(r"\sdata-pagefind-body(?=[\s>=/])")
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


def _appendix(
    cat: Catalogue,
    text_norm: str,
    item: tuple[str, str] | None,
    meta: dict[tuple[str, str], dict[str, str]],
    raw_text: str,
) -> str:
    words: list[str] = []
    for group in cat.synonyms.groups:
        norm = [normalise(w, cat.converter) for w in group]
        if any(w and w in text_norm for w in norm):
            words.extend(w for w in norm if w not in text_norm and w not in words)
    words.extend(w for w in protected_extras(raw_text, cat.converter) if w not in words)
    attrs: list[str] = []
    if item is not None and item in meta:
        for key, value in meta[item].items():
            if value:
                attrs.append(
                    f'<span data-pagefind-meta="{key}:{html.escape(value, quote=True)}"></span>'
                )
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


def prepare_copy(site_dir: Path, dest: Path, cat: Catalogue) -> list[str]:
    """Write the Simplified search copy of ``site_dir``'s indexable pages into ``dest``.

    Returns the copied pages (relative paths) and leaves their text in ``dest``.
    """
    meta = _item_meta(cat)
    copied: list[str] = []
    for path in sorted(site_dir.rglob("*.html")):
        rel = path.relative_to(site_dir).as_posix()
        if rel.split("/", 1)[0] in SKIP_DIRS:
            continue
        page = path.read_text(encoding="utf-8", errors="replace")
        if not _BODY_ATTR.search(page):
            continue
        converted = convert_html(page, cat)
        raw_text = body_text(converted)
        text_norm = normalise(raw_text, cat.converter)
        extra = _appendix(cat, text_norm, _item_of(rel), meta, raw_text)
        if extra:
            idx = converted.lower().rfind("</body>")
            converted = converted[:idx] + extra + converted[idx:] if idx >= 0 else converted + extra
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(converted, encoding="utf-8")
        copied.append(rel)
    return copied
