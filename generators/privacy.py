"""Private-data scanner (filled in by the privacy issue)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .diagnostics import Report

if TYPE_CHECKING:
    from .catalogue import Catalogue


def scan(cat: Catalogue, report: Report) -> None:
    """Scan every YAML value and Markdown line for private data."""
    return None
