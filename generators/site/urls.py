"""Where each generated page lives and how one page links to another."""

from __future__ import annotations

import hashlib
import posixpath
from functools import lru_cache

from ..scripts import fold


def dest_url(src: str, directory_urls: bool) -> str:
    """URL path (relative to the site root) of the page built from ``src`` ("a/b.md")."""
    stem = src[: -len(".md")] if src.endswith(".md") else src
    if not directory_urls:
        return stem + ".html"
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def relative(from_src: str, to_src: str, directory_urls: bool) -> str:
    """Relative href from the page built from ``from_src`` to the page built from ``to_src``."""
    return relative_to_path(from_src, dest_url(to_src, directory_urls), directory_urls)


@lru_cache(maxsize=262_144)
def relative_to_path(from_src: str, target: str, directory_urls: bool) -> str:
    """Relative href from the page built from ``from_src`` to any site path ("media/x.jpg", "a/")."""
    here = dest_url(from_src, directory_urls)
    base = here.rstrip("/") if here.endswith("/") or not here else posixpath.dirname(here)
    base = base or "."
    is_dir = target == "" or target.endswith("/")
    rel = posixpath.relpath(target.rstrip("/") or ".", base)
    if is_dir:
        return "./" if rel == "." else rel + "/"
    return rel


def slug(value: str) -> str:
    """Stable ASCII slug for a taxonomy value, the same in both scripts."""
    return hashlib.sha1(fold(value).encode("utf-8")).hexdigest()[:8]


def skill_src(ident: str) -> str:
    """Source URI of a skill page."""
    return f"skills/{ident}.md"


def story_src(ident: str) -> str:
    """Source URI of a showcase (story) page."""
    return f"stories/{ident}.md"


def elder_src(ident: str) -> str:
    """Source URI of an elder page."""
    return f"elders/{ident}.md"


def list_src(base: str, number: int) -> str:
    """Source URI of page ``number`` (1-based) of a paginated list rooted at ``base`` ("skills")."""
    return f"{base}/index.md" if number == 1 else f"{base}/page/{number}.md"
