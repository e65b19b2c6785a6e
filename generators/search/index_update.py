"""Updating the editors' whoosh index in place of rebuilding it (issue #18 part 2).

An index records a *stamp*: everything global that shapes how every document is indexed
(the search code, the text normalisation code, the converter's protected terms and fixes,
the synonyms, the jieba dictionary words, the library versions). It also records a digest
of each document's searchable fields. When the stamp of the next build equals the recorded
one, only the documents whose digest changed are indexed again, removed or unpublished ones
are deleted and new ones added, in one writer commit. A full build writes :data:`SHARDS`
segments; the commit rewrites only those that held a deleted document, with none of the
deleted documents left in and with exact field length totals, so the statistics BM25F
ranks by (document frequencies, average field lengths, document count) are those of a
fresh build and every score is the same. Otherwise the caller rebuilds from scratch.

The update is made on a copy of the index folder that is swapped in afterwards: a failed
update leaves the previous index as it was.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from whoosh.index import Index

    from ..content import Catalogue
    from ..content.documents import SearchDoc

_PACKAGE = Path(__file__).resolve().parent.parent
#: The sources that shape the indexed fields of every document.
_CODE = ("search/*.py", "text.py", "scripts.py", "content/kinds.py")


@dataclass
class Changes:
    """What an update does to the previous index."""

    add: list[SearchDoc] = field(default_factory=list)
    """Documents to index (new ones and changed ones)."""
    remove: set[str] = field(default_factory=set)
    """Keys (``kind:id``) of the documents to delete (changed, removed or unpublished)."""

    def __bool__(self) -> bool:
        return bool(self.add or self.remove)


def doc_key(kind: str, doc_id: str) -> str:
    """The key of a document in the index's digests (ids are unique within a kind only)."""
    return f"{kind}:{doc_id}"


def doc_digest(doc: SearchDoc) -> str:
    """Digest of everything of ``doc`` that goes into the index."""
    data = [
        doc.id,
        doc.kind,
        doc.title,
        doc.text,
        doc.industries,
        doc.regions,
        doc.region_label,
        doc.tags,
    ]
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def _versions() -> str:
    found = []
    for name in ("whoosh", "jieba", "opencc", "opencc-python-reimplemented"):
        try:
            found.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            found.append(f"{name}=?")
    return ";".join(found)


def _code_digest() -> str:
    digest = hashlib.blake2b(digest_size=16)
    for pattern in _CODE:
        for path in sorted(_PACKAGE.glob(pattern)):
            digest.update(path.relative_to(_PACKAGE).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def index_stamp(cat: Catalogue, schema_version: str, words: tuple[str, ...]) -> str:
    """The stamp of an index of ``cat`` analysed with the jieba dictionary ``words``."""
    converter_key = getattr(cat.converter, "key", ()) if cat.converter is not None else ()
    parts = {
        "schema": schema_version,
        "code": _code_digest(),
        "versions": _versions(),
        "converter": list(converter_key),
        "synonyms": cat.synonyms.model_dump(mode="json"),
        "words": hashlib.blake2b("\n".join(words).encode(), digest_size=16).hexdigest(),
    }
    raw = json.dumps(parts, ensure_ascii=False, sort_keys=True).encode()
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def resolve_changes(docs: Iterable[SearchDoc], old: dict[str, str]) -> Changes:
    """The changes that turn an index with digests ``old`` into one of ``docs``."""
    changes = Changes()
    seen: set[str] = set()
    for doc in docs:
        key = doc_key(doc.kind, doc.id)
        seen.add(key)
        previous = old.get(key)
        if previous == doc_digest(doc):
            continue
        if previous is not None:
            changes.remove.add(key)
        changes.add.append(doc)
    changes.remove.update(set(old) - seen)
    return changes


#: Segments a full build writes (documents spread by key): an update rewrites only those
#: holding a changed document, so its cost is about 1/SHARDS of the index's postings.
SHARDS = 8
#: Once there are more than SHARDS segments, the next update merges those smaller than
#: this (made by updates that only added documents).
SMALL_SEGMENT = 16

#: Exact field lengths (term counts) per document key, per scorable field.
Lengths = dict[str, dict[str, int]]


def add_documents(
    writer: Any, docs: Iterable[SearchDoc], fields_of: Callable[[SearchDoc], dict[str, Any]]
) -> Lengths:
    """Add ``docs`` with ``writer``; the exact field lengths of each.

    whoosh keeps a document's field lengths only as one byte each; the exact ones are
    recorded with the index so that an update can restore the exact totals (BM25F's
    average field lengths) a full build has.
    """
    totals: dict[str, int] = writer.perdocwriter._fieldlengths
    lengths: Lengths = {}
    for doc in docs:
        before = dict(totals)
        writer.add_document(**fields_of(doc))
        lengths[doc_key(doc.kind, doc.id)] = {
            name: count - before.get(name, 0)
            for name, count in sorted(totals.items())
            if count != before.get(name, 0)
        }
    return lengths


def fill_shards(
    ix: Index, docs: list[SearchDoc], fields_of: Callable[[SearchDoc], dict[str, Any]]
) -> Lengths:
    """Add ``docs`` to the empty index ``ix`` in :data:`SHARDS` segments (by key); the exact
    field lengths of each document. An update then rewrites only the segments it touches."""
    shards: dict[int, list[SearchDoc]] = defaultdict(list)
    for doc in docs:
        shards[_shard_of(doc_key(doc.kind, doc.id))].append(doc)
    lengths: Lengths = {}
    for shard in sorted(shards):
        writer = ix.writer()
        lengths.update(add_documents(writer, shards[shard], fields_of))
        writer.commit(merge=False)
    return lengths


def _shard_of(key: str) -> int:
    return hashlib.blake2b(key.encode(), digest_size=2).digest()[0] % SHARDS


def _merge_exactly(lengths: Lengths, added: set[str]) -> Callable[[Any, list[Any]], list[Any]]:
    """A whoosh merge policy: the segments with deleted documents (and small ones) are
    merged into the new segment, whose field length totals are then made exact from
    ``lengths`` (whoosh would sum the one-byte lengths). The others are kept as they are."""

    def merge(writer: Any, segments: list[Any]) -> list[Any]:
        from whoosh.reading import SegmentReader

        kept, inside = [], set(added)
        crowded = len(segments) > SHARDS
        for segment in segments:
            small = crowded and segment.doc_count_all() < SMALL_SEGMENT
            if not segment.has_deletions() and not small:
                kept.append(segment)
                continue
            reader = SegmentReader(writer.storage, writer.schema, segment)
            inside.update(doc_key(f["kind"], f["id"]) for _, f in reader.iter_docs())
            writer.add_reader(reader)
            reader.close()
        totals: defaultdict[str, int] = defaultdict(int)
        for key in inside:
            for name, count in lengths[key].items():
                totals[name] += count
        writer.perdocwriter._fieldlengths = totals
        return kept

    return merge


def apply_changes(
    ix: Index,
    changes: Changes,
    fields_of: Callable[[SearchDoc], dict[str, Any]],
    lengths: Lengths,
) -> Lengths:
    """Delete and add what ``changes`` says in one commit (rewriting only the segments that
    held deleted documents); the exact field lengths of the documents now in the index
    (``lengths``: those before)."""
    with ix.reader() as reader:
        doomed = [
            docnum
            for docnum, stored in reader.iter_docs()
            if doc_key(stored["kind"], stored["id"]) in changes.remove
        ]
    kept = {key: value for key, value in lengths.items() if key not in changes.remove}
    writer = ix.writer()
    try:
        for docnum in doomed:
            writer.delete_document(docnum)
        kept.update(add_documents(writer, changes.add, fields_of))
    except BaseException:
        writer.cancel()
        raise
    writer.commit(mergetype=_merge_exactly(kept, {doc_key(d.kind, d.id) for d in changes.add}))
    return kept


__all__ = [
    "Changes",
    "Lengths",
    "add_documents",
    "apply_changes",
    "fill_shards",
    "doc_digest",
    "doc_key",
    "index_stamp",
    "resolve_changes",
]
