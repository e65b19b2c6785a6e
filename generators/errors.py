"""The exceptions a user can see: Chinese messages, shown without a traceback.

One small hierarchy on :class:`click.ClickException` (as MkDocs' ``exceptions.py`` does), so
the CLI, the MkDocs plugin and the pipeline all stop the same way with a non-zero exit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click
from mkdocs.exceptions import PluginError

if TYPE_CHECKING:
    from .diagnostics import Report


class LamplightError(click.ClickException):
    """A user-facing failure whose message is already in Chinese (exit code 1)."""

    exit_code = 1


class BuildError(LamplightError):
    """A build step failed (bad booklet definition, missing tool, preflight failure …)."""


class ContentError(LamplightError):
    """The content has errors; ``report`` holds every problem found in one run."""

    def __init__(self, report: Report):
        super().__init__(report.summary())
        self.report = report


class SiteError(PluginError, LamplightError):
    """A site build failure an editor can fix (MkDocs aborts the build with this message)."""
