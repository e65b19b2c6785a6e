"""Text normalisation and Chinese segmentation shared by every search engine here.

Everything that is indexed and everything that is searched for goes through
:func:`normalise` first: Traditional → Simplified (OpenCC, keeping protected terms),
full-width → half-width, lower case. jieba's dictionary is Simplified only, so this is
what lets 養豬 find 养猪 and the reverse.

Segmentation uses jieba with the catalogue's own words added (taxonomy terms, region names,
key terms of skill titles, synonym words, elders' public names) so that a word is cut the
same way in a document and in a query. Documents are cut in jieba's *search mode*, which
also emits the dictionary words inside a longer word (木耳 inside 黑木耳); the index adds
character bigrams for exact-substring matching on top of that.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import threading
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from whoosh.analysis import Token, Tokenizer

from .scripts import PLAIN, Converter

# jieba is imported where it is used: it takes a quarter of a second, normalise needs none of it.
if TYPE_CHECKING:
    import jieba

#: Full-width ASCII (U+FF01–U+FF5E) → ASCII, ideographic space → space.
_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}

#: Words that carry no meaning in a query or a document ("how do I …", particles).
STOPWORDS: frozenset[str] = frozenset(
    """
    的 了 和 与 及 或 在 是 也 都 就 还 又 把 被 让 给 对 从 向 到 为 以 于 而 并 等 之
    着 过 啊 吗 呢 吧 呀 哦 么 个 这 那 这个 那个 这些 那些 有 没有 一 一个 我 你 他 她
    它 我们 你们 他们 怎么 怎样 怎么样 如何 什么 哪里 哪儿 哪个 为什么 可以 能 会 要 想
    请问 请 一下 关于 方法 办法 技术 a an the of and or to in
    """.split()
)

_WORD_CHAR = re.compile(r"\w", re.UNICODE)
CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
_SEGMENT_SPLIT = re.compile(r"[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


# --------------------------------------------------------------------------- normalising


def normalise(text: str, converter: Converter | None = None) -> str:
    """The search form of ``text``: Simplified, half-width, lower case.

    ``converter`` is the catalogue's (``cat.converter``, which keeps protected terms);
    without one, plain OpenCC ``t2s`` is used.
    """
    if not text:
        return ""
    simplified = (converter or PLAIN).hans(text)
    return _half_width(simplified).lower()


_FULL_WIDTH_RE = re.compile("[\uff01-\uff5e\u3000]")
_HALF_OF = {chr(k): chr(v) for k, v in _HALF_WIDTH.items()}


def _half_width(text: str) -> str:
    """``text.translate(_HALF_WIDTH)``, several times faster on Chinese text (only the few
    full-width characters are looked up)."""
    if len(text) < 64:
        return text.translate(_HALF_WIDTH)
    return _FULL_WIDTH_RE.sub(lambda m: _HALF_OF[m.group()], text)


def normalise_aligned(text: str, converter: Converter | None = None) -> str:
    """Like :func:`normalise`, but always the same length as ``text`` (for highlighting).

    OpenCC almost always converts character for character; when a phrase changes length,
    fall back to converting one character at a time so offsets still line up.
    """
    norm = normalise(text, converter)
    if len(norm) == len(text):
        return norm
    out = []
    for char in text:
        conv = normalise(char)
        out.append(conv if len(conv) == 1 else char.lower())
    return "".join(out)


def protected_extras(text: str, converter: Converter | None) -> list[str]:
    """Plain-converted forms of protected terms found in ``text``.

    Protected terms (「劉大哥一家」) stay in their own script in :func:`normalise`; a reader
    typing 刘大哥 should still find them, so the index adds their plain Simplified form.
    """
    if converter is None:
        return []
    extras = []
    for term in converter.protected:
        if term in text:
            plain = normalise(term)
            if plain != normalise(term, converter):
                extras.append(plain)
    return extras


def search_forms(text: str, converter: Converter | None = None) -> list[str]:
    """Every normalised form a query may take: with and without protected terms."""
    forms = [normalise(text, converter)]
    plain = normalise(text)
    if plain not in forms:
        forms.append(plain)
    return forms


def is_word(token: str) -> bool:
    """True for tokens worth indexing: some letter, digit or ideograph, not a stopword."""
    return bool(_WORD_CHAR.search(token)) and token not in STOPWORDS and not token.isspace()


def strip_markdown(markdown: str) -> str:
    """Plain text of a Markdown body (good enough for indexing and snippets)."""
    text = re.sub(r"```.*?```", " ", markdown, flags=re.S)
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"^\s{0,3}(#{1,6}|>|[-*+]|\d+[.)])\s*", "", text, flags=re.M)
    text = re.sub(r"(\*\*|__|\*|`|~~)", "", text)
    text = re.sub(r"^\s*([-*_]\s*){3,}$", "", text, flags=re.M)
    text = re.sub(r"[ \t]+", " ", text)
    text = re.sub(r"\n{2,}", "\n", text)
    return text.strip()


# --------------------------------------------------------------------------- jieba

_lock = threading.Lock()
"""Tokenizers are built one at a time (each copies jieba's whole dictionary)."""
_MAX_TOKENIZERS = 4


@functools.cache
def _base_tokenizer() -> jieba.Tokenizer:
    """jieba's default dictionary, loaded once per process, quietly."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    logging.getLogger("jieba").setLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    return tok


def words_key(words: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(sorted(set(words))).encode()).hexdigest()[:16]


def segmenter(words: Iterable[str] = ()) -> jieba.Tokenizer:
    """A jieba tokenizer with exactly these extra words (and no others).

    Each word set gets its own tokenizer (a copy of the base dictionary), so segmentation
    never depends on which catalogues were loaded earlier in the same process: the index and
    every later query cut text the same way.
    """
    ordered = tuple(sorted(set(w for w in words if w)))
    with _lock:
        return _tokenizer_with(ordered)


@functools.lru_cache(maxsize=_MAX_TOKENIZERS)
def _tokenizer_with(ordered: tuple[str, ...]) -> jieba.Tokenizer:
    import jieba

    base = _base_tokenizer()
    tok = jieba.Tokenizer()
    tok.FREQ = dict(base.FREQ)
    tok.total = base.total
    tok.initialized = True
    for word in ordered:
        if " " in word or len(word) < 2:
            continue
        if tok.FREQ.get(word):
            continue
        tok.add_word(word)
    return tok


def title_terms(title: str) -> list[str]:
    """Key terms of a title: its all-Chinese pieces of two to four characters."""
    return [p for p in _SEGMENT_SPLIT.split(title) if 2 <= len(p) <= 4]


_PLACE_SUFFIXES = (
    "自治区",
    "自治州",
    "自治县",
    "特别行政区",
    "省",
    "市",
    "县",
    "区",
    "镇",
    "乡",
    "街道",
    "縣",
    "區",
    "鎮",
    "鄉",
)


def short_place_names(name: str) -> list[str]:
    """贵州省 → 贵州; 雷山县 → 雷山 (only when at least two characters remain)."""
    for suffix in _PLACE_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return [name[: -len(suffix)]]
    return []


def query_terms(text: str, words: Iterable[str] = ()) -> list[str]:
    """The words of an already-normalised query, in order, without stopwords."""
    tok = segmenter(words)
    terms: list[str] = []
    for chunk in text.split():
        for word in tok.cut(chunk, HMM=True):
            word = word.strip()
            if is_word(word) and word not in terms:
                terms.append(word)
    return terms


def sub_words(term: str, words: Iterable[str] = ()) -> list[str]:
    """Dictionary words inside a longer query word (窖藏保鲜 → 窖藏, 保鲜)."""
    if len(term) < 3:
        return []
    tok = segmenter(words)
    out: list[str] = []
    for word in tok.cut_for_search(term, HMM=True):
        if word != term and len(word) >= 2 and is_word(word) and word not in out:
            out.append(word)
    return out


# --------------------------------------------------------------------------- whoosh


class JiebaTokenizer(Tokenizer):  # type: ignore[misc]
    """whoosh tokenizer: jieba search mode over already-normalised text.

    Picklable: only the word list is stored in the index schema; the jieba instance is
    looked up (and built once) on first use.
    """

    def __init__(self, words: Iterable[str] = ()):
        self.words = tuple(sorted(set(words)))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, JiebaTokenizer) and other.words == self.words

    def __hash__(self) -> int:
        return hash(self.words)

    def __call__(  # noqa: PLR0913 - whoosh's signature
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            token.original = token.text = value
            token.boost = 1.0
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar = start_char
                token.endchar = start_char + len(value)
            yield token
            return
        tok = segmenter(self.words)
        pos = start_pos
        for word, start, end in tok.tokenize(value, mode="search", HMM=True):
            if not is_word(word):
                continue
            token.text = word
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = word
            if positions:
                token.pos = pos
                pos += 1
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token


class GramTokenizer(Tokenizer):  # type: ignore[misc]
    """Character n-grams (1 or 2) of each run of letters/ideographs.

    Positions jump by two between runs, so a phrase of bigrams only matches text that
    really contains the query as a substring.
    """

    def __init__(self, size: int = 2):
        self.size = size

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GramTokenizer) and other.size == self.size

    def __hash__(self) -> int:
        return hash(("grams", self.size))

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pos = start_pos
        for run in re.finditer(r"\w+", value):
            text = run.group(0)
            for i in range(0, max(len(text) - self.size + 1, 0)):
                gram = text[i : i + self.size]
                token.text = gram
                token.boost = 1.0
                token.stopped = False
                if keeporiginal:
                    token.original = gram
                if positions:
                    token.pos = pos
                    pos += 1
                if chars:
                    token.startchar = start_char + run.start() + i
                    token.endchar = token.startchar + self.size
                yield token
            pos += 2


def grams(text: str, size: int = 2) -> list[str]:
    """The n-grams :class:`GramTokenizer` would index for ``text`` (one run only)."""
    return [t.text for t in GramTokenizer(size)(text)]
