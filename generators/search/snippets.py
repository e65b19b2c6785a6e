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
