"""Where each generated page lives and how one page links to another (site, search, booklets)."""

from __future__ import annotations

import hashlib
import os
import posixpath
from pathlib import Path
from typing import Any

import yaml

from .scripts import fold

DEFAULT_SITE_URL = "https://lamplight.example.org/"
"""The placeholder domain used when mkdocs.yml names no ``site_url``."""


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


def relative_to_path(from_src: str, target: str, directory_urls: bool) -> str:
    """Relative href from the page built from ``from_src`` to any site path ("media/x.jpg", "a/")."""
    here = dest_url(from_src, directory_urls)
    base = here.rstrip("/") if here.endswith("/") or not here else posixpath.dirname(here)
    is_dir = target == "" or target.endswith("/")
    rel = _relpath(target.rstrip("/"), base)
    if is_dir:
        return "./" if rel == "." else rel + "/"
    return rel


def _relpath(target: str, base: str) -> str:
    """``posixpath.relpath(target or ".", base or ".")`` for site paths, without its two
    ``abspath`` calls (a large site makes millions of links)."""
    to = [part for part in target.split("/") if part and part != "."]
    start = [part for part in base.split("/") if part and part != "."]
    if ".." in to or ".." in start:
        return posixpath.relpath(target or ".", base or ".")
    common = 0
    for a, b in zip(to, start, strict=False):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(start) - common) + to[common:]) or "."


def slug(value: str) -> str:
    """Stable ASCII slug for a taxonomy value, the same in both scripts."""
    return hashlib.sha1(fold(value).encode("utf-8")).hexdigest()[:8]


def item_src(page_folder: str, ident: str) -> str:
    """Source URI of an item's page (``stories/<id>.md``); the folder comes from its kind."""
    return f"{page_folder}/{ident}.md"


def absolute(base_url: str, path: str) -> str:
    """Absolute URL of a site path (``stories/x/``) under ``base_url`` (ends in ``/``)."""
    base = base_url if base_url.endswith("/") else base_url + "/"
    return base + path.lstrip("/")


def list_src(base: str, number: int) -> str:
    """Source URI of page ``number`` (1-based) of a paginated list rooted at ``base`` ("skills")."""
    return f"{base}/index.md" if number == 1 else f"{base}/page/{number}.md"


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml: ``!ENV`` tags are resolved as MkDocs does, other tags read as null."""


def _construct_env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    elif isinstance(node, yaml.SequenceNode):
        values = loader.construct_sequence(node)
        names, default = values[:-1], values[-1] if len(values) > 1 else None
        names = names or values
    else:
        return None
    for name in names:
        if isinstance(name, str) and name in os.environ:
            return os.environ[name]
    return default


_ConfigLoader.add_constructor("!ENV", _construct_env)
_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def site_url(root: Path) -> str:
    """``site_url`` from the project's mkdocs.yml, else :data:`DEFAULT_SITE_URL` (ends in /)."""
    config = Path(root) / "mkdocs.yml"
    url = DEFAULT_SITE_URL
    if config.is_file():
        try:
            data = yaml.load(config.read_text("utf-8"), Loader=_ConfigLoader)  # noqa: S506
        except yaml.YAMLError:
            data = None
        if isinstance(data, dict) and isinstance(data.get("site_url"), str) and data["site_url"]:
            url = data["site_url"]
    return url if url.endswith("/") else url + "/"
