"""The editors' search: a whoosh index of everything published, and ``lamplight search``.

The index lives in ``<root>/.lamplight-cache/whoosh`` (git-ignored). It is rebuilt (or, when
only some documents changed, updated: :mod:`.index_update`) in a temporary folder and swapped
in, so a reader of the old index never sees half a new one, and :func:`search` brings it up
to date by itself when the content changed since it was written.

A query is first understood (:mod:`.understanding`, docs/search.md): question and filler
words dropped, colloquial words mapped, numbers also as digits, synonyms added. Ranking,
best first:

0. the title *is* the query;
1. every query word (or one of its alternatives) is in the title;
2. every query word (or an alternative) is somewhere in the item;
3. some query word is somewhere in the item;

within a tier by how many query words the item has, then (for a question that is not a
how-to question) answered questions first, then by BM25F score (title, tags, industry and
region weigh more than body text; partial words count half).
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh import index as whoosh_index
from whoosh.analysis import Analyzer
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage

from ..cache import CACHE_DIR, Store
from ..content import KINDS
from ..content.documents import SearchDoc, catalogue_words, published_documents
from ..fsutil import swap_in
from ..text import GramTokenizer, JiebaTokenizer, normalise, protected_extras
from .index_update import (
    Lengths,
    apply_changes,
    doc_digest,
    doc_key,
    fill_shards,
    index_stamp,
    resolve_changes,
)
from .query import Hit, Hits, run_query
from .understanding import cached_rules, rules

if TYPE_CHECKING:
    from whoosh.index import Index

    from ..content import Catalogue

#: Bump when the schema or the analysis changes: old indexes are then rebuilt.
SCHEMA_VERSION = "4"
INDEX_DIR = "whoosh"
META_FILE = "lamplight-index.json"


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
        "url": KINDS[doc.kind].page_path(doc.id),
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


def fill_index(ix: Index, cat: Catalogue, docs: list[SearchDoc]) -> Lengths:
    """Add ``docs`` to the index ``ix``; the exact field lengths of each."""
    return fill_shards(ix, docs, lambda doc: _fields(cat, doc))


def build_index(cat: Catalogue, root: Path) -> Path:
    """Build the editors' index at ``root/.lamplight-cache/whoosh``; return its path.

    When the previous index has the same stamp (:mod:`.index_update`), only the documents
    that changed are indexed again; otherwise it is rebuilt. Either way the new index is
    made in a temporary folder beside it and swapped in.
    """
    cache = Path(root) / CACHE_DIR
    cache.mkdir(parents=True, exist_ok=True)
    target = cache / INDEX_DIR
    words = catalogue_words(cat)
    stamp = index_stamp(cat, SCHEMA_VERSION, words)
    docs = published_documents(cat)
    previous = _read_meta(target, "stamp") == stamp and whoosh_index.exists_in(str(target))
    old = _read_meta(target, "docs") if previous else None
    old_lengths = _read_meta(target, "lengths") if previous else None
    with tempfile.TemporaryDirectory(prefix="whoosh-new-", dir=cache) as tmp:
        new = Path(tmp) / INDEX_DIR
        if isinstance(old, dict) and isinstance(old_lengths, dict):
            mode, lengths = _update_copy(cat, target, new, docs, old, old_lengths)
        else:
            new.mkdir()
            ix = FileStorage(str(new)).create_index(_schema(words))
            mode, lengths = "full", fill_index(ix, cat, docs)
            ix.close()
        meta = {
            "fingerprint": fingerprint(cat),
            "built": int(time.time()),
            "rules": cached_rules(cat, Store.of(root, "rules")),
            "stamp": stamp,
            "mode": mode,
            "docs": {doc_key(d.kind, d.id): doc_digest(d) for d in docs},
            "lengths": lengths,
        }
        (new / META_FILE).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        swap_in(new, target)
    return target


def _update_copy(  # noqa: PLR0913 - the index, its copy and what it held
    cat: Catalogue,
    target: Path,
    new: Path,
    docs: list[SearchDoc],
    old: dict[str, str],
    lengths: Lengths,
) -> tuple[str, Lengths]:
    """Copy the index at ``target`` to ``new`` and update it there: the mode it took
    (``update:+added-deleted``) and the exact field lengths of its documents."""
    shutil.copytree(target, new)
    changes = resolve_changes(docs, old)
    if changes:
        ix = whoosh_index.open_dir(str(new))
        try:
            lengths = apply_changes(ix, changes, lambda doc: _fields(cat, doc), lengths)
        finally:
            ix.close()
    return f"update:+{len(changes.add)}-{len(changes.remove)}", lengths


def _read_meta(target: Path, key: str) -> Any:
    try:
        return json.loads((target / META_FILE).read_text(encoding="utf-8")).get(key)
    except (OSError, ValueError, AttributeError):
        return None


def _read_fingerprint(target: Path) -> Any:
    return _read_meta(target, "fingerprint")


def open_index(cat: Catalogue, root: Path) -> Index:
    """The index for ``cat``, rebuilt first when missing or out of date."""
    target = Path(root) / CACHE_DIR / INDEX_DIR
    if _read_fingerprint(target) != fingerprint(cat) or not whoosh_index.exists_in(str(target)):
        build_index(cat, root)
    return whoosh_index.open_dir(str(target))


def search(
    cat: Catalogue,
    root: Path,
    query: str,
    kind: str | None = None,
    region: str | None = None,
    industry: str | None = None,
    limit: int = 10,
) -> Hits:
    """Search everything published; either script, understood as :mod:`.understanding`
    says (question and filler words dropped, colloquial words mapped, numbers normalised),
    synonyms expanded, filters optional.

    ``region`` is a province, county or township in either script, with or without 省/县
    (several may be given, separated by commas); ``industry`` is an industry in either script.
    """
    ix = open_index(cat, root)
    data = _read_meta(Path(root) / CACHE_DIR / INDEX_DIR, "rules") or rules(cat)
    try:
        return run_query(
            cat, ix, query, data=data, kind=kind, region=region, industry=industry, limit=limit
        )
    finally:
        ix.close()


__all__ = ["Hit", "Hits", "build_index", "open_index", "search"]
