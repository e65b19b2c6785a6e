"""The per-file work of a load: it depends only on a file's bytes and path, so it is cached
by content hash and may run in a pool of processes.

A file's *role* says what is done with it: ``("rec", model name)`` parse and validate a YAML
record, ``("body", kind)`` check an item's Markdown, ``("page",)`` check a hand-written page,
``("image",)`` look for GPS coordinates. Its *variant* (``"strip"`` or ``"raw"``, whether
the BOM is dropped as the loader does) selects the private-data scan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from .. import checkcache, privacy
from ..diagnostics import Diagnostic, Report
from ..models import ProtectedTerms, PublicChannels, Synonyms, Taxonomy
from ..parallel import fork_map
from .conversions import Conversions
from .files import decode
from .kinds import KINDS
from .markdown_checks import check_story_sections, markdown_findings
from .pool import jobs_for
from .validation import parse_record, report_unfilled_lines

Role = tuple[str, ...]
Task = tuple[str, str, Role | None, str | None]
"""(path relative to the root, absolute path, role or None, privacy variant or None)."""
WorkResult = tuple[str, str, bytes | None, bytes | None]
"""(relative path, content digest, pickled parse result, pickled privacy findings)."""

#: Models of the YAML records by class name: every kind's, and the settings files'.
MODELS: dict[str, type[BaseModel]] = {
    model.__name__: model
    for model in [k.model for k in KINDS.values() if k.model is not None]
    + [Taxonomy, PublicChannels, ProtectedTerms, Synonyms, Conversions]
}


# Keys need not name the pipeline: a cache written by other code is never loaded.
def parse_key(role: Role, rel: str, digest: str) -> str:
    """Cache key of the parse result of a file."""
    return f"p\0{':'.join(role)}\0{rel}\0{digest}"


def privacy_key(vctx: str, variant: str, rel: str, digest: str) -> str:
    """Cache key of the private-data findings of a file (``vctx``: the public numbers)."""
    return f"v\0{vctx}\0{variant}\0{rel}\0{digest}"


def _parse_part(rel: str, data: bytes, role: Role) -> Any:
    """The cacheable, content-only result of one file's role."""
    if role[0] == "image":
        return privacy.bytes_have_gps(data)
    report = Report()
    text = decode(rel, data, report)
    if role[0] == "rec":
        if text is None:
            return (False, None, report.items, None)
        record, raw = parse_record(rel, text, MODELS[role[1]], report)
        if record is None:
            # A mapping with errors is kept: its valid fields are still checked across files.
            if isinstance(raw, dict):
                return (False, _plain(raw), report.items, text)
            return (False, None, report.items, None)
        # The plain input validates again into an equal record far faster than a pickled
        # model graph loads; the positions are parsed again from the text only when needed.
        return (True, _plain(raw), report.items, text)
    if role[0] == "body":
        body = text or ""
        report_unfilled_lines(rel, body, report)
        diags, links = markdown_findings(rel, body)
        report.items.extend(diags)
        if role[1] == "showcase":
            check_story_sections(rel, body, report)
        return (body, report.items, links)
    # page
    if text is None:
        return (None, report.items, [])
    diags, links = markdown_findings(rel, text)
    return (text, diags, links)


def _plain(value: Any) -> Any:
    """Loaded YAML without positions (plain dicts and lists)."""
    if isinstance(value, dict):
        return {k: _plain(v) if isinstance(v, dict | list) else v for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) if isinstance(v, dict | list) else v for v in value]
    return value


def _privacy_part(
    rel: str, data: bytes, variant: str, public_numbers: set[str]
) -> list[Diagnostic]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return []  # reported as E001 by the loader
    if variant == "strip":
        text = text.removeprefix("\ufeff")  # the loader's text (the raw one keeps the BOM)
    report = Report()
    privacy.scan_text(rel, text, public_numbers, report)
    return report.items


@dataclass(frozen=True)
class Work:
    """What the per-file work needs besides each task."""

    vctx: str
    """Digest of the public numbers (part of the privacy keys)."""
    public_numbers: set[str]
    """Digits of the registered public channels (not private numbers)."""
    entries: dict[str, bytes]
    """The cache entries already stored: parts found there are not computed again."""

    def run(self, task: Task, force: bool = False) -> WorkResult:
        """Read one file once: its digest, and the parts (pickled) not yet in the cache
        (all of them when ``force``)."""
        rel, path, role, variant = task
        with open(path, "rb") as handle:
            data = handle.read()
        digest = checkcache.file_digest(data)
        pblob = vblob = None
        if role is not None and (force or parse_key(role, rel, digest) not in self.entries):
            pblob = checkcache.dumps(_parse_part(rel, data, role))
        if variant is not None and (
            force or privacy_key(self.vctx, variant, rel, digest) not in self.entries
        ):
            vblob = checkcache.dumps(_privacy_part(rel, data, variant, self.public_numbers))
        return rel, digest, pblob, vblob


def _run_tasks(work: Work, tasks: list[Task]) -> list[WorkResult]:
    return [work.run(task) for task in tasks]


def run_all(work: Work, pending: list[Task]) -> list[WorkResult]:
    """The results of ``pending``, in order: in this process for a few files, else in a pool."""
    if not pending:
        return []
    jobs = jobs_for(len(pending))
    if jobs <= 1:
        return _run_tasks(work, pending)
    size = max(4, min(64, len(pending) // (jobs * 6) or 1))
    chunks = [pending[i : i + size] for i in range(0, len(pending), size)]
    return [result for part in fork_map(_run_tasks, work, chunks, jobs) for result in part]
