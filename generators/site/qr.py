"""QR codes as inline SVG (shared with the booklet generator)."""

from __future__ import annotations

import io
from functools import lru_cache

import segno


@lru_cache(maxsize=4096)
def qr_svg(url: str) -> str:
    """Return a scalable SVG (no size, no XML declaration) of a QR code for ``url``."""
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
