"""The entry points: load and validate the whole content tree into one :class:`Catalogue`.

Every file is read once, every problem is collected with its file, line and field, and
generators only ever see the validated catalogue. Per-file work is cached by content hash
(:mod:`.work`); everything that depends on other files (references, taxonomy values,
missing images, consent, dates, near copies) is recomputed on every run.
"""

from __future__ import annotations

import gc
import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from .. import checkcache, privacy
from ..diagnostics import Report
from ..errors import ContentError
from ..models import ProtectedTerms, PublicChannels, Synonyms, Taxonomy
from ..scripts import Converter
from .consent import report_private_data
from .conversions import CONVERSIONS_FILE, Conversions, check_conversions
from .cross_checks import cross_check
from .files import File, files_version
from .items import load_items, plan
from .loader import Loader
from .near_copies import NEAR_PREFIX, report_near_copies
from .records import Catalogue
from .taxonomy import Taxo, lenient_taxonomy

TAXONOMY_FILE = "content/taxonomy.yaml"
#: The settings files besides the taxonomy: file → (model, catalogue attribute).
SETTINGS: dict[str, tuple[type[BaseModel], str]] = {
    "content/public_channels.yaml": (PublicChannels, "public_channels"),
    "content/protected_terms.yaml": (ProtectedTerms, "protected_terms"),
    "content/synonyms.yaml": (Synonyms, "synonyms"),
    CONVERSIONS_FILE: (Conversions, "conversions"),
}
SETTINGS_FILES = (TAXONOMY_FILE, *SETTINGS)
"""The files that shape every record (digested into ``Catalogue.settings_digest``)."""

_LOAD_LOCK = threading.Lock()
"""One load at a time per process: loads share the cache file and fork pools."""


@contextmanager
def loading() -> Iterator[None]:
    """Hold the load lock, with the cyclic garbage collector paused.

    Loading allocates hundreds of thousands of objects that all stay alive; the collector
    would traverse them again and again. Reference counting frees everything else.
    """
    with _LOAD_LOCK:
        enabled = gc.isenabled()
        gc.disable()
        try:
            yield
        finally:
            if enabled:
                gc.enable()


def load_catalogue(root: Path, *, near_copies: bool = True) -> tuple[Catalogue | None, Report]:
    """Load and validate everything under ``root``.

    Returns the catalogue (``None`` when the taxonomy itself cannot be read) and the report.
    Callers must not use the catalogue when the report has errors. ``near_copies=False``
    skips the W201 near-copy warnings. Per-file work is cached under
    ``<root>/.lamplight-cache/`` by content hash; every call returns fresh objects and the
    same report a cold run would give. The live preview uses :class:`Reloader` instead.
    """
    with loading():
        loaded = full_load(root.resolve(), near_copies)
    return loaded.cat, loaded.report


def load_or_raise(root: Path) -> Catalogue:
    """Load the catalogue; raise :class:`ContentError` when it has errors."""
    cat, report = load_catalogue(root)
    if cat is None or report.errors:
        raise ContentError(report)
    return cat


@dataclass
class Loaded:
    """One full load: its results and what a following incremental load starts from."""

    cat: Catalogue
    """The catalogue (use only when the report has no errors)."""
    report: Report
    """Every problem found."""
    files: list[File]
    """Every content file with its stat signature."""
    digests: dict[str, str]
    """Content digest of every file the loader read."""
    public_numbers: set[str]
    """Digits of the registered public channels."""
    taxo: Taxo | None
    """The taxonomy's vocabularies (``None`` when it cannot be read)."""
    store: checkcache.CacheFile
    """The check cache as saved at the end of the load."""
    reusable: bool
    """True when an incremental load may start from this one (a taxonomy, no symlinks)."""


def full_load(
    root: Path,
    near_copies: bool,
    *,
    dirs: dict[str, int] | None = None,
    store: checkcache.CacheFile | None = None,
) -> Loaded:
    """Load everything under ``root`` (resolved); ``dirs`` receives every content folder's
    modification time, ``store`` is a check cache kept in memory from an earlier load."""
    report = Report()
    session = checkcache.Session(root, store=store)
    ld = Loader(root, report, session, dirs=dirs)
    cat, taxonomy, taxonomy_digest = _load_settings(ld)

    plan(ld)
    ld.run(list(ld.by_rel), with_privacy=True)
    load_items(ld, cat)
    cat.sample = (root / "content" / "SAMPLE").exists()

    if taxonomy is None and (root / TAXONOMY_FILE).exists():
        taxonomy = lenient_taxonomy(root / TAXONOMY_FILE)
    taxo = Taxo.build(taxonomy) if taxonomy is not None else None
    cross_check(cat, taxo, report, ld.known)
    cat.content_version = files_version(ld.files, ld.all_digests())
    cat.settings_digest = _settings_digest(ld)
    report_private_data(ld, cat)
    ran_near = near_copies and not report.errors
    if ran_near:
        report_near_copies(cat, report, session, taxonomy_digest)
    # Near-copy entries not looked at in this run stay for the next one that needs them.
    session.save(keep_prefixes=() if ran_near else (NEAR_PREFIX,))
    reusable = taxonomy is not None and all(f.trusted for f in ld.files)
    return Loaded(
        cat, report, ld.files, dict(ld.digests), ld.public_numbers, taxo, session.store, reusable
    )


def _load_settings(ld: Loader) -> tuple[Catalogue, Taxonomy | None, str]:
    """A catalogue with the settings files loaded; the taxonomy (``None`` when it cannot be
    read) and the digest of its file."""
    root, report = ld.root, ld.report
    taxonomy_path = root / TAXONOMY_FILE
    taxonomy: Taxonomy | None = None
    taxonomy_digest = ""
    if not taxonomy_path.exists():
        report.add(
            TAXONOMY_FILE,
            1,
            1,
            "E205",
            "找不到分类表 content/taxonomy.yaml；它是所有标签的来源，请先建立",
        )
    else:
        taxonomy, _, taxonomy_digest = ld.record(taxonomy_path, Taxonomy, texts=False)
    cat = Catalogue(root=root, taxonomy=taxonomy or Taxonomy.model_construct())  # type: ignore[call-arg]
    for rel, (model, attr) in SETTINGS.items():
        path = root / rel
        if path.exists():
            loaded, raw, _ = ld.record(path, model)
            if loaded is not None:
                setattr(cat, attr, loaded)
                if isinstance(loaded, Conversions):
                    check_conversions(loaded, raw.get(), report)
    fixes = {"hant": cat.conversions.hant, "hans": cat.conversions.hans}
    cat.converter = Converter(cat.protected_terms.terms, fixes)
    ld.set_public_numbers(privacy.public_numbers(cat.public_channels))
    return cat, taxonomy, taxonomy_digest


def _settings_digest(ld: Loader) -> str:
    parts = [f"{rel}={ld.digest(rel)}" for rel in SETTINGS_FILES if (ld.root / rel).exists()]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]
