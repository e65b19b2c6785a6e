"""Search-result excerpts around the matched words (terminal markup, HTML, plain text)."""

from __future__ import annotations

import re
from html import escape as html_escape
from typing import TYPE_CHECKING

from rich.markup import escape as markup_escape

from ..text import normalise_aligned

if TYPE_CHECKING:
    from ..content import Catalogue

SNIPPET_WIDTH = 60
SNIPPET_BEFORE = 16
#: Where a sentence ends, and where a phrase inside a sentence ends.
SENTENCE_ENDS = "。！？!?；;\n"
PHRASE_ENDS = "，,、：:）)」”"


def excerpt_start(
    flat: str, norm: str, spans: list[tuple[int, int]], groups: list[list[str]]
) -> int:
    """Where the excerpt starts: the sentence with the most query words (a word and its
    alternatives count once; the first such sentence), from its start, or from the phrase
    before the first match when the sentence starts too far before it."""
    if not spans:
        return 0
    bounds = [0] + [i + 1 for i, c in enumerate(flat) if c in SENTENCE_ENDS] + [len(flat)]
    best, best_count = spans[0][0], -1.0
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        here = [(s, e) for s, e in spans if lo <= s < hi]
        if not here:
            continue
        marked = [norm[s:e] for s, e in here]
        if groups:
            count = float(sum(any(w and w in m for w in g for m in marked) for g in groups))
        else:
            count = float(len(set(marked)))
        count = count or 0.5  # a match of the whole query only
        if count > best_count:
            best, best_count = here[0][0], count
    sentence = max(b for b in bounds if b <= best)
    while sentence < len(flat) and flat[sentence] == " ":
        sentence += 1
    if best - sentence <= SNIPPET_WIDTH - 20:
        return sentence
    phrase = max((i + 1 for i in range(sentence, best) if flat[i] in PHRASE_ENDS), default=-1)
    if phrase >= 0 and best - phrase <= SNIPPET_WIDTH - 20:
        return phrase
    return max(sentence, best - SNIPPET_BEFORE)


def make_snippet(
    cat: Catalogue, text: str, words: list[str], groups: list[list[str]] | None = None
) -> tuple[str, str, str]:
    """(rich markup, HTML, plain) excerpt of ``text`` with the matched ``words`` marked,
    from the start of the sentence with most of the query's ``groups`` (see
    :func:`excerpt_start`)."""
    flat = re.sub(r"\s+", " ", text).strip()
    if not flat:
        return "", "", ""
    norm = normalise_aligned(flat, cat.converter)
    spans: list[tuple[int, int]] = []
    for word in sorted(set(words), key=len, reverse=True):
        if not word:
            continue
        # a number only as a whole number (20, not the 20 of 2016)
        pattern = rf"(?<!\d){re.escape(word)}(?!\d)" if word[0].isdigit() else re.escape(word)
        for match in re.finditer(pattern, norm):
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
    start = excerpt_start(flat, norm, spans, groups or [])
    end = min(len(flat), start + SNIPPET_WIDTH)
    cut_in = start > 0 and flat[start - 1] not in SENTENCE_ENDS + " "
    inside = [(max(s, start), min(e, end)) for s, e in spans if s < end and e > start]
    rich_parts: list[str] = ["…" if cut_in else ""]
    html_parts: list[str] = ["…" if cut_in else ""]
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
    plain = ("…" if cut_in else "") + flat[start:end] + tail
    return "".join(rich_parts), "".join(html_parts), plain
