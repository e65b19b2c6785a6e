"""QR codes as inline SVG: one drawer for the site and the booklets, cached by URL."""

from __future__ import annotations

import io

import segno

from .cache import Store, key

#: Bump when the drawing below changes (cached codes are then drawn again).
QR_VERSION = "1"

_DARK = "#000"
_LIGHT = "#fff"


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
        dark=_DARK,
        light=_LIGHT,
        svgclass="ll-qr-code",
        lineclass=None,
    )
    return buffer.getvalue().decode("utf-8")


def _recolour(svg: str, dark: str, light: str) -> str:
    """Swap the drawing's two colours (e.g. for ``device-cmyk(…)`` print colours)."""
    svg = svg.replace(f'fill="{_LIGHT}"', f'fill="{light}"')
    # The modules are one stroked path: give it an explicit empty fill so that no default
    # (RGB black) fill is ever painted.
    return svg.replace(f'<path stroke="{_DARK}"', f'<path fill="none" stroke="{dark}"')


def qr_svg(url: str, *, dark: str = _DARK, light: str = _LIGHT, store: Store | None = None) -> str:
    """A scalable SVG (no size, no XML declaration) of a QR code for ``url``.

    Encoding a code (segno tries all eight masks) costs a few milliseconds, so with a
    ``store`` the drawing is kept on disk under a key of the URL and the drawer's version.
    """
    if store is None:
        svg = _draw(url)
    else:
        name = key(QR_VERSION, segno.__version__, url)[:24] + ".svg"
        svg = store.text(name, lambda: _draw(url))
        if not svg.startswith("<svg"):
            svg = _draw(url)
    if (dark, light) != (_DARK, _LIGHT):
        svg = _recolour(svg, dark, light)
    return svg
