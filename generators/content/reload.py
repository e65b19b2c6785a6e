"""The live preview's incremental reload: re-read only the items whose files changed."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .. import checkcache
from ..diagnostics import Report
from ..models import Showcase, Skill
from .checker import Checker
from .consent import check_showcase_consent
from .cross_checks import check_showcase, check_skill, warn_unpublished
from .files import File, files_version, mtime, walk
from .items import claim_item, load_folder_item
from .kinds import KINDS
from .load import Loaded, full_load, loading
from .loader import Loader
from .records import Catalogue


@dataclass
class _Snapshot:
    """What the previous load saw, so that the next one re-reads only the edited items."""

    loaded: Loaded
    """The previous load (its catalogue and report are those last returned)."""
    dirs: dict[str, int]
    """Every content folder (and the root) → its modification time (entries added, removed
    or renamed change it)."""


class Reloader:
    """Repeated loads of one project for the live preview (no near-copy warnings).

    Each :meth:`load` re-reads only the skills and showcases whose own files changed in
    place since the previous one, when nothing else changed and neither their ids nor their
    status did, and shares the unchanged records with the previous catalogue. Its report
    holds the diagnostics a full load would give (the edited items' last).
    """

    def __init__(self, root: Path):
        self.root = root.resolve()
        """The project being previewed."""
        self._snapshot: _Snapshot | None = None
        """The previous load when the next one may start from it."""
        self._store: checkcache.CacheFile | None = None
        """The check cache kept in memory between loads."""

    def load(self) -> tuple[Catalogue | None, Report]:
        """Load the project again, reusing what did not change."""
        with loading():
            again = self._reload()
            if again is not None:
                return again
            dirs: dict[str, int] = {}
            self._snapshot = None
            loaded = full_load(self.root, False, dirs=dirs, store=self._store)
            self._store = loaded.store
            if loaded.reusable:
                self._snapshot = _Snapshot(loaded, dirs)
            return loaded.cat, loaded.report

    def _reload(self) -> tuple[Catalogue, Report] | None:
        """The previous load brought up to date, or ``None`` when a full load is needed (also
        whenever the edit brings an error)."""
        snap = self._snapshot
        if snap is None or snap.loaded.report.errors:
            return None
        prev = snap.loaded
        files, dirs = _current_files(self.root, snap)
        if len(files) != len(prev.files) or any(
            a.rel != b.rel or not a.trusted for a, b in zip(files, prev.files, strict=True)
        ):
            return None
        changed = [
            new.rel for new, old in zip(files, prev.files, strict=True) if new.sig != old.sig
        ]
        if not changed:
            snap.dirs = dirs
            return prev.cat, prev.report
        items = _changed_items(changed, prev.cat)
        if items is None:
            return None
        report = Report()
        ld = Loader(
            self.root, report, checkcache.Session(self.root, store=self._store), files=files
        )
        ld.set_public_numbers(prev.public_numbers)
        rels = [rel for kind, name in items for rel in claim_item(ld, KINDS[kind], name)]
        ld.run(rels, with_privacy=True)
        cat = _fresh_copy(prev.cat)
        fresh = _reload_items(ld, cat, items)
        if fresh is None:
            return None
        check = Checker(cat, prev.taxo, report, ld.known)
        for record in fresh:
            if isinstance(record, Skill):
                check_skill(check, record)
            else:
                check_showcase(check, record)
                warn_unpublished(check, record)
        for rel in rels:
            report.items.extend(ld.found.get(rel, ()))
        for record in fresh:
            if isinstance(record, Showcase):
                check_showcase_consent(cat, record, report)
        if report.errors:
            return None
        digests = {**prev.digests, **ld.digests}
        cat.content_version = files_version(files, digests)
        touched = set(rels)
        full = Report(items=[d for d in prev.report.items if d.path not in touched] + report.items)
        loaded = replace(prev, cat=cat, report=full, files=files, digests=digests)
        self._snapshot = _Snapshot(loaded, dirs)
        return cat, full


def _changed_items(changed: list[str], cat: Catalogue) -> list[tuple[str, str]] | None:
    """(kind, id) of the items whose own files changed; ``None`` when another file changed
    (a taxonomy, elder, pairing, page, photo…) or an item is new."""
    items: dict[tuple[str, str], None] = {}
    for rel in changed:
        found = _folder_item_of(rel)
        if found is None or found[1] not in cat.pool(found[0]):
            return None
        items[found] = None
    return list(items)


def _folder_item_of(rel: str) -> tuple[str, str] | None:
    """(kind, id) when ``rel`` is the YAML or Markdown file of a folder item."""
    for kind in KINDS.values():
        if kind.layout == "folder" and rel.startswith(kind.folder + "/"):
            parts = rel[len(kind.folder) + 1 :].split("/")
            if len(parts) == 2 and parts[1] in (kind.yaml_file, kind.body_file):
                return kind.name, parts[0]
    return None


def _fresh_copy(cat: Catalogue) -> Catalogue:
    """A new catalogue sharing the records of ``cat`` (the folder items' tables copied)."""
    return replace(
        cat,
        skills=dict(cat.skills),
        showcases=dict(cat.showcases),
        sources=dict(cat.sources),
        broken=set(cat.broken),
    )


def _reload_items(
    ld: Loader, cat: Catalogue, items: list[tuple[str, str]]
) -> list[Skill | Showcase] | None:
    """Load ``items`` again into ``cat``; ``None`` on an error (a full load reports it) or a
    change of status (others depend on it)."""
    fresh: list[Skill | Showcase] = []
    for kind, name in items:
        pool: dict[str, Any] = cat.pool(kind)
        record = load_folder_item(ld, KINDS[kind], name, cat, {})
        if record is None or record.status != pool[name].status:
            return None
        pool[name] = record
        fresh.append(record)
    return fresh


def _current_files(root: Path, snap: _Snapshot) -> tuple[list[File], dict[str, int]]:
    """The content files now: one stat per folder and file when no folder changed."""
    for path, when in snap.dirs.items():
        if mtime(path) != when:
            dirs: dict[str, int] = {}
            return walk(root, dirs), dirs
    files: list[File] = []
    for file in snap.loaded.files:
        try:
            sig = checkcache.sig_of(os.stat(file.path, follow_symlinks=False))
        except OSError:
            dirs = {}
            return walk(root, dirs), dirs
        files.append(file if sig == file.sig else File(file.rel, file.path, file.suffix, sig, True))
    return files, snap.dirs
