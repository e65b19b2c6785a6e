"""Static assets: which theme files the site does not ship, and scrubbing the ones it does."""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

#: The in-browser search files (made by generators/search/, shipped in assets/javascripts/).
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
    """Files of the in-browser search to copy into assets/javascripts/, sorted."""
    return sorted(p for p in SEARCH_ASSETS.iterdir() if p.is_file() and not p.name.startswith("."))


def adjust_files(files: Files, config: MkDocsConfig) -> None:
    """Drop hand-written pages and unused theme files, scrub the theme CSS, add search assets."""
    docs_dir = Path(config.docs_dir).resolve()
    for file in list(files):
        if (
            file.generated_by is None
            and file.abs_src_path
            and Path(file.abs_src_path).resolve().is_relative_to(docs_dir)
        ):
            files.remove(file)  # hand-written pages are rendered from the catalogue
        elif is_unused_theme_file(file.src_uri):
            files.remove(file)
        elif file.src_uri.startswith("assets/stylesheets/main.") and file.src_uri.endswith(".css"):
            text = Path(file.abs_src_path or "").read_text(encoding="utf-8")
            files.remove(file)
            files.append(File.generated(config, file.src_uri, content=scrub_comment_urls(text)))
    for path in search_assets():
        files.append(
            File.generated(config, f"assets/javascripts/{path.name}", abs_src_path=str(path))
        )
