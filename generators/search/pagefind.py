"""The readers' search: a Pagefind index of the built site, searched in the browser.

Pagefind segments Chinese with a Simplified dictionary, so it indexes a temporary copy of
the site's pages converted to Simplified (the same :func:`~.text.normalise` as the editors'
index). Each copied item page gets a hidden block with

* metadata for the result list (kind, region, Traditional title for the 繁體 mirror),
* the other words of every synonym group the page mentions (蘑菇 finds 香菇),
* the plain Simplified form of protected terms (刘大哥 finds 「劉大哥一家」).

Only the Simplified root is indexed; on the Traditional mirror (``zh-hant/``) the browser
script links to the twin page and shows titles and excerpts in Traditional.

Beside Pagefind's bundle the script finds ``pagefind/lamplight-data.json``: the synonym
groups and two compact character maps (Traditional → Simplified for queries, Simplified →
Traditional for excerpts), made here from OpenCC and limited to characters of the content.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

from ..content.documents import item_url, published_documents
from ..errors import BuildError
from ..memory import release_free_memory
from ..scripts import PLAIN
from ..text import _HALF_WIDTH, normalise, protected_extras

if TYPE_CHECKING:
    from ..content import Catalogue

MIRROR = "zh-hant"
OUTPUT = "pagefind"
DATA_FILE = "lamplight-data.json"
APPENDIX_MARK = "〓"
"""Starts the hidden block in a page's indexed text; the browser cuts excerpts there."""
LANGUAGE = "zh"
SKIP_DIRS = {MIRROR, OUTPUT, "assets", "offline", "downloads"}
#: Files of Pagefind's bundle the site never uses (its own UIs).
UNUSED = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)
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


#: Site folders of item pages → kind (the site generator puts stories under stories/).
PAGE_KINDS = {item_url(kind, "x").split("/")[0]: kind for kind in ("skill", "showcase", "elder")}


class PagefindError(BuildError):
    """The in-browser search index could not be built (message in Chinese, no traceback)."""


class PagefindMissing(PagefindError):
    """The Pagefind program is not installed (``npm ci`` was not run)."""


#: The project that holds this code (its node_modules/ is used when the content root has none).
TOOL_ROOT = Path(__file__).resolve().parents[2]
_PLATFORMS = (
    "linux-x64",
    "linux-arm64",
    "darwin-arm64",
    "darwin-x64",
    "windows-x64",
    "windows-arm64",
)


def find_pagefind(root: Path) -> Path:
    """The Pagefind (extended) executable installed by ``npm ci`` under ``root``.

    Looks in ``root/node_modules`` first, then in the project this code belongs to.
    """
    root = Path(root)
    for base in dict.fromkeys([root.resolve(), TOOL_ROOT]):
        modules = base / "node_modules"
        for platform in _PLATFORMS:
            name = (
                "pagefind_extended.exe" if platform.startswith("windows") else "pagefind_extended"
            )
            path = modules / "@pagefind" / platform / "bin" / name
            if path.is_file() and os.access(path, os.X_OK):
                return path
        wrapper = modules / ".bin" / "pagefind"
        if wrapper.exists() and shutil.which("node"):
            return wrapper
    raise PagefindMissing(
        f"找不到网站搜索工具 Pagefind（应在 {root / 'node_modules'} 中）。"
        f"请在项目根目录 {root} 运行 npm ci 安装它，然后重新生成网站。"
    )


# --------------------------------------------------------------------------- pages


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
    """("skill", id) for ``skills/<id>/index.html`` and the like."""
    parts = rel.split("/")
    kind = PAGE_KINDS.get(parts[0])
    if kind is None:
        return None
    if len(parts) == 3 and parts[2] == "index.html":
        return kind, parts[1]
    if len(parts) == 2 and parts[1].endswith(".html") and parts[1] != "index.html":
        return kind, parts[1][: -len(".html")]
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


# --------------------------------------------------------------------------- maps

_CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))


def _chars_of(texts: Iterable[str]) -> set[str]:
    return {c for t in texts for c in t if any(lo <= ord(c) <= hi for lo, hi in _CJK_RANGES)}


def t2s_map(needed: set[str]) -> dict[str, str]:
    """Traditional (and variant) character → Simplified, for targets in ``needed``."""
    mapping: dict[str, str] = {}
    for lo, hi in _CJK_RANGES:
        for code in range(lo, hi + 1):
            char = chr(code)
            simp = PLAIN.hans(char)
            if simp != char and len(simp) == 1 and simp in needed:
                mapping[char] = simp
    return mapping


def s2t_map(cat: Catalogue, needed: set[str]) -> dict[str, str]:
    """Simplified → Traditional character, the most frequent choice in this content.

    OpenCC converts by phrase (发酵 → 發酵, 头发 → 頭髮); counting what it chose across the
    catalogue's own text gives the best single choice per character for excerpts.
    """
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for doc in published_documents(cat):
        text = doc.title + "\n" + doc.text
        simp = normalise(text, cat.converter)
        trad = cat.converter.hant(simp)
        if len(simp) != len(trad):
            continue
        for s_char, t_char in zip(simp, trad, strict=True):
            if s_char != t_char:
                counts[s_char][t_char] += 1
            else:
                counts[s_char][s_char] += 1
    mapping: dict[str, str] = {}
    for char in sorted(needed):
        if char in counts:
            best = sorted(counts[char].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        else:
            best = PLAIN.hant(char)
            if len(best) != 1:
                continue
        if best != char:
            mapping[char] = best
    return mapping


def _pack(mapping: dict[str, str]) -> list[str]:
    keys = sorted(mapping)
    return ["".join(keys), "".join(mapping[k] for k in keys)]


def client_data(cat: Catalogue, texts: Iterable[str]) -> dict[str, object]:
    """What the browser script needs besides Pagefind (kept small: fetched on first search).

    ``texts``: the indexed pages' texts (read one at a time: only their characters are kept).
    """
    groups = [[normalise(w, cat.converter) for w in g if w] for g in cat.synonyms.groups]
    groups = [g for g in groups if len(g) > 1]
    needed = _chars_of(texts) | _chars_of([w for g in groups for w in g])
    return {
        "v": 1,
        "t2s": _pack(t2s_map(needed)),
        "s2t": _pack(s2t_map(cat, needed)),
        "syn": groups,
    }


# --------------------------------------------------------------------------- build


SHARD_PAGES = 1500
"""Most pages one Pagefind run indexes. Pagefind's Chinese indexing holds about 0.7 MB per
page until it writes the index (1.4 GB for 2,000 pages, growing linearly), so a larger site
is indexed in parts of at most this many pages: the first part is ``pagefind/``, the others
``pagefind/part-2/``…, and the browser script merges them (Pagefind's ``mergeIndex``)."""
PART_PREFIX = "part-"


def _shards(pages: list[str], size: int) -> list[list[str]]:
    """``pages`` dealt round-robin into as few parts as keep each within ``size`` (every
    part a sample of the whole, so that the parts' word statistics agree)."""
    count = max(1, -(-len(pages) // max(1, size)))
    return [pages[number::count] for number in range(count)]


def pagefind_command(binary: Path, site: Path, out: Path) -> list[str]:
    """The Pagefind run that indexes the pages under ``site`` into ``out``."""
    return [
        str(binary),
        "--site",
        str(site),
        "--output-path",
        str(out),
        "--force-language",
        LANGUAGE,
        "--silent",
    ]


def _run_pagefind(binary: Path, site: Path, out: Path) -> None:
    command = pagefind_command(binary, site, out)
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0 or not (out / "pagefind-entry.json").exists():
        raise PagefindError(
            "网站搜索索引（Pagefind）生成失败：" + (result.stderr or result.stdout).strip()[-2000:]
        )
    for name in UNUSED:
        (out / name).unlink(missing_ok=True)


def index_site(site_dir: Path, cat: Catalogue) -> None:
    """Build ``site_dir/pagefind/`` for the site just generated in ``site_dir``.

    Raises :class:`PagefindMissing` (message in Chinese) when ``npm ci`` was not run.
    """
    site_dir = Path(site_dir)
    binary = find_pagefind(cat.root)
    with tempfile.TemporaryDirectory(prefix="lamplight-pagefind-") as tmp_name:
        tmp = Path(tmp_name)
        copy = tmp / "site"
        copy.mkdir()
        copied = prepare_copy(site_dir, copy, cat)
        if not copied:
            raise PagefindError(
                f"{site_dir} 中没有带 data-pagefind-body 标记的页面，无法建立网站搜索索引。"
            )
        data = client_data(
            cat, (body_text((copy / rel).read_text(encoding="utf-8")) for rel in copied)
        )
        release_free_memory()  # the Pagefind processes run beside this one
        bundle = tmp / OUTPUT
        shards = _shards(copied, SHARD_PAGES)
        parts: list[str] = []
        for number, pages in enumerate(shards, start=1):
            source = copy
            if len(shards) > 1:
                source = tmp / f"site-{number}"
                for rel in pages:
                    (source / rel).parent.mkdir(parents=True, exist_ok=True)
                    os.replace(copy / rel, source / rel)
            part = f"{PART_PREFIX}{number}"
            _run_pagefind(binary, source, bundle if number == 1 else bundle / part)
            if number > 1:
                parts.append(part + "/")
                shutil.rmtree(source)  # one part's copy at a time on disk
        if not (bundle / "pagefind.js").exists():
            raise PagefindError("网站搜索索引（Pagefind）生成失败：没有生成 pagefind.js")
        if parts:
            data["parts"] = parts
        (bundle / DATA_FILE).write_text(
            json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True),
            encoding="utf-8",
        )
        target = site_dir / OUTPUT
        staged = site_dir / f".{OUTPUT}-new"
        shutil.rmtree(staged, ignore_errors=True)
        shutil.copytree(bundle, staged)
        old = site_dir / f".{OUTPUT}-old"
        shutil.rmtree(old, ignore_errors=True)
        if target.exists():
            os.replace(target, old)
        os.replace(staged, target)
        shutil.rmtree(old, ignore_errors=True)


__all__ = [
    "index_site",
    "find_pagefind",
    "PagefindError",
    "PagefindMissing",
    "prepare_copy",
    "client_data",
]
