"""The files of one load, their digests and their (cached) per-file results."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from .. import checkcache, privacy
from ..diagnostics import Diagnostic, Report
from .files import File, rel_path, slow_digest, walk
from .records import RawYaml
from .validation import load_record, salvage
from .work import Role, Task, Work, parse_key, privacy_key, run_all

R = TypeVar("R", bound=BaseModel)


class Loader:
    """The files of one run, their digests and their (cached) per-file results."""

    def __init__(
        self,
        root: Path,
        report: Report,
        session: checkcache.Session,
        files: list[File] | None = None,
        dirs: dict[str, int] | None = None,
    ):
        self.root = root
        """The project folder."""
        self.report = report
        """Where problems go."""
        self.session = session
        """The check cache of this load."""
        self.files = walk(root, dirs) if files is None else files
        """Every content file (``dirs`` receives the folders' modification times)."""
        self.by_rel = {f.rel: f for f in self.files if f.trusted}
        """The files reached without a symlink, by relative path (only these are cached)."""
        self.known = frozenset(f.path for f in self.by_rel.values())
        """Their absolute paths (a link to one needs no look at the disk)."""
        self.roles: dict[str, Role] = {}
        """What is done with each claimed file."""
        self.variants: dict[str, str] = {}
        """Which private-data scan each file gets."""
        self.digests: dict[str, str] = {}
        """Content digest of every file read or recognised by its stat signature."""
        self.parsed: set[str] = set()
        """Files whose parse result is in the check cache (read by :meth:`parse_result`)."""
        self.found: dict[str, list[Diagnostic]] = {}
        """Private-data findings of each file."""
        self.slow_texts: dict[Path, str] = {}
        """Text of the files read outside the cache (reached through a symlink)."""
        self.public_numbers: set[str] = set()
        """Digits of the registered public channels."""
        self.vctx = ""
        """Digest of ``public_numbers`` (part of the privacy keys)."""
        self.salvaged: dict[str, Any] = {}
        """Records that failed validation, by file, rebuilt from their valid fields
        (see :func:`.validation.salvage`); taken by the item loaders."""

    def rel(self, path: Path) -> str | None:
        """``path`` relative to the root when it is a trusted file of the walk."""
        rel = rel_path(self.root, path)
        return rel if rel in self.by_rel else None

    def claim(self, rel: str, role: Role, variant: str = "strip") -> None:
        """Read ``rel`` with ``role`` (and privacy ``variant``) when :meth:`run` reaches it."""
        self.roles[rel] = role
        self.variants[rel] = variant

    def set_public_numbers(self, numbers: set[str]) -> None:
        """The public numbers the private-data scan must not report."""
        self.public_numbers = numbers
        self.vctx = checkcache.key("public", *sorted(numbers))

    # ------------------------------------------------------------------ running

    def run(self, rels: list[str], with_privacy: bool) -> None:
        """Make sure the parse (and privacy) results of ``rels`` are in ``parsed``/``found``."""
        session = self.session
        pending: list[Task] = []
        ready: list[str] = []
        for rel in rels:
            file = self.by_rel[rel]
            role = self.roles.get(rel) if rel not in self.parsed else None
            variant = None
            if with_privacy and rel not in self.found:
                variant = self.variants.get(rel)
                if variant is None and file.suffix in privacy.SCANNED_SUFFIXES:
                    variant = self.variants[rel] = "raw"
            if role is None and file.suffix in privacy.IMAGE_SUFFIXES:
                if rel not in self.parsed:
                    role = self.roles[rel] = ("image",)
            digest = self.digests.get(rel) or session.known_digest(rel, file.sig)
            if digest is not None and (
                (role is None or session.has(parse_key(role, rel, digest)))
                and (variant is None or session.has(privacy_key(self.vctx, variant, rel, digest)))
            ):
                self.digests[rel] = digest
                ready.append(rel)
                continue
            pending.append((rel, file.path, role, variant))
        for rel, digest, pblob, vblob in run_all(self._work(), pending):
            self.digests[rel] = digest
            role = self.roles.get(rel)
            if pblob is not None and role is not None:
                session.put_blob(parse_key(role, rel, digest), pblob)
            if vblob is not None:
                variant = self.variants[rel]
                session.put_blob(privacy_key(self.vctx, variant, rel, digest), vblob)
            ready.append(rel)
        for rel in ready:
            self._take(rel, with_privacy)
            session.note_digest(rel, self.by_rel[rel].sig, self.digests[rel])

    def _work(self) -> Work:
        return Work(self.vctx, self.public_numbers, self.session.entries)

    def _take(self, rel: str, with_privacy: bool) -> None:
        """Note the cached results of ``rel``: its privacy findings unpickled now (recomputing
        a damaged entry), its parse result when :meth:`parse_result` asks for it."""
        session = self.session
        digest = self.digests[rel]
        role = self.roles.get(rel)
        if role is not None and rel not in self.parsed:
            session.keep(parse_key(role, rel, digest))
            self.parsed.add(rel)
        variant = self.variants.get(rel)
        if with_privacy and variant is not None and rel not in self.found:
            k = privacy_key(self.vctx, variant, rel, digest)
            value = session.get(k)
            if value is None:
                value = self._recompute(rel, k, None, variant)
            self.found[rel] = value

    def parse_result(self, rel: str) -> Any:
        """The parse result of ``rel`` (a file :meth:`run` went through), unpickled for this
        caller: the loader keeps no copy, so that at most one item's intermediate data is
        alive besides the records already made."""
        assert rel in self.parsed
        role = self.roles[rel]
        k = parse_key(role, rel, self.digests[rel])
        value = self.session.get(k)
        if value is None:
            value = self._recompute(rel, k, role, None)
        return value

    def _recompute(self, rel: str, k: str, role: Role | None, variant: str | None) -> Any:
        task = (rel, self.by_rel[rel].path, role, variant)
        _, digest, pblob, vblob = self._work().run(task, force=True)
        blob = pblob if role is not None else vblob
        assert blob is not None
        self.digests[rel] = digest
        self.session.put_blob(k, blob)
        return pickle.loads(blob)

    # ------------------------------------------------------------------ records

    def record(
        self, path: Path, model: type[R], texts: bool = True, rel: str | None = None
    ) -> tuple[R | None, RawYaml, str]:
        """Load one YAML record: (record or None, its raw data, digest of the file)."""
        rel = rel or rel_path(self.root, path)
        if rel not in self.by_rel:
            record, raw = load_record(
                self.root, path, model, self.report, self.slow_texts if texts else None
            )
            return record, RawYaml(raw), slow_digest(path)
        if rel not in self.parsed:
            self.claim(rel, ("rec", model.__name__), "strip" if texts else "raw")
            self.run([rel], with_privacy=False)
        ok, data, diags, text = self.parse_result(rel)
        self.report.items.extend(diags)
        if not ok:
            salvaged = salvage(model, data)
            if salvaged is not None:
                self.salvaged[rel] = salvaged
            return None, RawYaml(None, text), self.digests[rel]
        return model.model_validate(data), RawYaml(None, text), self.digests[rel]

    def digest(self, rel: str) -> str:
        """Content digest of ``rel`` (read now when the walk did not reach it)."""
        return self.digests.get(rel) or slow_digest(self.root / rel)

    def all_digests(self) -> dict[str, str]:
        """Content digest of every file of the walk."""
        return {file.rel: self.digest(file.rel) for file in self.files}
