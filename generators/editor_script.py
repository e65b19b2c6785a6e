"""The script editors read the command's messages in: Simplified by default, Traditional
when ``LAMPLIGHT_SCRIPT=hant`` is set (once, in the editor's shell profile).

Messages are written in Simplified; for a Traditional editor everything the command prints
(problems, help, progress, usage errors) passes through :class:`TraditionalStream`. Codes,
field names and paths are ASCII and stay exactly as they are, so tools still match them;
text already in Traditional (a quoted title) is left as it is.
"""

from __future__ import annotations

import io
import os
from functools import lru_cache
from typing import Any, TextIO

from .scripts import Converter, Script

ENV = "LAMPLIGHT_SCRIPT"
"""The environment variable that chooses the editor's script (``hans`` or ``hant``)."""

_NAMES: dict[str, Script] = {
    "hans": "hans",
    "hant": "hant",
    "zh-hans": "hans",
    "zh-hant": "hant",
    "简": "hans",
    "简体": "hans",
    "繁": "hant",
    "繁体": "hant",
    "繁體": "hant",
}


def editor_script(environ: dict[str, str] | None = None) -> Script:
    """The editor's script from ``LAMPLIGHT_SCRIPT`` (unset or unknown: Simplified)."""
    value = (environ if environ is not None else os.environ).get(ENV, "").strip().lower()
    return _NAMES.get(value, "hans")


@lru_cache(maxsize=1)
def _converter() -> Converter:
    return Converter()


def for_editor(text: str, script: Script | None = None) -> str:
    """``text`` (a Simplified message) in the editor's script."""
    if (script or editor_script()) == "hans":
        return text
    return _converter().hant(text)


class TraditionalStream(io.TextIOBase):
    """A text stream that writes everything converted to Traditional into ``inner``."""

    def __init__(self, inner: TextIO):
        self.inner = inner
        """The stream written to (the terminal, or a test runner's capture)."""

    def write(self, text: str) -> int:
        self.inner.write(_converter().hant(text))
        return len(text)

    def flush(self) -> None:
        self.inner.flush()

    def isatty(self) -> bool:
        return self.inner.isatty()

    def fileno(self) -> int:
        return self.inner.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.inner, "encoding", None) or "utf-8"

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)
