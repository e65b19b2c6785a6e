"""Markdown to safe HTML: the one renderer the site and the booklets use.

Python-Markdown renders; nh3 (ammonia) then keeps only an allow-list of tags and
attributes, so raw HTML pasted into content can never run a script, and links may only use
http(s), mailto or relative URLs (``javascript:`` and ``data:`` are dropped).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from importlib.metadata import version

import markdown
import nh3

from .cache import Store, code_stamp, key

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "div", "dl", "dt",
    "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd",
    "li", "mark", "ol", "p", "pre", "s", "small", "span", "strong", "sub", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "*": {"id", "class", "lang"},
}
URL_SCHEMES = {"http", "https", "mailto"}

EXTENSIONS = ["extra", "sane_lists", "smarty"]

#: Markdown link or image targets: ](target) and <... href/src="target">
LINK_TARGET_RE = re.compile(
    r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)|(?:href|src)\s*=\s*[\"']?([^\"'\s>]+)", re.I
)
UNSAFE_HTML_RE = re.compile(
    r"<\s*(script|iframe|object|embed|style|form|input|link|meta|base)\b|\son[a-z]+\s*=", re.I
)
UNSAFE_SCHEME_RE = re.compile(r"^\s*(javascript|vbscript|data|file)\s*:", re.I)


def render_markdown(text: str, *, shift_headings: int = 0) -> str:
    """Render Markdown to sanitised HTML (``shift_headings`` demotes # levels)."""
    if shift_headings:
        text = re.sub(
            r"^(#{1,6})(?=\s)",
            lambda m: "#" * min(6, len(m.group(1)) + shift_headings),
            text,
            flags=re.M,
        )
    html = markdown.markdown(text, extensions=EXTENSIONS, output_format="html")
    return sanitise(html)


def sanitise(html: str) -> str:
    """Keep only allow-listed tags, attributes and URL schemes."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def cached_renderer(store: Store) -> Callable[[str], str]:
    """:func:`render_markdown` with each result kept in ``store`` by the text, this code and
    the libraries' versions (planning a large site renders thousands of bodies)."""
    stamp = key(code_stamp(__file__), version("markdown"), version("nh3"))

    def render(text: str) -> str:
        name = key(stamp, text) + ".html"
        return store.bytes(name, lambda: render_markdown(text).encode("utf-8")).decode("utf-8")

    return render
