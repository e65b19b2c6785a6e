"""Live preview: fingerprints of what a page is made from, so unchanged pages are not redone."""

from __future__ import annotations

import hashlib
import io
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..models import Showcase, Skill
from .planner import Planner
from .structure import PageSpec

#: Templates shipped with the package (site and booklets).
TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"


def remembered(
    planner: Planner,
    record: Skill | Showcase,
    linked: Callable[[], list[Any]],
    build: Callable[[], None],
) -> None:
    """Live preview: reuse the page planned from the same inputs in an earlier rebuild.

    The inputs are the record's sources, its photos and what ``linked()`` gives (the list
    lines of the items its page shows); outside the preview this just runs ``build``.
    """
    preview = planner.session.preview
    if preview is None:
        build()
        return
    o = planner.opt
    parts = (
        record.kind,
        (o.script, o.directory_urls, o.public_url, o.per_page, str(o.cache_dir)),
        planner.cat.sample,
        _fingerprint_record(planner, record),
        _stamp_photos(planner, record),
        linked(),
    )
    try:
        key = hashlib.blake2b(pickle.dumps(parts, protocol=5), digest_size=16).hexdigest()
    except Exception:  # noqa: BLE001 - an unpicklable input only means "plan it again"
        build()
        return
    known = preview.items.get(key)
    media = planner.media
    if known is not None:
        media.files.update(known[1])
        planner.add(known[0])
        return
    outer, media.files = media.files, {}
    count = len(planner.pages)
    try:
        build()
    finally:
        mine, media.files = media.files, outer
        outer.update(mine)
    if len(planner.pages) == count + 1:
        spec = planner.pages[-1]
        spec.key = key
        if len(preview.items) > 100_000:
            preview.items.clear()
        preview.items[key] = (spec, mine)


def _stamp_photos(planner: Planner, record: Skill | Showcase) -> list[Any]:
    folder = str(planner.cat.folder(record))
    if isinstance(record, Skill):
        files = [step.image for step in record.steps if step.image]
    else:
        files = [photo.file for photo in record.photos]
    stamps: list[Any] = []
    for file in files:
        try:
            st = os.stat(os.path.join(folder, file))
            stamps.append((st.st_size, st.st_mtime_ns))
        except OSError:
            stamps.append(None)
    return stamps


def _fingerprint_record(planner: Planner, record: Skill | Showcase) -> Any:
    """What a record and its body were made from (the record itself when its source has no
    digest)."""
    cat = planner.cat
    digest = cat.sources[(record.kind, record.id)].digest
    if digest and cat.settings_digest:
        return (cat.settings_digest, digest)
    return (record, cat.body(record))


def _rebuild(*parts: Any) -> Any:
    """Never called: the stable pickles are only hashed."""
    raise NotImplementedError


class _StablePickler(pickle.Pickler):
    """A pickle that is the same in every process: sets sorted, pydantic records by their
    fields (their ``model_fields_set`` is a set, ordered by the process's string hashes)."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, (set, frozenset)):
            return (_rebuild, (sorted(obj, key=repr),))
        if isinstance(obj, BaseModel):
            return (_rebuild, (type(obj).__qualname__, tuple(obj.__dict__.items())))
        return NotImplemented


def stable_digest(value: Any) -> str:
    """Digest of ``value`` that another process computes alike ("" when it cannot be taken)."""
    buffer = io.BytesIO()
    try:
        _StablePickler(buffer, protocol=5).dump(value)
    except Exception:  # noqa: BLE001 - an unpicklable value only means "always render"
        return ""
    return hashlib.blake2b(buffer.getvalue(), digest_size=16).hexdigest()


def page_signature(spec: PageSpec, extra: tuple[Any, ...]) -> str:
    """Fingerprint of everything a page's HTML is rendered from ("" when it cannot be taken);
    the same in every process (``lamplight build`` compares it with the previous build's)."""
    if spec.key:
        return hashlib.blake2b(repr((spec.key, extra)).encode(), digest_size=16).hexdigest()
    return stable_digest((spec.template, spec.title, spec.context, extra))


def code_stamp_of_package() -> str:
    """Digest of the package's Python sources and of the MkDocs and theme versions (a code
    change or an upgrade renders every page again)."""
    from importlib.metadata import PackageNotFoundError, version

    package = Path(__file__).resolve().parent.parent
    digest = hashlib.blake2b(digest_size=16)
    for name in ("mkdocs", "mkdocs-material", "jinja2", "markdown"):
        try:
            digest.update(f"{name}={version(name)};".encode())
        except PackageNotFoundError:
            digest.update(f"{name}=?;".encode())
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def templates_stamp(config_file: str | None) -> tuple[int, ...]:
    """Modification times of our templates and mkdocs.yml (a change there renders every page)."""
    stamps = [path.stat().st_mtime_ns for path in TEMPLATES_DIR.rglob("*") if path.is_file()]
    if config_file:
        stamps.append(Path(config_file).stat().st_mtime_ns)
    return (len(stamps), max(stamps, default=0), sum(stamps))
