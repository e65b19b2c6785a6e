"""Load and validate the whole content tree into one :class:`Catalogue`.

This is the first half of the pipeline: every file is read once, every problem is collected
with its file, line and field, and generators only ever see the validated catalogue.
"""

from __future__ import annotations

import datetime as dt
import difflib
import gc
import hashlib
import os
import pickle
import re
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar, cast

from pydantic import BaseModel, ValidationError

from .. import checkcache, messages, privacy
from ..diagnostics import Diagnostic, Report
from ..models import (
    Booklet,
    Elder,
    Pairing,
    ProtectedTerms,
    PublicChannels,
    Record,
    Region,
    Showcase,
    Skill,
    Synonyms,
    Taxonomy,
)
from ..scripts import Converter, fold
from ..yamlio import PosDict, YamlProblem, load_yaml, position_of, value_position_of

R = TypeVar("R", bound=BaseModel)

#: Required H2 sections of a story, in order (compared in either script).
STORY_SECTIONS = ("基本情况", "主要做法", "取得成效", "经验启示")

PROJECT_DIRS = ("content", "showcases", "skills_library")


@dataclass
class Source:
    """Where a record came from."""

    yaml_path: str
    """YAML path relative to the project root."""
    raw: Any
    """The loaded YAML (with positions), for pointing at values in later checks."""
    md_path: str | None = None
    """Companion Markdown path relative to the project root, if any."""
    body: str = ""
    """Companion Markdown text."""
    folder: Path | None = None
    """Absolute folder of the item (skills and showcases)."""
    digest: str = ""
    """Content digest of the YAML file and its Markdown file, if any (32 hex digits): equal
    digests mean identical source bytes."""


@dataclass
class Page:
    """A hand-written page from content/pages/."""

    slug: str
    """File name without .md."""
    title: str
    """First ``# `` heading, or the file name."""
    body: str
    """Markdown without the title line."""
    order: int
    """Position in the navigation (from a leading number in the file name)."""
    path: str
    """Source path relative to the project root."""
    digest: str = ""
    """Content digest of the page's file."""


@dataclass
class Catalogue:
    """Everything validated, ready for the generators."""

    root: Path
    taxonomy: Taxonomy
    skills: dict[str, Skill] = field(default_factory=dict)
    showcases: dict[str, Showcase] = field(default_factory=dict)
    elders: dict[str, Elder] = field(default_factory=dict)
    pairings: dict[str, Pairing] = field(default_factory=dict)
    booklets: dict[str, Booklet] = field(default_factory=dict)
    pages: dict[str, Page] = field(default_factory=dict)
    public_channels: PublicChannels = field(default_factory=PublicChannels)
    protected_terms: ProtectedTerms = field(default_factory=ProtectedTerms)
    synonyms: Synonyms = field(default_factory=Synonyms)
    sources: dict[tuple[str, str], Source] = field(default_factory=dict)
    content_version: str = ""
    settings_digest: str = ""
    """Digest of the files that shape every record: the taxonomy, public channels, protected
    terms and synonyms (with each record's ``Source.digest``, a record's full input)."""
    converter: Converter = field(default_factory=Converter)
    sample: bool = False
    """True when the content is the bundled fictional sample."""
    texts_read: dict[Path, str] = field(default_factory=dict, repr=False)
    """Text of every file read while loading (kept only until the privacy scan)."""
    broken: set[tuple[str, str]] = field(default_factory=set)
    """(kind, id) of files that exist but failed validation: not referenced as missing."""

    # ------------------------------------------------------------------ access

    def source(self, kind: str, ident: str) -> Source:
        return self.sources[(kind, ident)]

    def body(self, record: Skill | Showcase) -> str:
        return self.sources[(record.kind, record.id)].body

    def folder(self, record: Skill | Showcase) -> Path:
        folder = self.sources[(record.kind, record.id)].folder
        assert folder is not None
        return folder

    def published_skills(self) -> list[Skill]:
        return [s for s in self.skills.values() if s.status == "published"]

    def published_showcases(self, channel: str = "web") -> list[Showcase]:
        return [
            s
            for s in self.showcases.values()
            if s.status == "published" and s.consent is not None and channel in s.consent.scope
        ]

    def published_elders(self, channel: str = "web") -> list[Elder]:
        return [
            e
            for e in self.elders.values()
            if e.status == "published" and e.consent is not None and channel in e.consent.scope
        ]

    def showcases_for_skill(self, skill_id: str, channel: str = "web") -> list[Showcase]:
        return [s for s in self.published_showcases(channel) if skill_id in s.skills]

    def showcases_for_elder(self, elder_id: str, channel: str = "web") -> list[Showcase]:
        return [s for s in self.published_showcases(channel) if elder_id in s.elders]

    def skills_by_elder(self, elder_id: str) -> list[Skill]:
        return [
            s
            for s in self.published_skills()
            if elder_id in s.authors or elder_id in s.who_to_ask.elders
        ]

    def iter_items(self) -> Iterator[Skill | Showcase | Elder]:
        yield from self.skills.values()
        yield from self.showcases.values()
        yield from self.elders.values()


# ---------------------------------------------------------------------- reading


def _rel(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _read_text(
    root: Path, path: Path, report: Report, texts: dict[Path, str] | None = None
) -> str | None:
    """Read one UTF-8 file inside the project (remembered in ``texts`` for the privacy scan)."""
    rel = _rel(root, path)
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
    text = _decode(rel, data, report)
    if text is not None and texts is not None:
        texts[path] = text
    return text


def _decode(rel: str, data: bytes, report: Report) -> str | None:
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


def _load_record(
    root: Path, path: Path, model: type[R], report: Report, texts: dict[Path, str] | None = None
) -> tuple[R | None, Any]:
    """Read, parse and validate one YAML file; report every problem found in it."""
    rel = _rel(root, path)
    text = _read_text(root, path, report, texts)
    if text is None:
        return None, None
    return _parse_record(rel, text, model, report)


def _parse_record(rel: str, text: str, model: type[R], report: Report) -> tuple[R | None, Any]:
    """Parse and validate the text of one YAML file; report every problem found in it."""
    try:
        data, dups = load_yaml(text)
    except YamlProblem as exc:
        report.add(rel, exc.line, exc.col, exc.code, exc.message)
        return None, None
    for key, (line, col), (first_line, _) in dups:
        report.add(
            rel,
            line,
            col,
            "E003",
            f"字段“{key}”重复出现（第 {first_line} 行已经有了）；请删除多余的一处",
        )
    if not isinstance(data, PosDict):
        report.add(rel, 1, 1, "E103", "文件内容应是“字段: 值”的形式，但现在不是；请参照模板重写")
        return None, data
    unfilled = any(marker in text for marker in _PLACEHOLDERS) and _report_placeholders(
        rel, data, (), report
    )
    try:
        record = model.model_validate(data)
    except ValidationError as exc:
        _report_validation(rel, data, model, exc, report)
        return None, data
    if dups or unfilled:
        return None, data
    return record, data


_PLACEHOLDERS = ("（请填写", "（請填寫")


def _report_unfilled_lines(rel: str, body: str, report: Report) -> None:
    """E102 for every Markdown line that still starts with a scaffold placeholder."""
    for number, text_line in enumerate(body.splitlines(), start=1):
        if text_line.lstrip().startswith(_PLACEHOLDERS):
            report.add(
                rel,
                number,
                1,
                "E102",
                "这一段还没有填写（仍是模板里的“（请填写）”）；请改成实际内容",
            )


def _report_placeholders(rel: str, top: Any, loc: tuple[int | str, ...], report: Report) -> bool:
    """Report scaffold placeholders that were never filled in; True when any was found."""
    value = top
    for part in loc:
        value = value[part]
    found = False
    if isinstance(value, dict):
        for key in value:
            found |= _report_placeholders(rel, top, (*loc, key), report)
    elif isinstance(value, list):
        for index in range(len(value)):
            found |= _report_placeholders(rel, top, (*loc, index), report)
    elif isinstance(value, str) and value.startswith(_PLACEHOLDERS):
        line, col = value_position_of(top, loc)
        report.add(
            rel,
            line,
            col,
            "E102",
            f"“{messages.dotted(loc)}”还没有填写（仍是模板里的“（请填写）”）；请改成实际内容",
        )
        found = True
    return found


_DATE_TYPES = {
    "date_parsing",
    "date_from_datetime_parsing",
    "date_type",
    "date_from_datetime_inexact",
}
_RANGE_TYPES = {
    "greater_than_equal",
    "less_than_equal",
    "greater_than",
    "less_than",
    "string_too_long",
    "string_too_short",
    "too_short",
    "too_long",
}


def _model_at(model: type[BaseModel], loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The nested model class that holds the field at ``loc`` (for suggestions)."""
    current: type[BaseModel] | None = model
    for part in loc:
        if current is None or isinstance(part, int):
            continue
        info = current.model_fields.get(part)
        if info is None:
            info = next((f for f in current.model_fields.values() if f.alias == part), None)
        if info is None:
            return None
        current = _inner_model(info.annotation)
    return current


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _field_names(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


def _report_validation(
    rel: str, data: Any, model: type[BaseModel], exc: ValidationError, report: Report
) -> None:
    seen: set[tuple[Any, ...]] = set()
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        # Union errors repeat per branch (e.g. "str" and "none"); keep the first per location.
        key = (loc[:-1] if loc and loc[-1] in {"str", "none", "int", "float"} else loc, err["type"])
        clean_loc = tuple(p for p in loc if p not in {"str", "none", "int", "float", "date"})
        if key in seen or (clean_loc, "*") in seen:
            continue
        seen.add(key)
        seen.add((clean_loc, "*"))
        dotted = messages.dotted(clean_loc)
        etype = err["type"]
        if etype == "extra_forbidden":
            line, col = position_of(data, clean_loc)
            parent = _model_at(model, clean_loc[:-1])
            name = str(clean_loc[-1])
            hint = ""
            if parent is not None:
                close = difflib.get_close_matches(name, _field_names(parent), n=1, cutoff=0.6)
                if close:
                    hint = f"，您是不是想写“{close[0]}”？"
                else:
                    hint = "；可用的字段有：" + "、".join(_field_names(parent))
            report.add(rel, line, col, "E101", f"未知字段“{dotted}”{hint or '；请删除它'}")
        elif etype == "missing":
            line, col = position_of(data, clean_loc[:-1])
            label = messages.field_label(model, clean_loc)
            report.add(rel, line, col, "E102", f"缺少必填字段“{dotted}”（{label}）；请补上")
        elif etype in _DATE_TYPES:
            line, col = value_position_of(data, clean_loc)
            report.add(
                rel,
                line,
                col,
                "E105",
                f"“{dotted}”不是有效日期（{err.get('input')!r}）；请写成 YYYY-MM-DD，例如 2024-05-01",
            )
        elif etype in _RANGE_TYPES:
            line, col = value_position_of(data, clean_loc)
            report.add(rel, line, col, "E106", f"“{dotted}”{messages.range_message(err)}")
        elif etype == "literal_error":
            line, col = value_position_of(data, clean_loc)
            expected = str(err.get("ctx", {}).get("expected", "")).replace(" or ", ", ")
            expected = "、".join(part.strip(" '") for part in expected.split(","))
            report.add(
                rel,
                line,
                col,
                "E103",
                f"“{dotted}”的值 {err.get('input')!r} 不在可选范围内；可选：{expected}",
            )
        elif etype == "string_pattern_mismatch":
            line, col = value_position_of(data, clean_loc)
            report.add(rel, line, col, "E103", f"“{dotted}”{messages.pattern_message(clean_loc)}")
        else:
            line, col = value_position_of(data, clean_loc)
            report.add(
                rel,
                line,
                col,
                "E103",
                f"“{dotted}”的类型不对：{messages.type_message(etype, err.get('input'))}",
            )


# ---------------------------------------------------------------------- taxonomy


class _Vocab:
    """Script-insensitive lookup of one vocabulary: folded form → canonical form."""

    def __init__(self, values: list[str]):
        self.canon = {fold(v): v for v in values}
        self._seen: dict[str, str | None] = {}

    def resolve(self, value: str) -> str | None:
        try:
            return self._seen[value]
        except KeyError:
            canon = self._seen[value] = self.canon.get(fold(value))
            return canon

    def suggest(self, value: str) -> str:
        close = difflib.get_close_matches(fold(value), list(self.canon), n=1, cutoff=0.3)
        if close:
            return f"，您是不是想写“{self.canon[close[0]]}”？"
        return "；可选：" + "、".join(self.canon.values())


@dataclass
class _Taxo:
    industries: _Vocab
    poverty_causes: _Vocab
    assistance_measures: _Vocab
    activities: _Vocab
    elder_types: _Vocab
    periods: _Vocab
    tags: _Vocab
    provinces: dict[str, tuple[str, dict[str, tuple[str, _Vocab]]]]

    @classmethod
    def build(cls, t: Taxonomy) -> _Taxo:
        provinces = {
            fold(p.name): (
                p.name,
                {fold(c.name): (c.name, _Vocab(c.townships)) for c in p.counties},
            )
            for p in t.regions
        }
        return cls(
            _Vocab(t.industries),
            _Vocab(t.poverty_causes),
            _Vocab(t.assistance_measures),
            _Vocab(t.activities),
            _Vocab(t.elder_types),
            _Vocab(t.periods),
            _Vocab(t.tags),
            provinces,
        )


_VOCAB_NAMES = {
    "industries": "产业类别",
    "poverty_causes": "致贫原因",
    "assistance_measures": "帮扶措施",
    "activities": "关工委活动",
    "elder_types": "五老类别",
    "periods": "时期",
    "tags": "标签",
}


class _Checker:
    """Second pass: taxonomy values, regions and references across files."""

    def __init__(
        self,
        cat: Catalogue,
        taxo: _Taxo | None,
        report: Report,
        known: frozenset[str] | set[str] | None = None,
    ):
        self.cat = cat
        self.taxo = taxo
        self.report = report
        self.known = known

    def _at(self, kind: str, ident: str, loc: tuple[int | str, ...]) -> tuple[str, int, int]:
        src = self.cat.sources[(kind, ident)]
        line, col = value_position_of(src.raw, loc)
        return src.yaml_path, line, col

    def vocab(self, record: Any, kind: str, field_name: str, vocab_name: str) -> None:
        if self.taxo is None:
            return
        vocab: _Vocab = getattr(self.taxo, vocab_name)
        value = getattr(record, field_name)
        values = value if isinstance(value, list) else [value]
        resolved = []
        for index, item in enumerate(values):
            canon = vocab.resolve(item)
            if canon is None:
                loc: tuple[int | str, ...] = (
                    (field_name, index) if isinstance(value, list) else (field_name,)
                )
                path, line, col = self._at(kind, record.id, loc)
                self.report.add(
                    path,
                    line,
                    col,
                    "E104",
                    f"“{field_name}”的值“{item}”不在分类表的{_VOCAB_NAMES[vocab_name]}中"
                    f"{vocab.suggest(item)}（分类表在 content/taxonomy.yaml）",
                )
                resolved.append(item)
            else:
                resolved.append(canon)
        setattr(record, field_name, resolved if isinstance(value, list) else resolved[0])

    def region(self, record: Any, kind: str, loc: tuple[str, ...], region: Region) -> None:
        if self.taxo is None:
            return
        prov = self.taxo.provinces.get(fold(region.province))
        if prov is None:
            path, line, col = self._at(kind, record.id, (*loc, "province"))
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
            path, line, col = self._at(kind, record.id, (*loc, "county"))
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
            path, line, col = self._at(kind, record.id, (*loc, "township"))
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
        pools: dict[str, dict[str, Any]] = {
            "skill": self.cat.skills,
            "elder": self.cat.elders,
            "showcase": self.cat.showcases,
        }
        pool = pools[target]
        value: Any = record
        for part in field_path:
            value = getattr(value, part)
        values = value if isinstance(value, list) else [value]
        label = {"skill": "技能教程", "elder": "五老", "showcase": "典型案例"}[target]
        for index, ref in enumerate(values):
            if ref is None or ref in pool or (target, ref) in self.cat.broken:
                continue
            loc: tuple[int | str, ...] = (
                (*field_path, index) if isinstance(value, list) else field_path
            )
            path, line, col = self._at(kind, record.id, loc)
            close = difflib.get_close_matches(ref, list(pool), n=1, cutoff=0.6)
            hint = f"，您是不是想写“{close[0]}”？" if close else "；请检查拼写，或先建立这个条目"
            self.report.add(path, line, col, "E201", f"引用的{label}“{ref}”不存在{hint}")

    def file_exists(self, kind: str, ident: str, loc: tuple[int | str, ...], rel_file: str) -> None:
        src = self.cat.sources[(kind, ident)]
        base = src.folder or (self.cat.root / src.yaml_path).parent
        problem = _check_local_path(self.cat.root, base, rel_file, self.known)
        if problem is None:
            return
        path, line, col = self._at(kind, ident, loc)
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


_DRIVE_RE = re.compile(r"^[a-zA-Z]:")
_WEB_RE = re.compile(r"^(https?:|mailto:|#)", re.I)
_IMAGE_RE = re.compile(r"\.(jpe?g|png|webp|gif|svg)$", re.I)


def _check_local_path(
    root: Path, base: Path, rel_file: str, known: frozenset[str] | set[str] | None = None
) -> str | None:
    """None when fine, "outside" when it leaves the project, "missing" when absent.

    ``known`` holds the absolute paths of regular files found under the content folders
    without following any symlink; a target found there needs no further look at the disk.
    """
    if rel_file.startswith(("/", "\\")) or _DRIVE_RE.match(rel_file) or "://" in rel_file:
        return "outside"
    if known and ".." not in rel_file:
        if os.path.normpath(os.path.join(base, rel_file)) in known:
            return None
    target = (base / rel_file).resolve()
    if not target.is_relative_to(root.resolve()):
        return "outside"
    if not target.is_file():
        return "missing"
    return None


_LinkCheck = tuple[int, int, str, str]
"""(line, column, link target, path part) of a local link, checked against the disk every run."""


def _markdown_findings(rel: str, body: str) -> tuple[list[Diagnostic], list[_LinkCheck]]:
    """Problems that depend on the text alone, and the local links still to check on disk."""
    from ..markup import LINK_TARGET_RE, UNSAFE_HTML_RE, UNSAFE_SCHEME_RE

    report = Report()
    links: list[_LinkCheck] = []
    for number, line in enumerate(body.splitlines(), start=1):
        bad = UNSAFE_HTML_RE.search(line)
        if bad:
            report.add(
                rel,
                number,
                bad.start() + 1,
                "E302",
                "正文里有不安全的 HTML（脚本、内嵌框架或事件属性），发布时不允许；请删除这段 HTML，改用普通文字",
            )
        for match in LINK_TARGET_RE.finditer(line):
            target = match.group(1) or match.group(2) or ""
            col = match.start() + 1
            if UNSAFE_SCHEME_RE.match(target):
                report.add(
                    rel,
                    number,
                    col,
                    "E302",
                    f"链接“{target[:40]}”使用了不安全的协议（javascript:/data:/file:），请删除",
                )
                continue
            if _WEB_RE.match(target):
                continue
            path_part = target.split("#", 1)[0].split("?", 1)[0]
            if not path_part:
                continue
            links.append((number, col, target, path_part))
    return report.items, links


def _check_links(
    root: Path,
    rel: str,
    folder: Path,
    links: list[_LinkCheck],
    report: Report,
    known: frozenset[str] | set[str] | None = None,
) -> None:
    for number, col, target, path_part in links:
        problem = _check_local_path(root, folder, path_part, known)
        if problem == "outside":
            report.add(
                rel,
                number,
                col,
                "E302",
                f"路径“{target}”指向本项目之外（绝对路径或 ../ 越界），已拒绝；请把文件放进本条目的文件夹",
            )
        elif problem == "missing" and _IMAGE_RE.search(path_part):
            report.add(
                rel,
                number,
                col,
                "E204",
                f"找不到图片文件“{path_part}”；请检查文件名或把图片放到本条目文件夹中",
            )


def _check_markdown(root: Path, rel: str, folder: Path, body: str, report: Report) -> None:
    """Refuse scripts, unsafe URL schemes and paths that leave the project; find missing images."""
    diags, links = _markdown_findings(rel, body)
    report.items.extend(diags)
    _check_links(root, rel, folder, links, report)


_HEADING_RE = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")


def _check_story_sections(rel: str, body: str, report: Report) -> None:
    found: dict[str, int] = {}
    for number, line in enumerate(body.splitlines(), start=1):
        match = _HEADING_RE.match(line)
        if match and len(match.group(1)) == 2:
            found.setdefault(fold(match.group(2)), number)
    last = 0
    for section in STORY_SECTIONS:
        key = fold(section)
        if key not in found:
            report.add(
                rel,
                1,
                1,
                "E301",
                f"故事缺少“## {section}”一节；四节依次是：" + " → ".join(STORY_SECTIONS),
            )
        elif found[key] < last:
            report.add(
                rel,
                found[key],
                1,
                "E301",
                f"“## {section}”的位置不对；四节应依次是：" + " → ".join(STORY_SECTIONS),
            )
        else:
            last = found[key]


# ---------------------------------------------------------------------- loading
#
# Every regular file under the content folders is found by one walk that follows no symlink.
# The per-file work (parse + validate, Markdown checks, private-data scan, photo GPS flag)
# depends only on the file's bytes and path: it runs in a pool of processes when there is a
# lot of it, and its results are cached by content hash (see checkcache). Files reached
# through a symlink take the original, uncached path. Everything that depends on other files
# (references, taxonomy values, missing images, consent, dates, near copies) is recomputed on
# every run.

PARALLEL_MIN_FILES = 300
"""Below this many files to read, loading stays in one process."""

_Role = tuple[str, ...]
_MODELS: dict[str, type[BaseModel]] = {
    m.__name__: m
    for m in (Skill, Showcase, Elder, Pairing, Booklet, Taxonomy, PublicChannels, ProtectedTerms)
}
_MODELS[Synonyms.__name__] = Synonyms


@dataclass(slots=True)
class _File:
    rel: str
    path: str
    suffix: str
    """Lower-case suffix, as ``Path.suffix`` gives it."""
    sig: checkcache.Sig
    trusted: bool
    """Reached without any symlink (its folder tree is the project's own)."""


def _walk(root: Path, dirs: dict[str, int] | None = None) -> list[_File]:
    """Every regular file (not symlink) under the content folders, in the order of
    :func:`privacy.iter_content_files`; ``dirs`` receives every folder's modification time."""
    out: list[_File] = []
    if dirs is not None:
        dirs[str(root)] = _mtime(str(root))
    for folder in privacy.SCANNED_DIRS:
        base = root / folder
        if base.is_dir():
            _walk_dir(str(base), folder, not base.is_symlink(), out, dirs)
    return out


def _mtime(path: str) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return -1


def _walk_dir(
    path: str, rel: str, trusted: bool, out: list[_File], dirs: dict[str, int] | None = None
) -> None:
    try:
        if dirs is not None:
            dirs[path] = _mtime(path)
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
                    _File(
                        f"{rel}/{name}",
                        entry.path,
                        suffix,
                        checkcache.sig_of(entry.stat()),
                        trusted,
                    )
                )
        except OSError:
            continue


def _jobs(pending: int) -> int:
    """How many processes to use for ``pending`` files (``LAMPLIGHT_CHECK_JOBS`` overrides)."""
    env = os.environ.get("LAMPLIGHT_CHECK_JOBS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if pending < PARALLEL_MIN_FILES or (cpus or 1) < 2 or threading.active_count() > 1:
        return 1
    return min(cpus or 1, 4)


# State for the per-file workers: (pipeline, privacy context, public numbers, cache entries).
# Set before the pool is forked, so workers inherit it.
_WORK: tuple[str, str, set[str], dict[str, bytes]] = ("", "", set(), {})
_WorkResult = tuple[str, str, bytes | None, bytes | None]


# Keys need not name the pipeline: a cache written by other code is never loaded.
def _pkey(pipeline: str, role: _Role, rel: str, digest: str) -> str:
    return f"p\0{':'.join(role)}\0{rel}\0{digest}"


def _vkey(pipeline: str, vctx: str, variant: str, rel: str, digest: str) -> str:
    return f"v\0{vctx}\0{variant}\0{rel}\0{digest}"


def _parse_part(rel: str, data: bytes, role: _Role) -> Any:
    """The cacheable, content-only result of one file's role."""
    if role[0] == "image":
        return privacy.bytes_have_gps(data)
    report = Report()
    text = _decode(rel, data, report)
    if role[0] == "rec":
        if text is None:
            return (False, None, report.items, None)
        record, raw = _parse_record(rel, text, _MODELS[role[1]], report)
        if record is None:
            return (False, None, report.items, None)
        # The plain input validates again into an equal record far faster than a pickled
        # model graph loads; the positions are parsed again from the text only when needed.
        return (True, _plain(raw), report.items, text)
    if role[0] == "body":
        body = text or ""
        _report_unfilled_lines(rel, body, report)
        diags, links = _markdown_findings(rel, body)
        report.items.extend(diags)
        if role[1] == "showcase":
            _check_story_sections(rel, body, report)
        return (body, report.items, links)
    # page
    if text is None:
        return (None, report.items, [])
    diags, links = _markdown_findings(rel, text)
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


def _work(task: tuple[str, str, _Role | None, str | None], force: bool = False) -> _WorkResult:
    """Read one file once: its digest, and the parts (pickled) not yet in the cache."""
    rel, path, role, variant = task
    pipeline, vctx, public_numbers, entries = _WORK
    with open(path, "rb") as handle:
        data = handle.read()
    digest = checkcache.file_digest(data)
    pblob = vblob = None
    if role is not None and (force or _pkey(pipeline, role, rel, digest) not in entries):
        pblob = checkcache.dumps(_parse_part(rel, data, role))
    if variant is not None and (
        force or _vkey(pipeline, vctx, variant, rel, digest) not in entries
    ):
        vblob = checkcache.dumps(_privacy_part(rel, data, variant, public_numbers))
    return rel, digest, pblob, vblob


def _work_chunk(tasks: list[tuple[str, str, _Role | None, str | None]]) -> list[_WorkResult]:
    return [_work(task) for task in tasks]


class _Loader:
    """The files of one run, their digests and their (cached) per-file results."""

    def __init__(
        self,
        root: Path,
        report: Report,
        session: checkcache.Session,
        files: list[_File] | None = None,
        dirs: dict[str, int] | None = None,
    ):
        self.root = root
        self.report = report
        self.session = session
        self.files = _walk(root, dirs) if files is None else files
        self.by_rel = {f.rel: f for f in self.files if f.trusted}
        self.known = frozenset(f.path for f in self.by_rel.values())
        self.roles: dict[str, _Role] = {}
        self.variants: dict[str, str] = {}
        self.digests: dict[str, str] = {}
        self.parsed: set[str] = set()
        """Files whose parse result is in the check cache (read by :meth:`parse_result`)."""
        self.found: dict[str, list[Diagnostic]] = {}
        self.slow_texts: dict[Path, str] = {}
        self.public_numbers: set[str] = set()
        self.vctx = ""

    def rel(self, path: Path) -> str | None:
        """``path`` relative to the root when it is a trusted file of the walk."""
        rel = _rel(self.root, path)
        return rel if rel in self.by_rel else None

    def claim(self, rel: str, role: _Role, variant: str = "strip") -> None:
        self.roles[rel] = role
        self.variants[rel] = variant

    def set_public_numbers(self, numbers: set[str]) -> None:
        self.public_numbers = numbers
        self.vctx = checkcache.key("public", *sorted(numbers))

    # ------------------------------------------------------------------ running

    def run(self, rels: list[str], with_privacy: bool) -> None:
        """Make sure the parse (and privacy) results of ``rels`` are in ``parsed``/``found``."""
        session = self.session
        pipeline = session.pipeline
        pending: list[tuple[str, str, _Role | None, str | None]] = []
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
                (role is None or session.has(_pkey(pipeline, role, rel, digest)))
                and (
                    variant is None or session.has(_vkey(pipeline, self.vctx, variant, rel, digest))
                )
            ):
                self.digests[rel] = digest
                ready.append(rel)
                continue
            pending.append((rel, file.path, role, variant))
        for rel, digest, pblob, vblob in self._execute(pending):
            self.digests[rel] = digest
            role = self.roles.get(rel)
            if pblob is not None and role is not None:
                session.put_blob(_pkey(pipeline, role, rel, digest), pblob)
            if vblob is not None:
                variant = self.variants[rel]
                session.put_blob(_vkey(pipeline, self.vctx, variant, rel, digest), vblob)
            ready.append(rel)
        for rel in ready:
            self._take(rel, with_privacy)
            session.note_digest(rel, self.by_rel[rel].sig, self.digests[rel])

    def _execute(
        self, pending: list[tuple[str, str, _Role | None, str | None]]
    ) -> list[_WorkResult]:
        global _WORK
        if not pending:
            return []
        _WORK = (self.session.pipeline, self.vctx, self.public_numbers, self.session.entries)
        jobs = _jobs(len(pending))
        if jobs <= 1:
            return [_work(task) for task in pending]
        import multiprocessing

        size = max(4, min(64, len(pending) // (jobs * 6) or 1))
        chunks = [pending[i : i + size] for i in range(0, len(pending), size)]
        out: list[_WorkResult] = []
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for part in pool.imap(_work_chunk, chunks):
                out.extend(part)
        return out

    def _take(self, rel: str, with_privacy: bool) -> None:
        """Note the cached results of ``rel``: its privacy findings unpickled now (recomputing
        a damaged entry), its parse result when :meth:`parse_result` asks for it."""
        session = self.session
        digest = self.digests[rel]
        role = self.roles.get(rel)
        if role is not None and rel not in self.parsed:
            session.keep(_pkey(session.pipeline, role, rel, digest))
            self.parsed.add(rel)
        variant = self.variants.get(rel)
        if with_privacy and variant is not None and rel not in self.found:
            k = _vkey(session.pipeline, self.vctx, variant, rel, digest)
            value = session.get(k)
            if value is None:
                value = self._recompute(rel, k, None, variant)
            self.found[rel] = value

    def parse_result(self, rel: str) -> Any:
        """The parse result of ``rel`` (a file :meth:`run` went through), unpickled for this
        caller: the loader keeps no copy, so that at most one item's intermediate data is
        alive besides the records already made (at N = 10,000 all of them took ~400 MB)."""
        assert rel in self.parsed
        role = self.roles[rel]
        k = _pkey(self.session.pipeline, role, rel, self.digests[rel])
        value = self.session.get(k)
        if value is None:
            value = self._recompute(rel, k, role, None)
        return value

    def _recompute(self, rel: str, k: str, role: _Role | None, variant: str | None) -> Any:
        global _WORK
        _WORK = (self.session.pipeline, self.vctx, self.public_numbers, self.session.entries)
        _, digest, pblob, vblob = _work((rel, self.by_rel[rel].path, role, variant), True)
        blob = pblob if role is not None else vblob
        assert blob is not None
        self.digests[rel] = digest
        self.session.put_blob(k, blob)
        return pickle.loads(blob)

    # ------------------------------------------------------------------ records

    def record(
        self, path: Path, model: type[R], texts: bool = True, rel: str | None = None
    ) -> tuple[R | None, _Raw, str]:
        """Load one YAML record: (record or None, its raw data, digest of the file)."""
        rel = rel or _rel(self.root, path)
        if rel not in self.by_rel:
            record, raw = _load_record(
                self.root, path, model, self.report, self.slow_texts if texts else None
            )
            return record, _Raw(raw), _slow_digest(path)
        if rel not in self.parsed:
            self.claim(rel, ("rec", model.__name__), "strip" if texts else "raw")
            self.run([rel], with_privacy=False)
        ok, data, diags, text = self.parse_result(rel)
        self.report.items.extend(diags)
        if not ok:
            return None, _Raw(None), self.digests[rel]
        return model.model_validate(data), _Raw(None, text), self.digests[rel]

    def digest(self, rel: str) -> str:
        return self.digests.get(rel) or _slow_digest(self.root / rel)


class _Raw:
    """The raw YAML of a record, or the text to parse it from when first needed."""

    __slots__ = ("text", "value")

    def __init__(self, value: Any, text: str | None = None):
        self.value = value
        self.text = text

    def get(self) -> Any:
        if self.text is not None:
            self.value = load_yaml(self.text)[0]
            self.text = None
        return self.value

    def source(
        self,
        yaml_path: str,
        md_path: str | None = None,
        body: str = "",
        folder: Path | None = None,
        digest: str = "",
    ) -> Source:
        if self.text is None:
            return Source(yaml_path, self.value, md_path, body, folder, digest)
        src = _LazySource(yaml_path, None, md_path, body, folder, digest)
        src._raw_text = self.text
        return src


class _LazySource(Source):
    """A :class:`Source` whose ``raw`` is parsed from the YAML text on first use."""

    _raw_text: str | None = None
    _raw_value: Any = None

    @property  # type: ignore[override]
    def raw(self) -> Any:
        if self._raw_text is not None:
            self._raw_value = load_yaml(self._raw_text)[0]
            self._raw_text = None
        return self._raw_value

    @raw.setter
    def raw(self, value: Any) -> None:
        self._raw_value = value
        self._raw_text = None


def _slow_digest(path: Path) -> str:
    try:
        return checkcache.file_digest(path.read_bytes())
    except OSError:
        return ""


def _source_digest(yaml_digest: str, md_digest: str | None = None) -> str:
    return hashlib.sha256(f"{yaml_digest}\0{md_digest or ''}".encode()).hexdigest()[:32]


def _item_names(base: Path) -> list[str]:
    """Names of the item folders (not hidden, not starting with "_"), sorted."""
    if not base.is_dir():
        return []
    with os.scandir(base) as it:
        return sorted(e.name for e in it if e.is_dir() and not e.name.startswith((".", "_")))


def _plan(ld: _Loader, root: Path) -> None:
    """Claim the files the loader reads, so that they are read once, with the right role."""
    for folder, _yaml_name, _md_name, kind in _FOLDER_KINDS:
        for name in _item_names(root / folder):
            _claim_item(ld, kind, name)
    for folder, model, _ in _FILE_KINDS:
        for path in _file_item_paths(root / folder):
            file_rel = ld.rel(path)
            if file_rel is not None:
                ld.claim(file_rel, ("rec", model.__name__))
    for path in _page_paths(root):
        page_rel = ld.rel(path)
        if page_rel is not None:
            ld.claim(page_rel, ("page",))


def _claim_item(ld: _Loader, kind: str, name: str) -> list[str]:
    """Claim a skill's or showcase's YAML (a record) and Markdown (its body); the paths
    claimed. Without its YAML (E205) the Markdown file is not read either."""
    folder, yaml_name, md_name = _KIND_FILES[kind]
    rel, md_rel = f"{folder}/{name}/{yaml_name}", f"{folder}/{name}/{md_name}"
    claimed: list[str] = []
    if rel in ld.by_rel:
        ld.claim(rel, ("rec", _FOLDER_MODELS[kind].__name__))
        claimed.append(rel)
    elif not (ld.root / rel).exists():
        return claimed
    if md_rel in ld.by_rel:
        ld.claim(md_rel, ("body", kind))
        claimed.append(md_rel)
    return claimed


_FOLDER_KINDS = (
    ("skills_library", "skill.yaml", "tutorial.md", "skill"),
    ("showcases", "showcase.yaml", "story.md", "showcase"),
)
#: kind → (folder, YAML file, Markdown file) of the folder items
_KIND_FILES = {kind: (folder, y, md) for folder, y, md, kind in _FOLDER_KINDS}
_FOLDER_MODELS: dict[str, type[BaseModel]] = {"skill": Skill, "showcase": Showcase}
_FILE_KINDS: tuple[tuple[str, type[BaseModel], str], ...] = (
    ("content/elders", Elder, "elder"),
    ("content/pairings", Pairing, "pairing"),
    ("content/booklets", Booklet, "booklet"),
)


def _file_item_paths(base: Path) -> list[Path]:
    if not base.is_dir():
        return []
    return sorted(base.glob("*.yaml")) + sorted(base.glob("*.yml"))


def _page_paths(root: Path) -> list[Path]:
    base = root / "content" / "pages"
    return sorted(base.glob("*.md")) if base.is_dir() else []


def _load_folder_items(
    ld: _Loader,
    folder: str,
    yaml_name: str,
    md_name: str,
    model: type[R],
    kind: str,
    cat: Catalogue,
) -> dict[str, R]:
    items: dict[str, R] = {}
    for name in _item_names(ld.root / folder):
        record = _load_folder_item(ld, folder, name, yaml_name, md_name, model, kind, cat, items)
        if record is not None:
            items[cast(Any, record).id] = record
    return items


def _load_folder_item(
    ld: _Loader,
    folder: str,
    name: str,
    yaml_name: str,
    md_name: str,
    model: type[R],
    kind: str,
    cat: Catalogue,
    items: dict[str, R],
) -> R | None:
    """One skill or showcase folder: its record (None when it has errors), its source added
    to ``cat.sources``; ``items`` holds the ids loaded before it (for E202)."""
    root, report = ld.root, ld.report
    item_dir = root / folder / name
    rel = f"{folder}/{name}/{yaml_name}"
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
    md_path = item_dir / md_name
    md_rel = f"{folder}/{name}/{md_name}"
    md_digest: str | None = None
    body = ""
    md_exists = True
    if md_rel in ld.by_rel:
        body, diags, links = ld.parse_result(md_rel)
        report.items.extend(diags)
        _check_links(root, md_rel, item_dir, links, report, ld.known)
        md_digest = ld.digests[md_rel]
    elif md_path.exists():
        text = _read_text(root, md_path, report, ld.slow_texts)
        body = text or ""
        _report_unfilled_lines(md_rel, body, report)
        _check_markdown(root, md_rel, item_dir, body, report)
        if kind == "showcase":
            _check_story_sections(md_rel, body, report)
        md_digest = _slow_digest(md_path)
    else:
        md_exists = False
        report.add(rel, 1, 1, "E205", f"缺少正文文件 {md_rel}；请新建它")
    if record is None:
        cat.broken.add((kind, item_dir.name))
        return None
    ident: str = cast(Any, record).id
    if ident != item_dir.name:
        line, col = value_position_of(raw.get(), ("id",))
        report.add(
            rel, line, col, "E203", f"id“{ident}”与文件夹名“{item_dir.name}”不一致；请改成一样"
        )
        return None
    if ident in items:
        report.add(rel, 1, 1, "E202", f"id“{ident}”重复")
        return None
    cat.sources[(kind, ident)] = raw.source(
        rel,
        md_rel if md_exists else None,
        body,
        item_dir,
        _source_digest(yaml_digest, md_digest),
    )
    return record


def _load_file_items(
    ld: _Loader, folder: str, model: type[R], kind: str, cat: Catalogue
) -> dict[str, R]:
    root, report = ld.root, ld.report
    items: dict[str, R] = {}
    for path in _file_item_paths(root / folder):
        rel = _rel(root, path)
        record, raw, digest = ld.record(path, model)
        if record is None:
            cat.broken.add((kind, path.stem))
            continue
        ident: str = cast(Any, record).id
        if ident != path.stem:
            line, col = value_position_of(raw.get(), ("id",))
            report.add(
                rel, line, col, "E203", f"id“{ident}”与文件名“{path.stem}”不一致；请改成一样"
            )
            continue
        if ident in items:
            first = cat.sources[(kind, ident)].yaml_path
            report.add(rel, 1, 1, "E202", f"id“{ident}”重复（{first} 已经用了）")
            continue
        items[ident] = record
        cat.sources[(kind, ident)] = raw.source(rel, digest=_source_digest(digest))
    return items


def _load_pages(ld: _Loader) -> dict[str, Page]:
    root, report = ld.root, ld.report
    pages: dict[str, Page] = {}
    base = root / "content" / "pages"
    for index, path in enumerate(_page_paths(root)):
        rel = _rel(root, path)
        links: list[_LinkCheck] | None = None
        if ld.rel(path) is not None:
            text, diags, links = ld.parse_result(rel)
            report.items.extend(diags)
        else:
            text = _read_text(root, path, report, ld.slow_texts)
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
            _check_markdown(root, rel, base, text, report)
        else:
            _check_links(root, rel, base, links, report, ld.known)
        pages[slug] = Page(
            slug, title, "\n".join(body_lines), order, rel, _source_digest(ld.digest(rel))
        )
    return pages


def _content_version(ld: _Loader) -> str:
    """Digest of every content file's path and bytes (changes whenever any file does)."""
    return _files_version(ld.files, ld)


def _files_version(files: list[_File], digests: _Loader | dict[str, str]) -> str:
    digest = hashlib.sha256()
    for file in files:
        digest.update(file.rel.encode())
        digest.update(b"\0")
        found = digests.digest(file.rel) if isinstance(digests, _Loader) else digests[file.rel]
        digest.update(found.encode())
        digest.update(b"\n")
    return digest.hexdigest()[:12]


SETTINGS_FILES = (
    "content/taxonomy.yaml",
    "content/public_channels.yaml",
    "content/protected_terms.yaml",
    "content/synonyms.yaml",
)


def _settings_digest(ld: _Loader) -> str:
    parts = [f"{rel}={ld.digest(rel)}" for rel in SETTINGS_FILES if (ld.root / rel).exists()]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def _privacy_scan(ld: _Loader, cat: Catalogue) -> None:
    """The private-data findings of every content file (cached per file), then consent."""
    report = ld.report
    for file in ld.files:
        suffix = file.suffix
        if file.trusted:
            report.items.extend(ld.found.get(file.rel, ()))
            has_gps = (
                suffix in privacy.IMAGE_SUFFIXES
                and file.rel in ld.parsed
                and bool(ld.parse_result(file.rel))
            )
        elif suffix in privacy.SCANNED_SUFFIXES:
            text = ld.slow_texts.get(Path(file.path))
            if text is None:
                try:
                    text = Path(file.path).read_text(encoding="utf-8")
                except (UnicodeDecodeError, OSError):
                    continue
            privacy.scan_text(file.rel, text, ld.public_numbers, report)
            continue
        else:
            has_gps = suffix in privacy.IMAGE_SUFFIXES and privacy.photo_has_gps(Path(file.path))
        if has_gps:
            report.add(file.rel, 1, 1, "W501", privacy.GPS_MESSAGE)
    privacy.check_consent(cat, report)


_SESSION: checkcache.Session | None = None
"""The cache of the load in progress (read by :func:`_report_near_copies`)."""


def load_catalogue(
    root: Path, *, near_copies: bool = True, incremental: bool = False
) -> tuple[Catalogue | None, Report]:
    """Load and validate everything under ``root``.

    Returns the catalogue (``None`` when the taxonomy itself cannot be read) and the report.
    Callers must not use the catalogue when the report has errors. ``near_copies=False``
    skips the W201 near-copy warnings (the live preview does not need them).

    Per-file work is cached under ``<root>/.lamplight-cache/`` by content hash (kept in memory
    between incremental loads); every call returns fresh objects and the same report a cold
    run would give.

    ``incremental=True`` (the live preview, always with ``near_copies=False``) remembers
    this load; the next incremental load of the same root re-reads only the skills and
    showcases whose files changed in place, when nothing else changed, and shares the
    unchanged records with the previous catalogue. Its report holds the diagnostics a full
    load would give (the edited items' last).
    """
    with _LOAD_LOCK:  # one load at a time per process: they share the cache and the pools
        # Loading allocates hundreds of thousands of objects that all stay alive; the cyclic
        # garbage collector would traverse them again and again (a third of a warm run).
        # Reference counting frees everything else; collection resumes afterwards.
        enabled = gc.isenabled()
        gc.disable()
        try:
            if not incremental:
                return _load_catalogue(root.resolve(), near_copies)
            root = root.resolve()
            again = _reload(root)
            if again is not None:
                return again
            return _load_catalogue(root, False, snapshot=True)
        finally:
            if enabled:
                gc.enable()


_LOAD_LOCK = threading.Lock()


class Reloader:
    """Repeated loads of one project for the live preview (no near-copy warnings).

    Each :meth:`load` re-reads only the items whose files changed since the previous one
    when nothing else changed, and gives the report a full load would give.
    """

    def __init__(self, root: Path):
        self.root = root.resolve()
        """The project being previewed."""

    def load(self) -> tuple[Catalogue | None, Report]:
        """Load the project again, reusing what did not change."""
        return load_catalogue(self.root, near_copies=False, incremental=True)


def _load_catalogue(
    root: Path, near_copies: bool, snapshot: bool = False
) -> tuple[Catalogue | None, Report]:
    global _SESSION, _NEAR_TAXONOMY
    report = Report()
    session = checkcache.Session(root, remember=snapshot)
    dirs: dict[str, int] | None = {} if snapshot else None
    _SNAPSHOTS.pop(root, None)
    ld = _Loader(root, report, session, dirs=dirs)
    taxonomy_path = root / "content" / "taxonomy.yaml"
    taxonomy: Taxonomy | None = None
    taxonomy_digest = ""
    if not taxonomy_path.exists():
        report.add(
            "content/taxonomy.yaml",
            1,
            1,
            "E205",
            "找不到分类表 content/taxonomy.yaml；它是所有标签的来源，请先建立",
        )
    else:
        taxonomy, _, taxonomy_digest = ld.record(taxonomy_path, Taxonomy, texts=False)
    cat = Catalogue(root=root, taxonomy=taxonomy or Taxonomy.model_construct())  # type: ignore[call-arg]
    for name, model, attr in (
        ("public_channels.yaml", PublicChannels, "public_channels"),
        ("protected_terms.yaml", ProtectedTerms, "protected_terms"),
        ("synonyms.yaml", Synonyms, "synonyms"),
    ):
        path = root / "content" / name
        if path.exists():
            loaded, _, _ = ld.record(path, model)
            if loaded is not None:
                setattr(cat, attr, loaded)
    cat.converter = Converter(cat.protected_terms.terms)
    ld.set_public_numbers(privacy.public_numbers(cat))

    _plan(ld, root)
    ld.run(list(ld.by_rel), with_privacy=True)
    cat.skills = _load_folder_items(
        ld, "skills_library", "skill.yaml", "tutorial.md", Skill, "skill", cat
    )
    cat.showcases = _load_folder_items(
        ld, "showcases", "showcase.yaml", "story.md", Showcase, "showcase", cat
    )
    for folder, file_model, kind in _FILE_KINDS:
        setattr(cat, kind + "s", _load_file_items(ld, folder, file_model, kind, cat))
    cat.pages = _load_pages(ld)
    cat.sample = (root / "content" / "SAMPLE").exists()

    if taxonomy is None and taxonomy_path.exists():
        taxonomy = _lenient_taxonomy(root, taxonomy_path)
    taxo = _Taxo.build(taxonomy) if taxonomy is not None else None
    _cross_check(cat, taxo, report, ld.known)
    cat.content_version = _content_version(ld)
    cat.settings_digest = _settings_digest(ld)
    _privacy_scan(ld, cat)
    cat.texts_read = {}
    ran_near = near_copies and not report.errors
    if ran_near:
        _SESSION, _NEAR_TAXONOMY = session, taxonomy_digest
        try:
            _report_near_copies(cat, report)
        finally:
            _SESSION = None
    # Near-copy entries not looked at in this run stay for the next one that needs them.
    session.save(keep_prefixes=() if ran_near else (_NEAR_PREFIX,))
    if dirs is not None and taxonomy is not None and all(f.trusted for f in ld.files):
        _SNAPSHOTS[root] = _Snapshot(
            ld.files, dirs, dict(ld.digests), ld.public_numbers, taxo, cat, report
        )
    return cat, report


# --------------------------------------------------------------------------- live preview


@dataclass
class _Snapshot:
    """What an incremental load saw, so that the next one re-reads only the edited items."""

    files: list[_File]
    """Every content file with its stat signature."""
    dirs: dict[str, int]
    """Every content folder (and the root) → its modification time (entries added, removed
    or renamed change it)."""
    digests: dict[str, str]
    """Content digest of every file."""
    public_numbers: set[str]
    taxo: _Taxo | None
    cat: Catalogue
    report: Report


_SNAPSHOTS: dict[Path, _Snapshot] = {}
#: (folder, file name) → kind, for the files of a skill or showcase folder
_ITEM_FILES = {(folder, file): kind for folder, y, md, kind in _FOLDER_KINDS for file in (y, md)}


def _current_files(root: Path, snap: _Snapshot) -> tuple[list[_File], dict[str, int]]:
    """The content files now: one stat per folder and file when no folder changed."""
    for path, mtime in snap.dirs.items():
        if _mtime(path) != mtime:
            dirs: dict[str, int] = {}
            return _walk(root, dirs), dirs
    files: list[_File] = []
    for file in snap.files:
        try:
            sig = checkcache.sig_of(os.stat(file.path, follow_symlinks=False))
        except OSError:
            dirs = {}
            return _walk(root, dirs), dirs
        files.append(
            file if sig == file.sig else _File(file.rel, file.path, file.suffix, sig, True)
        )
    return files, snap.dirs


def _reload(root: Path) -> tuple[Catalogue, Report] | None:
    """The previous incremental load of ``root`` brought up to date when only skills' and
    showcases' own files changed in place and neither their ids nor their status did;
    ``None`` when a full load is needed (also whenever the edit brings an error)."""
    snap = _SNAPSHOTS.get(root)
    if snap is None or snap.report.errors:
        return None
    files, dirs = _current_files(root, snap)
    if len(files) != len(snap.files) or any(
        a.rel != b.rel or not a.trusted for a, b in zip(files, snap.files, strict=True)
    ):
        return None
    changed = [new.rel for new, old in zip(files, snap.files, strict=True) if new.sig != old.sig]
    if not changed:
        if dirs is not snap.dirs:
            snap.dirs = dirs
        return snap.cat, snap.report
    items: dict[tuple[str, str], None] = {}
    for rel in changed:
        parts = rel.split("/")
        kind = _ITEM_FILES.get((parts[0], parts[-1])) if len(parts) == 3 else None
        if kind is None:
            return None  # a taxonomy, elder, pairing, page, photo…: load everything again
        items[(kind, parts[1])] = None
    old_cat = snap.cat
    for kind, name in items:
        if name not in (old_cat.skills if kind == "skill" else old_cat.showcases):
            return None
    report = Report()
    ld = _Loader(root, report, checkcache.Session(root, remember=True), files=files)
    ld.set_public_numbers(snap.public_numbers)
    rels = [rel for kind, name in items for rel in _claim_item(ld, kind, name)]
    ld.run(rels, with_privacy=True)
    cat = replace(
        old_cat,
        skills=dict(old_cat.skills),
        showcases=dict(old_cat.showcases),
        sources=dict(old_cat.sources),
        broken=set(old_cat.broken),
        texts_read={},
    )
    check = _Checker(cat, snap.taxo, report, ld.known)
    fresh: list[Skill | Showcase] = []
    for kind, name in items:
        folder, yaml_name, md_name = _KIND_FILES[kind]
        pool: Any = cat.skills if kind == "skill" else cat.showcases
        model: Any = _FOLDER_MODELS[kind]
        record = _load_folder_item(ld, folder, name, yaml_name, md_name, model, kind, cat, {})
        if record is None or record.status != pool[name].status:
            return None  # an error (reported by a full load) or a change others depend on
        pool[name] = record
        fresh.append(record)
    for record in fresh:
        if isinstance(record, Skill):
            _check_skill(check, record)
        else:
            _check_showcase(check, record)
            _warn_unpublished(check, record)
    for rel in rels:
        report.items.extend(ld.found.get(rel, ()))
    for record in fresh:
        if isinstance(record, Showcase):
            privacy.check_showcase_consent(cat, record, report)
    if report.errors:
        return None
    digests = {**snap.digests, **ld.digests}
    cat.content_version = _files_version(files, digests)
    touched = set(rels)
    full = Report(items=[d for d in snap.report.items if d.path not in touched] + report.items)
    _SNAPSHOTS[root] = _Snapshot(files, dirs, digests, snap.public_numbers, snap.taxo, cat, full)
    return cat, full


def _report_near_copies(cat: Catalogue, report: Report) -> None:
    """Warn (W201) when a skill or story looks like a copy of another one."""
    labels = {"skill": "技能教程", "showcase": "典型案例"}
    for kind, first, second, score in _near_copy_pairs(cat, _SESSION):
        src = cat.sources[(kind, second)]
        other = cat.sources[(kind, first)]
        report.add(
            src.yaml_path,
            1,
            1,
            "W201",
            f"这篇{labels[kind]}与 {other.yaml_path} 非常相似（相似度 {score:.0%}），可能重复；"
            "请确认不是同一户人家或同一项技术写了两遍",
        )


_NEAR_PREFIX = "n"
"""Key prefix of near-copy cache entries (kept when a run skips near copies)."""
_NEAR_CAT: Catalogue | None = None
_SHINGLE_RE = re.compile(".{4}", re.S)
"""Splits a stored string of shingles (all of ``similar.SHINGLE`` = 4 characters)."""
_NEAR_TAXONOMY = ""
"""Digest of the taxonomy file of the load in progress."""


def _near_copy_pairs(
    cat: Catalogue, session: checkcache.Session | None
) -> list[tuple[str, str, str, float]]:
    """:func:`find_duplicates`, with each item's shingles cached by the inputs of its text:
    the item's files, the taxonomy (values are canonicalised), the protected terms and the
    names of the elders it cites."""
    if session is None:
        from . import near_copies as similar

        return similar.find_duplicates(cat)
    context = (session.pipeline, _NEAR_TAXONOMY, "\x1f".join(cat.protected_terms.terms))
    found: list[tuple[str, str, str, float]] = []
    for kind, pool in (("showcase", cat.showcases), ("skill", cat.skills)):
        ids = sorted(pool)
        keys: dict[str, str] = {}
        for ident in ids:
            record: Any = pool[ident]
            refs = record.authors if kind == "skill" else record.elders
            names = [f"{e}={cat.elders[e].display_name}" for e in refs if e in cat.elders]
            keys[ident] = _NEAR_PREFIX + checkcache.key(
                "s", *context, kind, cat.sources[(kind, ident)].digest, *names
            )
        pair_key = _NEAR_PREFIX + checkcache.key("d", *context, kind, *keys.values(), *ids)
        pairs = session.get(pair_key)
        if pairs is not None:
            session.used.update(k for k in keys.values() if session.has(k))
        else:
            from . import near_copies as similar

            sets: dict[str, set[str]] = {}
            missing: list[str] = []
            for ident in ids:
                got = session.get(keys[ident])
                # (interned: the items share one string per shingle, a third of the memory)
                if isinstance(got, str):
                    sets[ident] = set(map(sys.intern, _SHINGLE_RE.findall(got)))
                else:
                    missing.append(ident)
            for ident, joined in zip(missing, _compute_shingles(cat, kind, missing), strict=True):
                sets[ident] = set(map(sys.intern, _SHINGLE_RE.findall(joined)))
                session.put(keys[ident], joined)
            pairs = similar.duplicate_pairs({ident: sets[ident] for ident in ids})
            session.put(pair_key, pairs)
        found.extend((kind, a, b, score) for a, b, score in pairs)
    found.sort(key=lambda t: (-t[3], t[0], t[1], t[2]))
    return found


def _compute_shingles(cat: Catalogue, kind: str, ids: list[str]) -> list[str]:
    """Shingles of the ``kind`` items ``ids`` (in a pool of processes when there are many),
    each item's as one string: every shingle has 4 characters, and one string stores, moves
    between processes and loads much faster than a set."""
    global _NEAR_CAT
    if not ids:
        return []
    jobs = _jobs(len(ids) * 2)
    _NEAR_CAT = cat
    try:
        if jobs <= 1 or len(ids) < 2 * jobs:
            return _shingle_chunk((kind, ids))
        import multiprocessing

        size = max(8, len(ids) // (jobs * 4))
        chunks = [(kind, ids[i : i + size]) for i in range(0, len(ids), size)]
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            parts = pool.map(_shingle_chunk, chunks)
    finally:
        _NEAR_CAT = None
    return [s for part in parts for s in part]


def _shingle_chunk(job: tuple[str, list[str]]) -> list[str]:
    from . import near_copies as similar

    kind, ids = job
    cat = _NEAR_CAT
    assert cat is not None
    pool: dict[str, Any] = cat.skills if kind == "skill" else cat.showcases
    return ["".join(s) for s in similar.record_shingles(cat, [pool[i] for i in ids])]


def _lenient_taxonomy(root: Path, path: Path) -> Taxonomy | None:
    """The taxonomy without its unknown fields, so one typo there does not hide other files' errors."""
    try:
        data, _ = load_yaml(path.read_text(encoding="utf-8"))
        known = {k: v for k, v in data.items() if k in Taxonomy.model_fields}
        return Taxonomy.model_validate(known)
    except Exception:  # noqa: BLE001 - already reported; fall back to no taxonomy checks
        return None


def _cross_check(
    cat: Catalogue,
    taxo: _Taxo | None,
    report: Report,
    known: frozenset[str] | set[str] | None = None,
) -> None:
    check = _Checker(cat, taxo, report, known)
    for skill in cat.skills.values():
        _check_skill(check, skill)
    for showcase in cat.showcases.values():
        _check_showcase(check, showcase)
    _warn_unpublished_refs(cat, check, report)
    for elder in cat.elders.values():
        check.vocab(elder, "elder", "elder_type", "elder_types")
        check.region(elder, "elder", ("region",), elder.region)
    for pairing in cat.pairings.values():
        check.refs(pairing, "pairing", ("elders",), "elder")
        check.refs(pairing, "pairing", ("household", "showcase"), "showcase")
        check.region(pairing, "pairing", ("region",), pairing.region)
        if pairing.household.showcase is None and not pairing.household.code:
            path, line, col = check._at("pairing", pairing.id, ("household",))
            report.add(
                path,
                line,
                col,
                "E102",
                "household 需要填写 showcase（案例 id）或 code（内部户编码）之一",
            )
    for booklet in cat.booklets.values():
        check.refs(booklet, "booklet", ("showcases",), "showcase")
        check.refs(booklet, "booklet", ("skills",), "skill")
        if booklet.filter is not None and taxo is not None:
            for fname, vocab_name in (
                ("industry", "industries"),
                ("activity", "activities"),
                ("tag", "tags"),
            ):
                value = getattr(booklet.filter, fname)
                if value is None:
                    continue
                canon = getattr(taxo, vocab_name).resolve(value)
                if canon is None:
                    path, line, col = check._at("booklet", booklet.id, ("filter", fname))
                    report.add(path, line, col, "E104", f"筛选条件“{value}”不在分类表中")
                else:
                    setattr(booklet.filter, fname, canon)
            if booklet.filter.province is not None:
                prov = taxo.provinces.get(fold(booklet.filter.province))
                if prov is None:
                    path, line, col = check._at("booklet", booklet.id, ("filter", "province"))
                    report.add(
                        path, line, col, "E104", f"省份“{booklet.filter.province}”不在分类表中"
                    )
                else:
                    booklet.filter.province = prov[0]
        if booklet.cover_image:
            check.file_exists("booklet", booklet.id, ("cover_image",), booklet.cover_image)
        if not booklet.showcases and not booklet.skills and booklet.filter is None:
            path, line, col = check._at("booklet", booklet.id, ("id",))
            report.add(
                path, line, col, "E102", "小册子没有内容：请填写 showcases、skills 或 filter"
            )


def _check_skill(check: _Checker, skill: Skill) -> None:
    """Cross-file checks of one skill (taxonomy values, regions, elders, files)."""
    report, taxo = check.report, check.taxo
    check.vocab(skill, "skill", "category", "industries")
    check.vocab(skill, "skill", "tags", "tags")
    check.vocab(skill, "skill", "poverty_causes", "poverty_causes")
    for index, province in enumerate(skill.suitable_regions if taxo else []):
        prov = taxo.provinces.get(fold(province)) if taxo else None
        if prov is None:
            path, line, col = check._at("skill", skill.id, ("suitable_regions", index))
            report.add(path, line, col, "E104", f"省份“{province}”不在分类表 regions 中")
        else:
            skill.suitable_regions[index] = prov[0]
    check.refs(skill, "skill", ("who_to_ask", "elders"), "elder")
    check.refs(skill, "skill", ("authors",), "elder")
    if skill.review_due < dt.date.today():
        path, line, col = check._at("skill", skill.id, ("review_due",))
        report.add(
            path,
            line,
            col,
            "W101",
            f"复核日期 {skill.review_due} 已过；请请核验单位重新核验，并更新 review_due",
        )
    for index, step in enumerate(skill.steps):
        if step.image:
            check.file_exists("skill", skill.id, ("steps", index, "image"), step.image)


def _check_showcase(check: _Checker, showcase: Showcase) -> None:
    """Cross-file checks of one showcase (taxonomy values, region, skills, elders, photos)."""
    check.vocab(showcase, "showcase", "industry", "industries")
    check.vocab(showcase, "showcase", "poverty_causes", "poverty_causes")
    check.vocab(showcase, "showcase", "assistance_measures", "assistance_measures")
    check.vocab(showcase, "showcase", "activities", "activities")
    check.vocab(showcase, "showcase", "tags", "tags")
    check.vocab(showcase, "showcase", "period", "periods")
    check.region(showcase, "showcase", ("region",), showcase.region)
    check.refs(showcase, "showcase", ("skills",), "skill")
    check.refs(showcase, "showcase", ("elders",), "elder")
    for index, photo in enumerate(showcase.photos):
        check.file_exists("showcase", showcase.id, ("photos", index, "file"), photo.file)


def _warn_unpublished_refs(cat: Catalogue, check: _Checker, report: Report) -> None:
    """W103: a published item points at a skill or elder that is not published (no link appears)."""
    for showcase in cat.showcases.values():
        _warn_unpublished(check, showcase)


def _warn_unpublished(check: _Checker, showcase: Showcase) -> None:
    """W103 for one showcase."""
    if showcase.status != "published":
        return
    cat = check.cat
    for field_name, pool, label in (
        ("skills", cat.skills, "技能教程"),
        ("elders", cat.elders, "五老"),
    ):
        for index, ref in enumerate(getattr(showcase, field_name)):
            target: Any = pool.get(ref)
            if target is not None and target.status != "published":
                path, line, col = check._at("showcase", showcase.id, (field_name, index))
                check.report.add(
                    path,
                    line,
                    col,
                    "W103",
                    f"引用的{label}“{ref}”尚未发布（{target.status}），网站和小册子上不会出现这个链接",
                )


def load_or_raise(root: Path) -> Catalogue:
    """Load the catalogue; raise :class:`ContentError` when it has errors."""
    from ..errors import ContentError

    cat, report = load_catalogue(root)
    if cat is None or report.errors:
        raise ContentError(report)
    return cat


__all__ = [
    "Catalogue",
    "Page",
    "Source",
    "load_catalogue",
    "load_or_raise",
    "Reloader",
    "STORY_SECTIONS",
    "Record",
]
