"""The one exception the site generator raises for problems an editor can fix."""

from __future__ import annotations

from mkdocs.exceptions import PluginError

from ..cli import Fail


class SiteError(PluginError, Fail):
    """A Chinese, user-facing build failure (MkDocs aborts; the CLI prints it without traceback)."""
