"""Static assets: which theme files the site does not ship, and scrubbing the ones it does."""

from __future__ import annotations

import re
from pathlib import Path

#: The search helper's browser files (copied when present; see generators/search/).
SEARCH_ASSETS = Path(__file__).resolve().parent.parent / "search" / "assets"
SEARCH_SCRIPT = "lamplight-search.js"

_UNUSED = re.compile(
    r"^assets/javascripts/(bundle\.|lunr/|workers/)"
    r"|^assets/stylesheets/palette\."
    r"|\.map$"
)
_COMMENT = re.compile(r"/\*.*?\*/|(?:<|\\3c ?)!--.*?--(?:>|\\3e ?)?", re.S)


def is_unused_theme_file(src_uri: str) -> bool:
    """True for theme files the site never loads (Material's JS bundle, search workers, maps)."""
    return bool(_UNUSED.search(src_uri))


def scrub_comment_urls(text: str) -> str:
    """Drop ``http(s)://`` from addresses in CSS comments and in SVG comments of data URIs.

    Licence notes stay readable; the site just never names another host.
    """
    return _COMMENT.sub(lambda m: re.sub(r"https?://", "", m.group(0)), text)


def search_assets() -> list[Path]:
    """Files of the search helper to copy into assets/javascripts/, sorted."""
    if not SEARCH_ASSETS.is_dir():
        return []
    return sorted(p for p in SEARCH_ASSETS.iterdir() if p.is_file() and not p.name.startswith("."))


def has_search_script() -> bool:
    """True when the in-browser search script exists."""
    return (SEARCH_ASSETS / SEARCH_SCRIPT).is_file()
