"""The ``lamplight`` command: one front for checking, scaffolding, building and searching.

Each command is thin: it loads the validated catalogue once and hands it to the module that
does the work. Bad input ends with a Chinese message and a non-zero exit, never a traceback.

The commands live in three modules by what they do (``editing``, ``building``, ``finding``);
``app`` holds what they share. Importing this package registers them all.
"""

from __future__ import annotations

# `lamplight --help` lists commands in the order they are registered: editing ones first.
# isort: off
from . import editing
from . import building, finding

# isort: on
from .app import app

__all__ = ["app", "building", "editing", "finding", "main"]


def main() -> None:
    """The ``lamplight`` console script."""
    app()
