"""Page geometry shared by rendering, imposition and preflight (all lengths in mm or pt)."""

from __future__ import annotations

from dataclasses import dataclass

MM = 72 / 25.4
"""PDF points per millimetre."""

BLEED_MM = 3.0
"""Bleed on every side of the press PDF."""

MARKS_MM = 10.0
"""Distance from the trim to the media edge when crop marks are requested."""

SAFE_FAIL_MM = 3.0
"""Text closer than this to the trim (or beyond it) is a FAIL."""

SAFE_WARN_MM = 5.0
"""Text closer than this to the trim is a WARN."""

MIN_PPI_FAIL = 150
MIN_PPI_WARN = 300
TARGET_PPI = 300
"""Photos are downscaled to about this resolution at their placed size."""


@dataclass(frozen=True)
class Trim:
    """A finished (trimmed) page size and the text-block margins that go with it."""

    name: str
    """What printers call the size (``A5``, ``16开``)."""
    width: float
    """Trimmed width (mm)."""
    height: float
    """Trimmed height (mm)."""
    margin_top: float
    """Text-block margin at the top (mm)."""
    margin_bottom: float
    """Text-block margin at the bottom (mm)."""
    margin_side: float
    """Text-block margin left and right (mm)."""

    @property
    def content_width(self) -> float:
        """Width of the text block (mm)."""
        return self.width - 2 * self.margin_side

    @property
    def label(self) -> str:
        """The size as the job ticket names it."""
        return f"{self.name}（{self.width:g}×{self.height:g} mm）"


TRIMS: dict[str, Trim] = {
    "A5": Trim("A5", 148, 210, 15, 18, 14),
    "大32开": Trim("大32开", 140, 203, 15, 18, 13),
    "16开": Trim("16开", 185, 260, 18, 20, 17),
}

# Body sizes in pt. Large print: 三号 (16 pt) and nothing running smaller than 16 pt.
FONT_SIZES: dict[str, dict[str, float]] = {
    "standard": {"body": 10.5, "small": 9, "h1": 20, "h2": 15, "h3": 12.5, "cover": 26, "folio": 9},
    "large_print": {
        "body": 16,
        "small": 16,
        "h1": 26,
        "h2": 22,
        "h3": 18,
        "cover": 32,
        "folio": 12,
    },
}
