"""QR codes as inline SVG (shared with the booklet generator), cached by URL."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import segno

#: Bump when the drawing below changes (cached codes are then drawn again).
QR_VERSION = "1"
_MEMORY_LIMIT = 50_000
_memory: dict[str, str] = {}


def _draw(url: str) -> str:
    buffer = io.BytesIO()
    segno.make_qr(url, error="m").save(
        buffer,
        kind="svg",
        xmldecl=False,
        svgns=True,
        nl=False,
        omitsize=True,
        border=2,
        dark="#000",
        light="#fff",
        svgclass="ll-qr-code",
        lineclass=None,
    )
    return buffer.getvalue().decode("utf-8")


def qr_svg(url: str, cache_dir: Path | None = None) -> str:
    """Return a scalable SVG (no size, no XML declaration) of a QR code for ``url``.

    Encoding a code (segno tries all eight masks) costs a few milliseconds, so codes are kept
    in memory and, given ``cache_dir``, on disk under a name derived from the URL.
    """
    svg = _memory.get(url)
    if svg is not None:
        return svg
    path = None
    if cache_dir is not None:
        name = hashlib.sha256(f"{QR_VERSION}\0{segno.__version__}\0{url}".encode()).hexdigest()[:24]
        path = cache_dir / f"{name}.svg"
        try:
            svg = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            svg = None
        if svg is not None and not svg.startswith("<svg"):
            svg = None
    if svg is None:
        svg = _draw(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            tmp.write_text(svg, encoding="utf-8")
            os.replace(tmp, path)
    if len(_memory) >= _MEMORY_LIMIT:
        _memory.clear()
    _memory[url] = svg
    return svg
