"""Loading the items of every kind from their files, as the kind registry lays them out."""

from __future__ import annotations

import re
from typing import Any

from ..yamlio import value_position_of
from .files import (
    file_item_paths,
    item_names,
    markdown_paths,
    read_text,
    rel_path,
    slow_digest,
    source_digest,
)
from .kinds import KINDS, Kind
from .loader import Loader
from .markdown_checks import LinkCheck, check_links, check_markdown, check_story_sections
from .records import Catalogue, Page
from .validation import report_unfilled_lines


def plan(ld: Loader) -> None:
    """Claim the files the loader reads, so that they are read once, with the right role."""
    for kind in KINDS.values():
        base = ld.root / kind.folder
        if kind.layout == "folder":
            for name in item_names(base):
                claim_item(ld, kind, name)
            continue
        paths = file_item_paths(base) if kind.layout == "file" else markdown_paths(base)
        role = ("rec", kind.model.__name__) if kind.model is not None else ("page",)
        for path in paths:
            rel = ld.rel(path)
            if rel is not None:
                ld.claim(rel, role)


def claim_item(ld: Loader, kind: Kind, name: str) -> list[str]:
    """Claim a folder item's YAML (a record) and Markdown (its body); the paths claimed.
    Without its YAML (E205) the Markdown file is not read either."""
    assert kind.model is not None
    rel, md_rel = kind.item_files(name)
    claimed: list[str] = []
    if rel in ld.by_rel:
        ld.claim(rel, ("rec", kind.model.__name__))
        claimed.append(rel)
    elif not (ld.root / rel).exists():
        return claimed
    if md_rel in ld.by_rel:
        ld.claim(md_rel, ("body", kind.name))
        claimed.append(md_rel)
    return claimed


def load_items(ld: Loader, cat: Catalogue) -> None:
    """Every kind's items into ``cat``, in registry order."""
    for kind in KINDS.values():
        if kind.layout == "folder":
            items: dict[str, Any] = {}
            for name in item_names(ld.root / kind.folder):
                record = load_folder_item(ld, kind, name, cat, items)
                if record is not None:
                    items[record.id] = record
            setattr(cat, kind.plural, items)
        elif kind.layout == "file":
            setattr(cat, kind.plural, _load_file_items(ld, kind, cat))
        else:
            setattr(cat, kind.plural, _load_pages(ld, kind))


def load_folder_item(
    ld: Loader, kind: Kind, name: str, cat: Catalogue, items: dict[str, Any]
) -> Any:
    """One skill or showcase folder: its record (None when it has errors), its source added
    to ``cat.sources``; ``items`` holds the ids loaded before it (for E202)."""
    root, report = ld.root, ld.report
    folder, yaml_name = kind.folder, kind.yaml_file
    item_dir = root / folder / name
    rel, md_rel = kind.item_files(name)
    model: Any = kind.model
    if rel not in ld.by_rel and not (item_dir / yaml_name).exists():
        report.add(
            f"{folder}/{name}",
            1,
            1,
            "E205",
            f"文件夹里缺少 {yaml_name}；可以用 lamplight new 生成",
        )
        return None
    record, raw, yaml_digest = ld.record(item_dir / yaml_name, model, rel=rel)
    md_path = item_dir / kind.body_file
    md_digest: str | None = None
    body = ""
    md_exists = True
    if md_rel in ld.by_rel:
        body, diags, links = ld.parse_result(md_rel)
        report.items.extend(diags)
        check_links(root, md_rel, item_dir, links, report, ld.known)
        md_digest = ld.digests[md_rel]
    elif md_path.exists():
        text = read_text(root, md_path, report, ld.slow_texts)
        body = text or ""
        report_unfilled_lines(md_rel, body, report)
        check_markdown(root, md_rel, item_dir, body, report)
        if kind.name == "showcase":
            check_story_sections(md_rel, body, report)
        md_digest = slow_digest(md_path)
    else:
        md_exists = False
        report.add(rel, 1, 1, "E205", f"缺少正文文件 {md_rel}；请新建它")
    salvaged = ld.salvaged.pop(rel, None) if record is None else None
    if record is None:
        cat.broken.add((kind.name, item_dir.name))
        if salvaged is None:
            return None
    checked: Any = record if record is not None else salvaged
    ident: str = checked.id
    if ident != item_dir.name:
        line, col = value_position_of(raw.get(), ("id",))
        report.add(
            rel, line, col, "E203", f"id“{ident}”与文件夹名“{item_dir.name}”不一致；请改成一样"
        )
        # Still checked across files under its id, but never built.
        cat.broken.update({(kind.name, item_dir.name), (kind.name, ident)})
        record = None
        if (kind.name, ident) in cat.sources:
            return None
    if ident in items:
        report.add(rel, 1, 1, "E202", f"id“{ident}”重复")
        return None
    cat.sources[(kind.name, ident)] = raw.source(
        rel,
        md_rel if md_exists else None,
        body,
        item_dir,
        source_digest(yaml_digest, md_digest),
    )
    if record is None:
        cat.salvaged[(kind.name, ident)] = checked
    return record


def _load_file_items(ld: Loader, kind: Kind, cat: Catalogue) -> dict[str, Any]:
    """The items of a one-YAML-file-per-item kind, their sources added to ``cat.sources``."""
    root, report = ld.root, ld.report
    items: dict[str, Any] = {}
    assert kind.model is not None
    for path in file_item_paths(root / kind.folder):
        rel = rel_path(root, path)
        record: Any
        record, raw, digest = ld.record(path, kind.model)
        salvaged = ld.salvaged.pop(rel, None) if record is None else None
        if record is None:
            cat.broken.add((kind.name, path.stem))
            if salvaged is None:
                continue
        checked: Any = record or salvaged
        ident: str = checked.id
        if ident != path.stem:
            line, col = value_position_of(raw.get(), ("id",))
            report.add(
                rel, line, col, "E203", f"id“{ident}”与文件名“{path.stem}”不一致；请改成一样"
            )
            cat.broken.update({(kind.name, path.stem), (kind.name, ident)})
            record = None
            if (kind.name, ident) in cat.sources:
                continue
        if ident in items:
            first = cat.sources[(kind.name, ident)].yaml_path
            report.add(rel, 1, 1, "E202", f"id“{ident}”重复（{first} 已经用了）")
            continue
        cat.sources[(kind.name, ident)] = raw.source(rel, digest=source_digest(digest))
        if record is None:
            cat.salvaged[(kind.name, ident)] = checked
            continue
        items[ident] = record
    return items


def _load_pages(ld: Loader, kind: Kind) -> dict[str, Page]:
    """The hand-written pages (one Markdown file each)."""
    root, report = ld.root, ld.report
    pages: dict[str, Page] = {}
    base = root / kind.folder
    for index, path in enumerate(markdown_paths(base)):
        rel = rel_path(root, path)
        links: list[LinkCheck] | None = None
        if ld.rel(path) is not None:
            text, diags, links = ld.parse_result(rel)
            report.items.extend(diags)
        else:
            text = read_text(root, path, report, ld.slow_texts)
        if text is None:
            continue
        match = re.match(r"^(\d+)[-_](.+)$", path.stem)
        order, slug = (int(match.group(1)), match.group(2)) if match else (100 + index, path.stem)
        title = slug
        lines = text.splitlines()
        body_lines = lines
        for number, line in enumerate(lines):
            if line.startswith("# "):
                title = line[2:].strip()
                body_lines = lines[number + 1 :]
                break
        else:
            report.add(rel, 1, 1, "E102", "页面缺少标题行（以“# ”开头的第一行）；请补上")
        if links is None:
            check_markdown(root, rel, base, text, report)
        else:
            check_links(root, rel, base, links, report, ld.known)
        pages[slug] = Page(
            slug, title, "\n".join(body_lines), order, rel, source_digest(ld.digest(rel))
        )
    return pages
