"""The second pass's tool: look values up in the taxonomy and ids across files, point at them."""

from __future__ import annotations

import difflib
from typing import Any

from ..diagnostics import Report
from ..models import Region
from ..scripts import fold
from ..yamlio import value_position_of
from .kinds import KINDS
from .markdown_checks import check_local_path
from .records import Catalogue
from .taxonomy import VOCAB_NAMES, Taxo, Vocab


class Checker:
    """Second pass: taxonomy values, regions and references across files."""

    def __init__(
        self,
        cat: Catalogue,
        taxo: Taxo | None,
        report: Report,
        known: frozenset[str] | set[str] | None = None,
    ):
        self.cat = cat
        """The catalogue being checked (taxonomy values are canonicalised in place)."""
        self.taxo = taxo
        """The taxonomy's vocabularies (``None``: it could not be read, no taxonomy checks)."""
        self.report = report
        """Where problems go."""
        self.known = known
        """Absolute paths of the regular files found by the walk (see :func:`check_local_path`)."""

    def at(self, kind: str, ident: str, loc: tuple[int | str, ...]) -> tuple[str, int, int]:
        """(file, line, column) of the value at ``loc`` in the ``kind`` item ``ident``."""
        src = self.cat.sources[(kind, ident)]
        line, col = value_position_of(src.raw, loc)
        return src.yaml_path, line, col

    def vocab(self, record: Any, kind: str, field_name: str, vocab_name: str) -> None:
        """E104 for values of ``field_name`` not in the vocabulary; canonicalise the others."""
        if self.taxo is None:
            return
        vocab: Vocab = getattr(self.taxo, vocab_name)
        value = getattr(record, field_name)
        if value is None:
            return  # a field with its own error (see cross_checks._check_salvaged)
        values = value if isinstance(value, list) else [value]
        resolved = []
        for index, item in enumerate(values):
            canon = vocab.resolve(item)
            if canon is None:
                loc: tuple[int | str, ...] = (
                    (field_name, index) if isinstance(value, list) else (field_name,)
                )
                path, line, col = self.at(kind, record.id, loc)
                self.report.add(
                    path,
                    line,
                    col,
                    "E104",
                    f"“{field_name}”的值“{item}”不在分类表的{VOCAB_NAMES[vocab_name]}中"
                    f"{vocab.suggest(item)}（确实需要新的{VOCAB_NAMES[vocab_name]}时，编辑可以把它"
                    f"加进 content/taxonomy.yaml 的 {vocab_name}，再运行 lamplight schema 更新补全）",
                )
                resolved.append(item)
            else:
                resolved.append(canon)
        setattr(record, field_name, resolved if isinstance(value, list) else resolved[0])

    def region(self, record: Any, kind: str, loc: tuple[str, ...], region: Region | None) -> None:
        """E104 for a province, county or township not in the taxonomy; canonicalise it."""
        if self.taxo is None or region is None:
            return
        prov = self.taxo.provinces.get(fold(region.province))
        if prov is None:
            path, line, col = self.at(kind, record.id, (*loc, "province"))
            self.report.add(
                path,
                line,
                col,
                "E104",
                f"省份“{region.province}”不在分类表 regions 中；请先在 content/taxonomy.yaml 中添加",
            )
            return
        region.province = prov[0]
        if region.county is None:
            return
        county = prov[1].get(fold(region.county))
        if county is None:
            path, line, col = self.at(kind, record.id, (*loc, "county"))
            self.report.add(
                path,
                line,
                col,
                "E104",
                f"县“{region.county}”不在分类表中“{prov[0]}”之下；请检查名称或先在分类表中添加",
            )
            return
        region.county = county[0]
        if region.township is None:
            return
        town = county[1].resolve(region.township)
        if town is None:
            path, line, col = self.at(kind, record.id, (*loc, "township"))
            self.report.add(
                path,
                line,
                col,
                "E104",
                f"乡镇“{region.township}”不在分类表中“{county[0]}”之下；请检查名称或先在分类表中添加",
            )
            return
        region.township = town

    def refs(self, record: Any, kind: str, field_path: tuple[str, ...], target: str) -> None:
        """E201 for ids at ``field_path`` that name no ``target`` item."""
        pool = self.cat.pool(target)
        value: Any = record
        for part in field_path:
            value = getattr(value, part, None)
        values = value if isinstance(value, list) else [value]
        label = KINDS[target].editor_label
        for index, ref in enumerate(values):
            if ref is None or ref in pool or (target, ref) in self.cat.broken:
                continue
            loc: tuple[int | str, ...] = (
                (*field_path, index) if isinstance(value, list) else field_path
            )
            path, line, col = self.at(kind, record.id, loc)
            self.report.add(
                path, line, col, "E201", _describe_missing_ref(ref, target, label, pool)
            )

    def file_exists(self, kind: str, ident: str, loc: tuple[int | str, ...], rel_file: str) -> None:
        """E302/E204 for a file named in YAML that leaves the project or is missing."""
        src = self.cat.sources[(kind, ident)]
        base = src.folder or (self.cat.root / src.yaml_path).parent
        problem = check_local_path(self.cat.root, base, rel_file, self.known)
        if problem is None:
            return
        path, line, col = self.at(kind, ident, loc)
        if problem == "outside":
            self.report.add(
                path,
                line,
                col,
                "E302",
                f"文件路径“{rel_file}”指向项目之外，已拒绝；请把图片放进本条目的文件夹",
            )
        elif problem == "missing":
            self.report.add(
                path,
                line,
                col,
                "E204",
                f"找不到图片文件“{rel_file}”；请检查文件名（区分大小写）或把图片放到本条目文件夹中",
            )


#: The fields that name an item for readers (a reference written as one of them is a slip).
_NAME_FIELDS = ("title", "display_name", "name")


def _describe_missing_ref(ref: str, target: str, label: str, pool: dict[str, Any]) -> str:
    """What to say about a reference ``ref`` that names no ``target`` item."""
    folded = fold(str(ref)).strip("「」“”\"' ")
    for ident, item in pool.items():
        for name in _NAME_FIELDS:
            value = getattr(item, name, None)
            if isinstance(value, str) and fold(value).strip("「」“”\"' ") == folded:
                return (
                    f"引用要写{label}的 id，不是它的{'标题' if name == 'title' else '名字'}："
                    f"“{ref}”请改成“{ident}”"
                )
    close = difflib.get_close_matches(ref, list(pool), n=1, cutoff=0.75)
    if close:
        return f"引用的{label}“{ref}”不存在，您是不是想写“{close[0]}”？"
    return (
        f"引用的{label}“{ref}”不存在；请检查拼写，或先建立这个条目："
        f"lamplight new {target} {ref if _is_slug(ref) else 'ID'}"
    )


def _is_slug(text: str) -> bool:
    return (
        bool(text) and all(c.islower() or c.isdigit() or c == "-" for c in text) and text.isascii()
    )
