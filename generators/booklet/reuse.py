"""Booklets are rendered again only when something they print changed.

A booklet's *fingerprint* hashes everything its files are made from: the definition, every
item it prints (records, Markdown bodies, photo bytes), the settings they are printed with
(taxonomy, public channels, the script converter's terms), the booklet code, templates and
ICC profile, the installed fonts, the libraries' versions, ``SOURCE_DATE_EPOCH``, the site
address, crop marks and the PDF/X standard. After each successful build the fingerprint is
recorded with the digest of every file written; a later build with the same fingerprint
whose previous folder still holds exactly those files copies them instead of rendering.

Each booklet prints its own content version (a digest of its content inputs only), not the
version of the whole catalogue, so an edit elsewhere does not change its bytes: a reused
booklet is byte-identical to one rendered from scratch.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..cache import Store, code_stamp, key
from ..content import Catalogue
from ..fsutil import swap_in
from ..models import Booklet
from .select import BookletRefused, Selection, select

SCHEMA = "booklet-reuse-1"
"""Changes whenever what a record means changes (old records are then never matched)."""

_LIBRARIES = (
    "weasyprint",
    "pypdf",
    "pikepdf",
    "Pillow",
    "fonttools",
    "pydyf",
    "Markdown",
    "nh3",
    "segno",
    "Jinja2",
    "opencc",
    "pydantic",
)
"""Distributions whose version can change a booklet's bytes."""

_PACKAGE = Path(__file__).resolve().parent.parent
"""The ``generators`` package."""


@dataclass(frozen=True)
class Built:
    """What the last successful build of one fingerprint wrote."""

    files: dict[str, str]
    """File name → SHA-256 of its bytes."""
    sizes: dict[str, int]
    """File name → size in bytes."""
    pages: int
    """Page count of the press PDF."""
    warnings: int
    """Number of preflight WARN findings (the build passed preflight)."""


@dataclass(frozen=True)
class Plan:
    """What a booklet about to be built is made from."""

    fingerprint: str
    """Digest of everything its files are made from."""
    version: str
    """The content version it prints."""


def plan(cat: Catalogue, root: Path, slug: str, environment: list[str]) -> Plan | None:
    """The plan of booklet ``slug``; ``None`` when it does not exist or is refused."""
    booklet = cat.booklets.get(slug)
    if booklet is None:
        return None
    try:
        selection = select(cat, booklet)
    except BookletRefused:
        return None
    parts = content_parts(cat, root, booklet, selection)
    return Plan(fingerprint(parts, environment), content_version(parts))


def _dump(value: Any) -> str:
    if isinstance(value, BaseModel):
        return value.model_dump_json()
    return repr(value)


def _file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        return f"unreadable:{type(exc).__name__}"


def _resolve_item_parts(cat: Catalogue, record: Any, images: list[str]) -> list[str]:
    """A showcase or skill: its record, Markdown body, source and the image files it names."""
    source = cat.source(record.kind, record.id)
    folder = cat.folder(record)
    parts = [_dump(record), source.body, source.yaml_path, source.digest]
    parts += [f"{name}:{_file_digest(folder / name)}" for name in images]
    return parts


def content_parts(cat: Catalogue, root: Path, booklet: Booklet, selection: Selection) -> list[str]:
    """Every piece of content the booklet's pages are made from, in a stable order."""
    parts = [SCHEMA, _dump(booklet), repr(selection.notes), repr(cat.sample)]
    if booklet.cover_image:
        cover = root / "content" / "booklets" / booklet.cover_image
        parts.append(f"cover:{_file_digest(cover)}")
    elder_ids: list[str] = []
    for show in selection.showcases:
        parts += ["showcase", *_resolve_item_parts(cat, show, [p.file for p in show.photos])]
        parts += [f"links:{i}:{_dump(cat.skills.get(i))}" for i in show.skills]
        elder_ids += show.elders
    for skill in selection.skills:
        images = [step.image for step in skill.steps if step.image]
        parts += ["skill", *_resolve_item_parts(cat, skill, images)]
        elder_ids += skill.who_to_ask.elders + skill.authors
    for question in selection.questions:
        team = cat.teams.get(question.answered_by.team) if question.answered_by.team else None
        parts += ["question", _dump(question), _dump(team)]
        elder_ids += question.answered_by.elders
    for ident in sorted(set(elder_ids)):
        parts.append(f"elder:{ident}:{_dump(selection.elders.get(ident))}")
    parts += [
        _dump(cat.public_channels),
        _dump(cat.taxonomy),
        repr(cat.converter.key),
        cat.settings_digest,
    ]
    return parts


def content_version(parts: list[str]) -> str:
    """The version a booklet prints (12 hex digits of a digest of its content)."""
    return key(*parts)[:12]


def booklet_version(cat: Catalogue, root: Path, booklet: Booklet, selection: Selection) -> str:
    """The content version ``booklet`` prints (see :func:`content_version`)."""
    return content_version(content_parts(cat, root, booklet, selection))


def _code_files() -> list[Path]:
    """The code and package data that shape a booklet (booklet package, templates, content
    layer and shared modules)."""
    files = [p for p in _PACKAGE.glob("*.py")]
    for folder in ("booklet", "content", "templates/booklet"):
        files += [p for p in (_PACKAGE / folder).rglob("*") if p.is_file()]
    return sorted(p for p in files if "__pycache__" not in p.parts)


@functools.cache
def _fonts_stamp() -> str:
    """Every installed font file (path, size, modification time): WeasyPrint may pick any."""
    try:
        listed = subprocess.run(
            ["fc-list", "--format", "%{file}\n"], capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        return f"fc-list unavailable: {exc}"
    parts = []
    for name in sorted(set(listed.split("\n")) - {""}):
        try:
            stat = os.stat(name)
            parts.append(f"{name}:{stat.st_size}:{stat.st_mtime_ns}")
        except OSError:
            parts.append(f"{name}:missing")
    return key(*parts)


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def environment_parts(*, base_url: str, marks: bool, pdf_x: str) -> list[str]:
    """What besides the content shapes the files: code, fonts, libraries and options."""
    return [
        code_stamp(*(str(p) for p in _code_files())),
        _fonts_stamp(),
        *(f"{name}={_version(name)}" for name in _LIBRARIES),
        f"SOURCE_DATE_EPOCH={os.environ.get('SOURCE_DATE_EPOCH', '')}",
        f"base_url={base_url}",
        f"marks={marks}",
        f"pdf_x={pdf_x}",
    ]


def fingerprint(content: list[str], environment: list[str]) -> str:
    """The fingerprint of a booklet's files."""
    return key(*content, "--", *environment)


def _entry(fp: str) -> str:
    return f"built-{fp}.json"


def record(store: Store, fp: str, folder: Path, pages: int, warnings: int) -> None:
    """Remember what a successful build of ``fp`` wrote into ``folder``."""
    try:
        paths = [p for p in sorted(folder.iterdir()) if p.is_file()]
        sizes = {p.name: p.stat().st_size for p in paths}
    except OSError:
        return
    files = {p.name: _file_digest(p) for p in paths}
    data = {"files": files, "sizes": sizes, "pages": pages, "warnings": warnings}
    store.write(_entry(fp), json.dumps(data, sort_keys=True))


def _recorded(store: Store, fp: str) -> Built | None:
    raw = store.read(_entry(fp))
    if raw is None:
        return None
    try:
        data = json.loads(raw)
        return Built(
            dict(data["files"]), dict(data["sizes"]), int(data["pages"]), int(data["warnings"])
        )
    except (ValueError, KeyError, TypeError):
        return None


def previous_build(store: Store, fp: str, folder: Path) -> Built | None:
    """The recorded build of ``fp`` when ``folder`` holds exactly its files, else ``None``."""
    built = _recorded(store, fp)
    if built is None or not built.files or not folder.is_dir():
        return None
    try:
        present = {p.name for p in folder.iterdir()}
    except OSError:
        return None
    if present != set(built.files):
        return None
    for name, digest in built.files.items():
        if _file_digest(folder / name) != digest:
            return None
    return built


def copy_previous(store: Store, fp: str, previous: Path, target: Path) -> Built | None:
    """The recorded build of ``fp``, its files copied from ``previous`` to ``target``;
    ``None`` (nothing copied) when ``previous`` does not hold exactly those files."""
    built = previous_build(store, fp, previous)
    if built is None:
        return None
    try:
        _place(previous, target)
    except OSError:
        return None
    return built


def _place(previous: Path, target: Path) -> None:
    """Copy a previous booklet folder to ``target`` (nothing to do when it is the same)."""
    if previous.resolve() == target.resolve():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=f".{target.name}-") as tmp:
        folder = Path(tmp) / target.name
        folder.mkdir()
        for path in sorted(previous.iterdir()):
            shutil.copy2(path, folder / path.name)
        swap_in(folder, target)
