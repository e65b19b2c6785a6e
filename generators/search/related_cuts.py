"""The texts of related items cut into words with jieba, once per text and word list.

The cuts are kept in the related-items cache store, keyed by a hash of each text and the
word list, so an edit re-cuts only the edited text. Many texts are cut in two forked
processes.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from typing import TYPE_CHECKING, Any

from ..cache import Store
from ..parallel import fork_map
from ..text import is_word, normalise, protected_extras, segmenter, words_key
from .related_stats import SEP

if TYPE_CHECKING:
    from ..content import Catalogue
    from ..content.documents import SearchDoc

CUTS_VERSION = "5"
"""Bump when the word cutting changes (cached cuts are then remade)."""


def body_text(cat: Catalogue, doc: SearchDoc) -> str:
    """The normalised text of ``doc`` that is cut into words (title, text, protected terms)."""
    conv = cat.converter
    text = normalise(doc.title + "\n" + doc.text, conv)
    extras = protected_extras(doc.title + "\n" + doc.text, conv)
    if extras:
        text += "\n" + "\n".join(extras)
    return text


class Cutter:
    """jieba with one word list, cutting as the editors' index does (search mode)."""

    def __init__(self, words: tuple[str, ...]):
        self.tokenizer: Any = segmenter(words)
        """The jieba tokenizer with exactly these extra words."""

    def cut(self, text: str) -> str:
        """jieba's words of ``text``, joined by :data:`SEP`."""
        return SEP.join(
            word
            for word, _start, _end in self.tokenizer.tokenize(text, mode="search", HMM=True)
            if is_word(word)
        )


def _cut_one(cutter: Cutter, text: str) -> str:
    return cutter.cut(text)


def _read_cuts(store: Store, name: str) -> dict[str, str]:
    data = store.read(name)
    if data is None:
        return {}
    try:
        loaded = json.loads(data)
    except ValueError:
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _cut_many(cutter: Cutter, texts: list[str]) -> list[str]:
    # No fork while other threads run (e.g. in the live preview's server).
    if len(texts) >= 64 and (os.cpu_count() or 1) > 1 and threading.active_count() == 1:
        return fork_map(_cut_one, cutter, texts, 2, chunksize=16)
    return [cutter.cut(t) for t in texts]


def cut_all(texts: list[str], words: tuple[str, ...], store: Store) -> list[str]:
    """Cut every text, reusing earlier cuts (by text and word list) and both cores."""
    name = f"cuts-{CUTS_VERSION}-{words_key(words)}.json"
    known = _read_cuts(store, name)
    hashes = [hashlib.sha256(t.encode()).hexdigest()[:24] for t in texts]
    todo = {h: t for h, t in zip(hashes, texts, strict=True) if h not in known}
    if todo:
        cuts = _cut_many(Cutter(words), list(todo.values()))
        known.update(zip(todo, cuts, strict=True))
        if store.folder is not None:
            keep = {h: known[h] for h in dict.fromkeys(hashes)}
            store.write(name, json.dumps(keep, ensure_ascii=False))
            for old in store.folder.glob("cuts-*.json"):
                if old.name != name:
                    old.unlink(missing_ok=True)
    return [known[h] for h in hashes]
