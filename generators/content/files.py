"""Finding and reading the content files: one walk, UTF-8 decoding, symlink rules, digests."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from .. import checkcache
from ..diagnostics import Report
from .kinds import KINDS

#: The folders walked for content files: every kind's top folder and content/ (settings).
CONTENT_DIRS = tuple(sorted({"content"} | {kind.folder.split("/")[0] for kind in KINDS.values()}))


@dataclass(slots=True)
class File:
    """One regular file found under the content folders."""

    rel: str
    """Path relative to the project root."""
    path: str
    """Absolute path."""
    suffix: str
    """Lower-case suffix, as ``Path.suffix`` gives it."""
    sig: checkcache.Sig
    """Stat signature when found."""
    trusted: bool
    """Reached without any symlink (its folder tree is the project's own)."""


def rel_path(root: Path, path: Path) -> str:
    """``path`` relative to ``root`` with forward slashes (as is when outside it)."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def read_text(
    root: Path, path: Path, report: Report, texts: dict[Path, str] | None = None
) -> str | None:
    """Read one UTF-8 file inside the project (remembered in ``texts`` for the privacy scan)."""
    rel = rel_path(root, path)
    if _leaves_project(root, path):
        report.add(
            rel,
            1,
            1,
            "E005",
            "这个文件（或它所在的文件夹）是指向项目之外的符号链接，已拒绝读取；请把文件本身放进项目",
        )
        return None
    if not path.is_file():
        report.add(rel, 1, 1, "E005", "不是普通文件，无法读取")
        return None
    data = path.read_bytes()
    text = decode(rel, data, report)
    if text is not None and texts is not None:
        texts[path] = text
    return text


def decode(rel: str, data: bytes, report: Report) -> str | None:
    """UTF-8 text of a file without its BOM; E001 (with the position) when it is not UTF-8."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        report.add(
            rel,
            line,
            col,
            "E001",
            "文件不是 UTF-8 编码（可能是 GBK）；请在编辑器里用“UTF-8”另存为",
        )
        return None
    return text.removeprefix("\ufeff")


def _leaves_project(root: Path, path: Path) -> bool:
    """True when ``path`` (or a folder on the way to it) is a symlink leading outside ``root``."""
    current = path
    while current != root and current != current.parent:
        if current.is_symlink() and not current.resolve().is_relative_to(root):
            return True
        current = current.parent
    return False


def walk(root: Path, dirs: dict[str, int] | None = None) -> list[File]:
    """Every regular file (not symlink) under the content folders, sorted by folder and
    name; ``dirs`` receives every folder's modification time."""
    out: list[File] = []
    if dirs is not None:
        dirs[str(root)] = mtime(str(root))
    for folder in CONTENT_DIRS:
        base = root / folder
        if base.is_dir():
            _walk_dir(str(base), folder, not base.is_symlink(), out, dirs)
    return out


def mtime(path: str) -> int:
    """Modification time of ``path`` in nanoseconds (-1 when it cannot be read)."""
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return -1


def _walk_dir(
    path: str, rel: str, trusted: bool, out: list[File], dirs: dict[str, int] | None = None
) -> None:
    try:
        if dirs is not None:
            dirs[path] = mtime(path)
        with os.scandir(path) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        try:
            if entry.is_symlink():
                continue
            if entry.is_dir():
                _walk_dir(entry.path, f"{rel}/{entry.name}", trusted, out, dirs)
            elif entry.is_file():
                name = entry.name
                dot = name.rfind(".")
                suffix = name[dot:].lower() if 0 < dot < len(name) - 1 else ""
                out.append(
                    File(
                        f"{rel}/{name}",
                        entry.path,
                        suffix,
                        checkcache.sig_of(entry.stat()),
                        trusted,
                    )
                )
        except OSError:
            continue


def item_names(base: Path) -> list[str]:
    """Names of the item folders (not hidden, not starting with "_"), sorted."""
    if not base.is_dir():
        return []
    with os.scandir(base) as it:
        return sorted(e.name for e in it if e.is_dir() and not e.name.startswith((".", "_")))


def file_item_paths(base: Path) -> list[Path]:
    """The YAML files of a one-file-per-item folder (``.yaml`` first, then ``.yml``)."""
    if not base.is_dir():
        return []
    return sorted(base.glob("*.yaml")) + sorted(base.glob("*.yml"))


def markdown_paths(base: Path) -> list[Path]:
    """The Markdown files of a one-file-per-page folder, sorted."""
    return sorted(base.glob("*.md")) if base.is_dir() else []


def slow_digest(path: Path) -> str:
    """Digest of a file read outside the walk ("" when it cannot be read)."""
    try:
        return checkcache.file_digest(path.read_bytes())
    except OSError:
        return ""


def source_digest(yaml_digest: str, md_digest: str | None = None) -> str:
    """Digest of an item's YAML file and its Markdown file, if any."""
    return hashlib.sha256(f"{yaml_digest}\0{md_digest or ''}".encode()).hexdigest()[:32]


def files_version(files: list[File], digests: dict[str, str]) -> str:
    """Digest of every file's path and bytes (changes whenever any file does)."""
    digest = hashlib.sha256()
    for file in files:
        digest.update(file.rel.encode())
        digest.update(b"\0")
        digest.update(digests[file.rel].encode())
        digest.update(b"\n")
    return digest.hexdigest()[:12]
