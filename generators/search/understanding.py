"""How a query is understood, before any engine sees it (docs/search.md).

One description, ``content/synonyms.yaml``, is turned by :func:`rules` into a small dict
(normalised Simplified words only). The editors' search uses it here; the browser script
gets the same dict inside ``lamplight-data.json`` and runs the same steps
(``understand`` in ``assets/lamplight-search.js``), so a question is cut the same way in
``lamplight search``, on the website and in the offline bundle:

1. normalise (Simplified, half-width, lower case);
2. cut left to right, always taking the longest known word at each place: a question or
   filler word is dropped (and a question word marks the query as a question), a content
   word (vocabulary, title terms, synonyms, colloquial words) is one query word, a Chinese
   number (二十, 一万, 三亩 → 3) becomes its digits *and* its written form;
3. the characters between known words stay together as one piece (the engines cut them
   further); a single leftover character is dropped when other words remain, and so is a
   measure word after a number (二十头猪 → 20/二十, 猪);
4. each query word gets its alternatives: the content's words for a colloquial word
   (拉稀 → 腹泻), the other words of its synonym groups, the content's unit (块钱 → 元).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.metadata import version
from typing import TYPE_CHECKING, Any

from .. import scripts
from .. import text as text_module
from ..cache import Store, code_stamp, key
from ..content.documents import catalogue_words, published_documents
from ..text import CJK_RE, is_word, normalise, segmenter

if TYPE_CHECKING:
    from ..content import Catalogue

#: Chinese digits and their values; 两 is 2 before a measure word (两头猪).
DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6}
DIGITS |= {"七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
BIG = {"万": 10_000, "亿": 100_000_000}
#: Characters that follow a single Chinese digit when it is a number (一亩, 三头).
MEASURES = "头只亩斤袋年个箱棵株元块天月次岁批根张斗担"
#: The question words always known, besides content/synonyms.yaml (a question mark).
QUESTION_MARKS = "?？"
VOCABULARY_LIMIT = 800
"""Most words of the content's own vocabulary kept for cutting queries (the most frequent;
about 3 KB gzip for 800 words, part of lamplight-data.json, which the first search
fetches; the sample reaches every test query with 600, 4,000 made no difference)."""


@dataclass
class Understood:
    """A query after understanding."""

    groups: list[list[str]]
    """One list per query word: the word first, then its alternatives (normalised)."""
    question: bool
    """True when the query is a question (a question word or a question mark)."""
    dropped: list[str] = field(default_factory=list)
    """The question and filler words taken out, in order."""
    kinds: list[str] = field(default_factory=list)
    """For each group: ``word`` (a known word), ``num`` (a number) or ``run`` (unknown
    characters, which an engine may cut further)."""


VOCABULARY_DOCS = 500
"""Most items whose text the vocabulary is taken from (jieba and OpenCC cut about 0.25 M
characters a second)."""
VOCABULARY_CHARS = 600
"""Characters of each item's text (after its title) the vocabulary is taken from."""


def vocabulary(
    cat: Catalogue, texts: Iterable[str], limit: int | None = VOCABULARY_LIMIT
) -> list[str]:
    """The content's own words (2–4 characters, jieba's search-mode cut of ``texts``),
    the ``limit`` found in most texts (all of them for ``None``), most frequent first."""
    tok = segmenter(catalogue_words(cat))
    found: Counter[str] = Counter()
    for text in texts:
        norm = normalise(text, cat.converter)
        # dictionary words only: the HMM's guesses (能卖, 头猪) would cut queries wrongly
        cuts = tok.cut_for_search(norm, HMM=False)
        found.update({w for w in cuts if 2 <= len(w) <= 4 and CJK_RE.search(w) and tok.FREQ.get(w)})
    ranked = sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))
    return [w for w, _ in ranked[:limit] if is_word(w)]


def sample_texts(cat: Catalogue) -> list[str]:
    """The texts the vocabulary is taken from: the title and the first
    :data:`VOCABULARY_CHARS` characters of at most :data:`VOCABULARY_DOCS` published items
    (every n-th, so the cost stays about a second on any site)."""
    docs = published_documents(cat)
    step = max(1, -(-len(docs) // VOCABULARY_DOCS))
    return [d.title + "\n" + d.text[:VOCABULARY_CHARS] for d in docs[::step]]


def rules(cat: Catalogue, texts: Iterable[str] | None = None) -> dict[str, Any]:
    """The query rules of ``cat`` as plain data (shared with the browser script).

    ``col``: colloquial word → content words; ``qw`` / ``fill``: question and filler
    words; ``units``: unit → the content's unit; ``syn``: synonym groups; ``words``: the
    content's own words (from ``texts``, by default :func:`sample_texts`), which a query
    is cut into. Every word is normalised.
    """
    conv = cat.converter
    syn = cat.synonyms

    def norm(word: str) -> str:
        return normalise(word, conv)

    if texts is None:
        texts = sample_texts(cat)
    groups = [[norm(w) for w in g if w] for g in syn.groups]
    colloquial: dict[str, list[str]] = {}
    for word in sorted(syn.colloquial):
        entry = colloquial.setdefault(norm(word), [])
        entry += [t for t in map(norm, syn.colloquial_targets(word)) if t not in entry]
    questions = sorted({norm(w) for w in syn.question_words})
    fillers = sorted({norm(w) for w in syn.filler_words})
    known = {w for g in groups for w in g} | set(colloquial) | set(questions) | set(fillers)
    # a vocabulary word never swallows a number (摆一 of 摆一万袋) or a question word
    found = [w for w in vocabulary(cat, texts, limit=None) if not any(c in _NUMERAL for c in w)]
    common = set(found[:VOCABULARY_LIMIT])
    # and a one-character filler is dropped only as a word of its own: the content's
    # words that hold one (在家, 能力, 还原) are kept whole, however rare
    singles = {w for w in fillers + questions if len(w) == 1}
    common |= {w for w in found if any(c in singles for c in w)}
    words = set(catalogue_words(cat)) | common
    words = {w for w in words - known if not any(q in w for q in questions)}
    return {
        "col": colloquial,
        "qw": questions,
        "fill": fillers,
        "units": {norm(k): norm(v) for k, v in sorted(syn.units.items())},
        "syn": [g for g in groups if len(g) > 1],
        "words": sorted(words),
    }


def cached_rules(cat: Catalogue, store: Store) -> dict[str, Any]:
    """:func:`rules` of ``cat``, kept in ``store`` by everything they are made from (the
    sampled texts, the synonyms, the catalogue's words, the conversion and the code): the
    vocabulary's cut of the content takes seconds on a large site, and an edit outside the
    sampled texts leaves the rules as they were."""
    texts = sample_texts(cat)
    name = (
        key(
            code_stamp(__file__, text_module.__file__, scripts.__file__),
            version("jieba"),
            json.dumps(
                [
                    cat.converter.key,
                    cat.synonyms.model_dump(mode="json"),
                    catalogue_words(cat),
                    texts,
                ],
                ensure_ascii=False,
                sort_keys=True,
            ),
        )
        + ".json"
    )
    found = store.read(name)
    if found is not None:
        try:
            data: dict[str, Any] = json.loads(found)
            return data
        except ValueError:
            pass
    data = rules(cat, texts)
    if store.folder is not None and store.folder.is_dir():
        for old in store.folder.glob("*.json"):  # one entry: the rules of the last build
            old.unlink(missing_ok=True)
    store.write(name, json.dumps(data, ensure_ascii=False, sort_keys=True))
    return data


def chinese_number(text: str) -> int | None:
    """二十 → 20, 一万 → 10000, 三千五百 → 3500, 2万 → 20000; ``None`` if not a number."""
    if text.isdigit():
        return int(text)
    total = section = 0
    digit: int | None = None
    for char in text:
        if char.isdigit():
            digit = (digit or 0) * 10 + int(char)
        elif char in DIGITS:
            if digit is not None and not text[0].isdigit():
                return None  # 两三, 四五: a range, not a number
            digit = DIGITS[char]
        elif char in UNITS:
            section += (1 if digit is None else digit) * UNITS[char]
            digit = None
        elif char in BIG:
            total += (section + (digit or 0)) * BIG[char]
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


_NUMERAL = set(DIGITS) | set(UNITS) | set(BIG)


def _number_at(text: str, i: int) -> tuple[int, list[str]] | None:
    """A number starting at ``text[i]``: (its end, [digits, as written]) or ``None``."""
    j = i
    while j < len(text) and (text[j] in _NUMERAL or text[j].isdigit()):
        j += 1
    written = text[i:j]
    if not written or written.isdigit():
        return (j, [written]) if written else None
    value = chinese_number(written)
    if value is None:
        return None
    follows = text[j] if j < len(text) else ""
    if len(written) == 1 and written not in UNITS and (not follows or follows not in MEASURES):
        return None
    if follows and follows in MEASURES:
        j += 1  # the measure word goes with the number (二十头猪: 20 and 猪)
    return j, [str(value), written]


class _Cutter:
    def __init__(self, data: dict[str, Any]):
        self.drop = set(data.get("qw", [])) | set(data.get("fill", []))
        self.questions = set(data.get("qw", []))
        self.colloquial = set(data.get("col", {}))
        self.keep = set(data.get("words", [])) | self.colloquial
        self.keep |= {w for g in data.get("syn", []) for w in g} | set(data.get("units", {}))
        self.longest = max((len(w) for w in self.keep | self.drop), default=1)

    def longest_at(self, text: str, i: int) -> str:
        for size in range(min(self.longest, len(text) - i), 0, -1):
            piece = text[i : i + size]
            if piece in self.drop or (piece in self.keep and (size > 1 or not piece.isdigit())):
                return piece
        return ""


def cut(text: str, data: dict[str, Any]) -> tuple[list[tuple[str, list[str]]], bool, list[str]]:
    """Cut a normalised query: ([(kind, [word, …])], question?, dropped words).

    ``kind`` is ``word`` (a known word), ``num`` ([digits, as written]) or ``run`` (the
    unknown characters between known words).
    """
    cutter = _Cutter(data)
    tokens: list[tuple[str, list[str]]] = []
    dropped: list[str] = []
    question = any(mark in text for mark in QUESTION_MARKS)
    buf = ""

    def flush() -> None:
        nonlocal buf
        if buf:
            tokens.append(("run", [buf]))
        buf = ""

    i = 0
    while i < len(text):
        char = text[i]
        if not (char.isalnum() or char == "_"):
            flush()
            i += 1
            continue
        number = _number_at(text, i) if (char in _NUMERAL or char.isdigit()) else None
        word = cutter.longest_at(text, i)
        if number:
            flush()
            tokens.append(("num", number[1]))
            i = number[0]
            continue
        if word:
            flush()
            question = question or word in cutter.questions
            if word in cutter.drop and word not in cutter.colloquial:
                dropped.append(word)
            else:
                tokens.append(("word", [word]))
            i += len(word)
            continue
        buf += char
        i += 1
    flush()
    if any(len(t[1][0]) > 1 or t[0] != "run" for t in tokens):
        tokens = [t for t in tokens if not (t[0] == "run" and len(t[1][0]) == 1)]
    return tokens, question, dropped


def alternatives(word: str, data: dict[str, Any]) -> list[str]:
    """``word`` first, then the content's words for it and their synonyms (normalised)."""
    out = [word]
    out += [t for t in data.get("col", {}).get(word, []) if t not in out]
    unit = data.get("units", {}).get(word)
    if unit and unit not in out:
        out.append(unit)
    for base in list(out):
        for group in data.get("syn", []):
            if base in group:
                out += [w for w in group if w not in out]
    return out


def understand(query: str, data: dict[str, Any], cat: Catalogue | None = None) -> Understood:
    """Understand ``query`` (either script) with the rules ``data`` (see :func:`rules`).

    Pieces of unknown characters are one group each; :mod:`.query` cuts them further with
    jieba for whoosh, the browser hands them to Pagefind as they are.
    """
    text = normalise(query, cat.converter if cat else None)
    tokens, question, dropped = cut(text, data)
    groups: list[list[str]] = []
    kinds: list[str] = []
    for kind, words in tokens:
        group = words if kind == "num" else alternatives(words[0], data)
        if group not in groups:
            groups.append(group)
            kinds.append(kind)
    return Understood(groups=groups, question=question, dropped=dropped, kinds=kinds)
