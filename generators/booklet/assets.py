"""What the booklet context draws besides text: photos, QR codes and Markdown HTML.

Each is kept in the booklet step's cache store under a key of everything it depends on.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from .. import markup, qr
from ..cache import Store, code_stamp, key
from ..markup import render_markdown
from .images import PlacedImage, prepare
from .pdfx import Profile

STORE = "booklets"
"""Namespace of the booklet step in the project's cache (``.lamplight-cache/booklets``)."""

_BLACK = "device-cmyk(0 0 0 1)"
_WHITE = "device-cmyk(0 0 0 0)"


def store_of(root: Path) -> Store:
    """The cache store of the booklets of the project at ``root``."""
    return Store.of(root, STORE)


def qr_svg(url: str) -> str:
    """QR code as inline SVG in pure black (K 100) on white paper, never RGB."""
    return qr.qr_svg(url, dark=_BLACK, light=_WHITE)


def _render_markdown(text: str) -> str:
    html = render_markdown(text)
    # Demote headings by one level (the item title is the h2 of the booklet) and drop
    # images: photos come from the YAML, cleaned and placed by images.prepare.
    html = re.sub(r"<(/?)h([1-5])\b", lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", html)
    return re.sub(r"<img\b[^>]*>", "", html)


@functools.cache
def _qr_stamp() -> tuple[str, ...]:
    """What a cached QR drawing depends on besides its URL (segno and our code)."""
    import segno

    return (segno.__version__, code_stamp(__file__, qr.__file__))


@functools.cache
def _markdown_stamp() -> tuple[str, ...]:
    """What cached Markdown HTML depends on besides the text (the libraries and our code)."""
    import markdown
    import nh3

    return (
        markdown.__version__,
        str(getattr(nh3, "__version__", "")),
        code_stamp(__file__, markup.__file__),
    )


class Assets:
    """Draws the images, QR codes and Markdown of one booklet, through the cache."""

    def __init__(self, store: Store, workdir: Path, cmyk: Profile | None = None):
        self.store = store
        """The booklet step's cache store."""
        self.workdir = workdir
        """Where the cleaned images of this booklet are written."""
        self.cmyk = cmyk
        """The profile photos are converted to CMYK with (PDF/X-1a), or ``None``."""
        self.images: list[PlacedImage] = []
        """Every image placed so far, in order (for preflight)."""

    def image(self, path: Path, label: str, max_w: float, max_h: float) -> PlacedImage:
        """Clean the photo at ``path`` and place it within ``max_w`` × ``max_h`` mm."""
        placed = prepare(path, label, self.workdir, max_w, max_h, self.store, self.cmyk)
        self.images.append(placed)
        return placed

    def qr(self, url: str) -> str:
        """The print-colour QR code of ``url``."""
        name = f"qr-{key('qr', url, *_qr_stamp())}.txt"
        return self.store.text(name, lambda: qr_svg(url))

    def markdown(self, text: str) -> str:
        """Booklet HTML of a Markdown body (headings demoted, images dropped)."""
        name = f"markdown-{key('markdown', text, *_markdown_stamp())}.txt"
        return self.store.text(name, lambda: _render_markdown(text))
