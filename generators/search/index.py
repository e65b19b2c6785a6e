"""The editors' search: a whoosh index of everything published, and ``lamplight search``.

The index lives in ``<root>/.lamplight-cache/whoosh`` (git-ignored). It is rebuilt into a
temporary folder and swapped in, so a reader of the old index never sees half a new one, and
:func:`search` rebuilds it by itself when the content changed since it was written.

Ranking, best first:

0. the title *is* the query;
1. every query word (or one of its synonyms) is in the title;
2. every query word (or a synonym) is somewhere in the item;
3. some query word is somewhere in the item;

within a tier by BM25F score (title, tags, industry and region weigh more than body text).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from html import escape as html_escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.markup import escape as markup_escape
from whoosh import index as whoosh_index
from whoosh.analysis import Analyzer
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh.query import And, Or, Phrase, Query, Term

from ..content.documents import (
    KIND_LABELS,
    SearchDoc,
    catalogue_words,
    item_url,
    published_documents,
)
from ..text import (
    GramTokenizer,
    JiebaTokenizer,
    grams,
    normalise,
    normalise_aligned,
    protected_extras,
    query_terms,
    search_forms,
    sub_words,
)

if TYPE_CHECKING:
    from whoosh.index import Index

    from ..content import Catalogue

#: Bump when the schema or the analysis changes: old indexes are then rebuilt.
SCHEMA_VERSION = "3"
CACHE_DIR = ".lamplight-cache"
INDEX_DIR = "whoosh"
META_FILE = "lamplight-index.json"

FIELD_BOOSTS = {"title": 4.0, "tags": 3.0, "industry": 2.0, "region": 2.0, "body": 1.0}
GRAM_BOOST = 0.4
KIND_WEIGHT = {"skill": 1.15, "showcase": 1.0, "elder": 1.0}
#: A question about *how* (怎么养猪, 如何种香菇) wants a tutorial: skills weigh this much more.
HOW_TO_WORDS = ("怎么", "怎样", "如何", "咋", "学会", "教程", "方法", "技术")
HOW_TO_SKILL_WEIGHT = 1.6
#: Weight of the shorter words found inside a long query word, in the partial-match pass.
PART_BOOST = 0.5


# --------------------------------------------------------------------------- results


@dataclass
class Hit:
    """One search result."""

    id: str
    kind: str
    title: str
    url: str
    score: float
    snippet: str = ""
    """Excerpt with the matched words in rich markup (``[bold]…[/]``), for the terminal."""
    snippet_html: str = ""
    """The same excerpt as HTML with ``<mark>``."""
    snippet_text: str = ""
    """The same excerpt as plain text."""
    region: str = ""
    tier: int = 3

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "url": self.url,
            "score": round(self.score, 4),
        }


# --------------------------------------------------------------------------- schema


def _schema(words: tuple[str, ...]) -> Schema:
    jieba_analyzer: Analyzer = JiebaTokenizer(words)
    return Schema(
        id=ID(stored=True, unique=True),
        kind=ID(stored=True),
        title=TEXT(analyzer=jieba_analyzer, phrase=False),
        body=TEXT(analyzer=jieba_analyzer, phrase=False),
        grams=TEXT(analyzer=GramTokenizer(2), phrase=True),
        chars=TEXT(analyzer=GramTokenizer(1), phrase=False),
        industry=KEYWORD(stored=True, commas=True, scorable=True),
        region=KEYWORD(stored=True, commas=True, scorable=True),
        tags=KEYWORD(stored=True, commas=True, scorable=True),
        url=STORED,
        title_display=STORED,
        title_norm=STORED,
        text=STORED,
        region_label=STORED,
    )


def _fields(cat: Catalogue, doc: SearchDoc) -> dict[str, Any]:
    conv = cat.converter
    title_norm = normalise(doc.title, conv)
    body_norm = normalise(doc.text, conv)
    extras = protected_extras(doc.title + "\n" + doc.text, conv)
    if extras:
        body_norm += "\n" + "\n".join(extras)
    all_text = title_norm + "\n" + body_norm
    return {
        "id": doc.id,
        "kind": doc.kind,
        "title": title_norm,
        "body": body_norm,
        "grams": all_text,
        "chars": all_text,
        "industry": ",".join(doc.industries),
        "region": ",".join(doc.regions),
        "tags": ",".join(doc.tags),
        "url": doc.url,
        "title_display": doc.title,
        "title_norm": title_norm,
        "text": doc.text,
        "region_label": doc.region_label,
    }


def fingerprint(cat: Catalogue) -> str:
    """What the index depends on: files on disk and what is published right now."""
    published = sorted(
        [f"skill:{s.id}" for s in cat.published_skills()]
        + [f"showcase:{s.id}" for s in cat.published_showcases("web")]
        + [f"elder:{e.id}" for e in cat.published_elders("web")]
    )
    return f"{SCHEMA_VERSION}:{cat.content_version}:{'|'.join(published)}"


def fill_index(ix: Index, cat: Catalogue, docs: list[SearchDoc]) -> None:
    writer = ix.writer()
    for doc in docs:
        writer.add_document(**_fields(cat, doc))
    writer.commit()


def build_index(cat: Catalogue, root: Path) -> Path:
    """(Re)build the editors' index at ``root/.lamplight-cache/whoosh``; return its path."""
    cache = Path(root) / CACHE_DIR
    cache.mkdir(parents=True, exist_ok=True)
    target = cache / INDEX_DIR
    tmp = Path(tempfile.mkdtemp(prefix="whoosh-new-", dir=cache))
    try:
        words = catalogue_words(cat)
        ix = FileStorage(str(tmp)).create_index(_schema(words))
        fill_index(ix, cat, published_documents(cat))
        ix.close()
        (tmp / META_FILE).write_text(
            json.dumps(
                {"fingerprint": fingerprint(cat), "built": int(time.time())}, ensure_ascii=False
            ),
            encoding="utf-8",
        )
        old: Path | None = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix="whoosh-old-", dir=cache))
            os.replace(target, old / INDEX_DIR)
        os.replace(tmp, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _open_cache.pop(str(target), None)
    return target


_open_cache: dict[str, tuple[str, Index]] = {}


def _open_current(cat: Catalogue, root: Path) -> Index:
    """The index for ``cat``, rebuilt first when missing or out of date."""
    target = Path(root) / CACHE_DIR / INDEX_DIR
    want = fingerprint(cat)
    cached = _open_cache.get(str(target))
    if cached is not None and cached[0] == want:
        return cached[1]
    meta_path = target / META_FILE
    current = None
    if meta_path.exists():
        try:
            current = json.loads(meta_path.read_text(encoding="utf-8")).get("fingerprint")
        except (OSError, ValueError):
            current = None
    if current != want or not whoosh_index.exists_in(str(target)):
        build_index(cat, root)
    ix = whoosh_index.open_dir(str(target))
    _open_cache[str(target)] = (want, ix)
    return ix


class _PrivateRamStorage(RamStorage):  # type: ignore[misc]
    """RamStorage whose scratch files go to a folder of its own.

    whoosh's RamStorage puts a writer's scratch files in ``/tmp/MAIN.tmp`` — the same folder
    for every process — and deletes that folder afterwards, which breaks two builds running
    at once. Each writer here gets a fresh temporary folder instead.
    """

    def __init__(self) -> None:
        super().__init__()
        self.scratch: list[str] = []

    def temp_storage(self, name: str | None = None) -> FileStorage:
        path = tempfile.mkdtemp(prefix="lamplight-whoosh-")
        self.scratch.append(path)
        return FileStorage(path).create()

    def remove_scratch(self) -> None:
        for path in self.scratch:
            shutil.rmtree(path, ignore_errors=True)
        self.scratch.clear()


def memory_index(cat: Catalogue, docs: list[SearchDoc]) -> Index:
    """An in-memory index of ``docs`` (for related items and tests)."""
    storage = _PrivateRamStorage()
    try:
        ix = storage.create_index(_schema(catalogue_words(cat)))
        fill_index(ix, cat, docs)
    finally:
        storage.remove_scratch()
    return ix


# --------------------------------------------------------------------------- queries


def synonym_map(cat: Catalogue) -> dict[str, list[str]]:
    """Normalised word → every normalised word of its synonym group(s), itself first."""
    mapping: dict[str, list[str]] = {}
    for group in cat.synonyms.groups:
        norm = [normalise(w, cat.converter) for w in group if w]
        for word in norm:
            alts = mapping.setdefault(word, [word])
            for other in norm:
                if other not in alts:
                    alts.append(other)
    return mapping


def _term_query(alt: str) -> Query:
    parts: list[Query] = [Term(name, alt, boost=boost) for name, boost in FIELD_BOOSTS.items()]
    if len(alt) == 1:
        parts.append(Term("chars", alt, boost=GRAM_BOOST))
    else:
        pieces = grams(alt)
        if len(pieces) == 1:
            parts.append(Term("grams", pieces[0], boost=GRAM_BOOST))
        elif pieces:
            parts.append(Phrase("grams", pieces, boost=GRAM_BOOST))
    return Or(parts)


@dataclass
class ParsedQuery:
    forms: list[str]
    """Normalised whole query (with and without protected terms)."""
    terms: list[list[str]]
    """For each query word: the word and its synonyms (normalised)."""
    parts: list[str] = field(default_factory=list)
    """Shorter dictionary words inside long query words (for partial matches)."""

    def all_words(self) -> list[str]:
        out: list[str] = []
        for alts in self.terms:
            out.extend(a for a in alts if a not in out)
        return out


def parse_query(cat: Catalogue, query: str) -> ParsedQuery:
    words = catalogue_words(cat)
    synonyms = synonym_map(cat)
    forms = search_forms(query, cat.converter)
    terms: list[list[str]] = []
    seen: set[str] = set()
    for form in forms:
        for term in query_terms(form, words):
            if term in seen:
                continue
            seen.add(term)
            terms.append(synonyms.get(term, [term]))
    parts: list[str] = []
    for alts in terms:
        for alt in alts:
            for part in sub_words(alt, words):
                if part not in seen and part not in parts:
                    parts.append(part)
    return ParsedQuery(forms=forms, terms=terms, parts=parts)


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text)


def _tier(title_norm: str, parsed: ParsedQuery, matched_all: bool) -> int:
    title = _squash(title_norm)
    if any(_squash(f) == title for f in parsed.forms):
        return 0
    if parsed.terms and all(any(a in title_norm for a in alts) for alts in parsed.terms):
        return 1
    return 2 if matched_all else 3


def _filter_query(
    cat: Catalogue, kind: str | None, region: str | None, industry: str | None
) -> Query | None:
    parts: list[Query] = []
    if kind:
        parts.append(Term("kind", kind))
    if region:
        parts.append(
            Or(
                [
                    Term("region", normalise(r.strip(), cat.converter))
                    for r in re.split(r"[,，、\s]+", region)
                    if r.strip()
                ]
            )
        )
    if industry:
        parts.append(Term("industry", normalise(industry.strip(), cat.converter)))
    if not parts:
        return None
    return And(parts) if len(parts) > 1 else parts[0]


def run_query(
    cat: Catalogue,
    ix: Index,
    query: str,
    *,
    kind: str | None = None,
    region: str | None = None,
    industry: str | None = None,
    limit: int = 10,
) -> list[Hit]:
    parsed = parse_query(cat, query)
    if not parsed.terms:
        return []
    per_term = [Or([_term_query(a) for a in alts]) for alts in parsed.terms]
    strict: Query = And(per_term) if len(per_term) > 1 else per_term[0]
    partial = [Or([_term_query(p) for p in parsed.parts], boost=PART_BOOST)] if parsed.parts else []
    loose: Query = Or(per_term + partial)
    flt = _filter_query(cat, kind, region, industry)
    how_to = any(word in form for form in parsed.forms for word in HOW_TO_WORDS)
    found: dict[str, tuple[int, float, dict[str, Any]]] = {}
    with ix.searcher() as searcher:
        for query_obj, matched_all in ((strict, True), (loose, False)):
            results = searcher.search(query_obj, limit=None, filter=flt)
            for hit in results:
                fields = hit.fields()
                key = f"{fields['kind']}:{fields['id']}"
                if key in found:
                    continue
                tier = _tier(fields["title_norm"], parsed, matched_all)
                score = float(hit.score) * KIND_WEIGHT.get(fields["kind"], 1.0)
                if how_to and fields["kind"] == "skill":
                    score *= HOW_TO_SKILL_WEIGHT
                found[key] = (tier, score, fields)
            if len(per_term) == 1 and not partial:
                break
    ordered = sorted(found.values(), key=lambda t: (t[0], -t[1], t[2]["kind"], t[2]["id"]))
    words = parsed.forms + parsed.all_words()
    hits: list[Hit] = []
    for tier, score, fields in ordered[: max(limit, 0)]:
        text, html, plain = make_snippet(cat, fields["text"], words)
        hits.append(
            Hit(
                id=fields["id"],
                kind=fields["kind"],
                title=fields["title_display"],
                url=fields["url"],
                score=score,
                snippet=text,
                snippet_html=html,
                snippet_text=plain,
                region=fields.get("region_label", ""),
                tier=tier,
            )
        )
    return hits


def search(
    cat: Catalogue,
    root: Path,
    query: str,
    kind: str | None = None,
    region: str | None = None,
    industry: str | None = None,
    limit: int = 10,
) -> list[Hit]:
    """Search everything published; either script, synonyms expanded, filters optional.

    ``region`` is a province, county or township in either script, with or without 省/县
    (several may be given, separated by commas); ``industry`` is an industry in either script.
    """
    ix = _open_current(cat, root)
    return run_query(cat, ix, query, kind=kind, region=region, industry=industry, limit=limit)


# --------------------------------------------------------------------------- snippets

SNIPPET_WIDTH = 60
SNIPPET_BEFORE = 16


def make_snippet(cat: Catalogue, text: str, words: list[str]) -> tuple[str, str, str]:
    """(rich markup, HTML, plain) excerpt of ``text`` around the first matched word."""
    flat = re.sub(r"\s+", " ", text).strip()
    if not flat:
        return "", "", ""
    norm = normalise_aligned(flat, cat.converter)
    spans: list[tuple[int, int]] = []
    for word in sorted(set(words), key=len, reverse=True):
        if not word:
            continue
        for match in re.finditer(re.escape(word), norm):
            span = (match.start(), match.end())
            if not any(s < span[1] and span[0] < e for s, e in spans):
                spans.append(span)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for span in spans:
        if merged and span[0] <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], span[1]))
        else:
            merged.append(span)
    spans = merged
    if spans:
        start = max(0, spans[0][0] - SNIPPET_BEFORE)
    else:
        start = 0
    end = min(len(flat), start + SNIPPET_WIDTH)
    inside = [(max(s, start), min(e, end)) for s, e in spans if s < end and e > start]
    rich_parts: list[str] = ["…" if start > 0 else ""]
    html_parts: list[str] = ["…" if start > 0 else ""]
    pos = start
    for s, e in inside:
        rich_parts.append(markup_escape(flat[pos:s]))
        html_parts.append(html_escape(flat[pos:s]))
        rich_parts.append(f"[bold yellow]{markup_escape(flat[s:e])}[/]")
        html_parts.append(f"<mark>{html_escape(flat[s:e])}</mark>")
        pos = e
    tail = "…" if end < len(flat) else ""
    rich_parts.append(markup_escape(flat[pos:end]) + tail)
    html_parts.append(html_escape(flat[pos:end]) + tail)
    plain = ("…" if start > 0 else "") + flat[start:end] + tail
    return "".join(rich_parts), "".join(html_parts), plain


__all__ = [
    "Hit",
    "build_index",
    "search",
    "item_url",
    "memory_index",
    "run_query",
    "parse_query",
    "synonym_map",
]
