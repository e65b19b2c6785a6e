"""Load and validate the whole content tree into one :class:`Catalogue`.

This is the first half of the pipeline: every file is read once, every problem is collected
with its file, line and field, and generators only ever see the validated catalogue.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast

from pydantic import BaseModel, ValidationError

from . import messages, privacy
from .diagnostics import Report
from .models import (
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
from .scripts import Converter, fold
from .yamlio import PosDict, YamlProblem, load_yaml, position_of, value_position_of

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
    text = text.removeprefix("\ufeff")
    if texts is not None:
        texts[path] = text
    return text


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

    def resolve(self, value: str) -> str | None:
        return self.canon.get(fold(value))

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

    def __init__(self, cat: Catalogue, taxo: _Taxo | None, report: Report):
        self.cat = cat
        self.taxo = taxo
        self.report = report

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
        problem = _check_local_path(self.cat.root, base, rel_file)
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


def _check_local_path(root: Path, base: Path, rel_file: str) -> str | None:
    """None when fine, "outside" when it leaves the project, "missing" when absent."""
    if rel_file.startswith(("/", "\\")) or re.match(r"^[a-zA-Z]:", rel_file) or "://" in rel_file:
        return "outside"
    target = (base / rel_file).resolve()
    if not target.is_relative_to(root.resolve()):
        return "outside"
    if not target.is_file():
        return "missing"
    return None


def _check_markdown(root: Path, rel: str, folder: Path, body: str, report: Report) -> None:
    """Refuse scripts, unsafe URL schemes and paths that leave the project; find missing images."""
    from .markup import LINK_TARGET_RE, UNSAFE_HTML_RE, UNSAFE_SCHEME_RE

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
            if re.match(r"^(https?:|mailto:|#)", target, re.I):
                continue
            path_part = target.split("#", 1)[0].split("?", 1)[0]
            if not path_part:
                continue
            problem = _check_local_path(root, folder, path_part)
            if problem == "outside":
                report.add(
                    rel,
                    number,
                    col,
                    "E302",
                    f"路径“{target}”指向本项目之外（绝对路径或 ../ 越界），已拒绝；请把文件放进本条目的文件夹",
                )
            elif problem == "missing" and re.search(
                r"\.(jpe?g|png|webp|gif|svg)$", path_part, re.I
            ):
                report.add(
                    rel,
                    number,
                    col,
                    "E204",
                    f"找不到图片文件“{path_part}”；请检查文件名或把图片放到本条目文件夹中",
                )


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


def _load_folder_items(
    root: Path,
    folder: str,
    yaml_name: str,
    md_name: str,
    model: type[R],
    kind: str,
    cat: Catalogue,
    report: Report,
) -> dict[str, R]:
    items: dict[str, R] = {}
    base = root / folder
    if not base.is_dir():
        return items
    for item_dir in sorted(
        p for p in base.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))
    ):
        yaml_path = item_dir / yaml_name
        rel = _rel(root, yaml_path)
        if not yaml_path.exists():
            report.add(
                _rel(root, item_dir),
                1,
                1,
                "E205",
                f"文件夹里缺少 {yaml_name}；可以用 lamplight new 生成",
            )
            continue
        record, raw = _load_record(root, yaml_path, model, report, cat.texts_read)
        md_path = item_dir / md_name
        body = ""
        if md_path.exists():
            text = _read_text(root, md_path, report, cat.texts_read)
            body = text or ""
            for number, text_line in enumerate(body.splitlines(), start=1):
                if text_line.lstrip().startswith(_PLACEHOLDERS):
                    report.add(
                        _rel(root, md_path),
                        number,
                        1,
                        "E102",
                        "这一段还没有填写（仍是模板里的“（请填写）”）；请改成实际内容",
                    )
        else:
            report.add(rel, 1, 1, "E205", f"缺少正文文件 {_rel(root, md_path)}；请新建它")
        if md_path.exists():
            _check_markdown(root, _rel(root, md_path), item_dir, body, report)
        if kind == "showcase" and md_path.exists():
            _check_story_sections(_rel(root, md_path), body, report)
        if record is None:
            cat.broken.add((kind, item_dir.name))
            continue
        ident: str = cast(Any, record).id
        if ident != item_dir.name:
            line, col = value_position_of(raw, ("id",))
            report.add(
                rel, line, col, "E203", f"id“{ident}”与文件夹名“{item_dir.name}”不一致；请改成一样"
            )
            continue
        if ident in items:
            report.add(rel, 1, 1, "E202", f"id“{ident}”重复")
            continue
        items[ident] = record
        cat.sources[(kind, ident)] = Source(
            rel, raw, _rel(root, md_path) if md_path.exists() else None, body, item_dir
        )
    return items


def _load_file_items(
    root: Path, folder: str, model: type[R], kind: str, cat: Catalogue, report: Report
) -> dict[str, R]:
    items: dict[str, R] = {}
    base = root / folder
    if not base.is_dir():
        return items
    for path in sorted(base.glob("*.yaml")) + sorted(base.glob("*.yml")):
        rel = _rel(root, path)
        record, raw = _load_record(root, path, model, report, cat.texts_read)
        if record is None:
            cat.broken.add((kind, path.stem))
            continue
        ident: str = cast(Any, record).id
        if ident != path.stem:
            line, col = value_position_of(raw, ("id",))
            report.add(
                rel, line, col, "E203", f"id“{ident}”与文件名“{path.stem}”不一致；请改成一样"
            )
            continue
        if ident in items:
            first = cat.sources[(kind, ident)].yaml_path
            report.add(rel, 1, 1, "E202", f"id“{ident}”重复（{first} 已经用了）")
            continue
        items[ident] = record
        cat.sources[(kind, ident)] = Source(rel, raw)
    return items


def _load_pages(root: Path, report: Report, texts: dict[Path, str]) -> dict[str, Page]:
    pages: dict[str, Page] = {}
    base = root / "content" / "pages"
    if not base.is_dir():
        return pages
    for index, path in enumerate(sorted(base.glob("*.md"))):
        text = _read_text(root, path, report, texts)
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
            report.add(
                _rel(root, path), 1, 1, "E102", "页面缺少标题行（以“# ”开头的第一行）；请补上"
            )
        _check_markdown(root, _rel(root, path), base, text, report)
        pages[slug] = Page(slug, title, "\n".join(body_lines), order, _rel(root, path))
    return pages


def _content_version(root: Path, files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def load_catalogue(root: Path) -> tuple[Catalogue | None, Report]:
    """Load and validate everything under ``root``.

    Returns the catalogue (``None`` when the taxonomy itself cannot be read) and the report.
    Callers must not use the catalogue when the report has errors.
    """
    root = root.resolve()
    report = Report()
    taxonomy_path = root / "content" / "taxonomy.yaml"
    if not taxonomy_path.exists():
        report.add(
            "content/taxonomy.yaml",
            1,
            1,
            "E205",
            "找不到分类表 content/taxonomy.yaml；它是所有标签的来源，请先建立",
        )
        taxonomy = None
    else:
        taxonomy, _ = _load_record(root, taxonomy_path, Taxonomy, report)
    cat = Catalogue(root=root, taxonomy=taxonomy or Taxonomy.model_construct())  # type: ignore[call-arg]
    for name, model, attr in (
        ("public_channels.yaml", PublicChannels, "public_channels"),
        ("protected_terms.yaml", ProtectedTerms, "protected_terms"),
        ("synonyms.yaml", Synonyms, "synonyms"),
    ):
        path = root / "content" / name
        if path.exists():
            loaded, _ = _load_record(root, path, model, report, cat.texts_read)
            if loaded is not None:
                setattr(cat, attr, loaded)
    cat.converter = Converter(cat.protected_terms.terms)

    cat.skills = _load_folder_items(
        root, "skills_library", "skill.yaml", "tutorial.md", Skill, "skill", cat, report
    )
    cat.showcases = _load_folder_items(
        root, "showcases", "showcase.yaml", "story.md", Showcase, "showcase", cat, report
    )
    cat.elders = _load_file_items(root, "content/elders", Elder, "elder", cat, report)
    cat.pairings = _load_file_items(root, "content/pairings", Pairing, "pairing", cat, report)
    cat.booklets = _load_file_items(root, "content/booklets", Booklet, "booklet", cat, report)
    cat.pages = _load_pages(root, report, cat.texts_read)
    cat.sample = (root / "content" / "SAMPLE").exists()

    if taxonomy is None and taxonomy_path.exists():
        taxonomy = _lenient_taxonomy(root, taxonomy_path)
    _cross_check(cat, _Taxo.build(taxonomy) if taxonomy is not None else None, report)
    files = list(privacy.iter_content_files(root))
    cat.content_version = _content_version(root, files)

    privacy.scan(cat, report, files, cat.texts_read)
    cat.texts_read = {}
    if not report.errors:
        _report_near_copies(cat, report)
    return cat, report


def _report_near_copies(cat: Catalogue, report: Report) -> None:
    """Warn (W201) when a skill or story looks like a copy of another one."""
    from .search.similar import find_duplicates

    labels = {"skill": "技能教程", "showcase": "典型案例"}
    for kind, first, second, score in find_duplicates(cat):
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


def _lenient_taxonomy(root: Path, path: Path) -> Taxonomy | None:
    """The taxonomy without its unknown fields, so one typo there does not hide other files' errors."""
    try:
        data, _ = load_yaml(path.read_text(encoding="utf-8"))
        known = {k: v for k, v in data.items() if k in Taxonomy.model_fields}
        return Taxonomy.model_validate(known)
    except Exception:  # noqa: BLE001 - already reported; fall back to no taxonomy checks
        return None


def _cross_check(cat: Catalogue, taxo: _Taxo | None, report: Report) -> None:
    check = _Checker(cat, taxo, report)
    for skill in cat.skills.values():
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
    for showcase in cat.showcases.values():
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


def _warn_unpublished_refs(cat: Catalogue, check: _Checker, report: Report) -> None:
    """W103: a published item points at a skill or elder that is not published (no link appears)."""
    for showcase in cat.showcases.values():
        if showcase.status != "published":
            continue
        for field_name, pool, label in (
            ("skills", cat.skills, "技能教程"),
            ("elders", cat.elders, "五老"),
        ):
            for index, ref in enumerate(getattr(showcase, field_name)):
                target = pool.get(ref)
                if target is not None and target.status != "published":
                    path, line, col = check._at("showcase", showcase.id, (field_name, index))
                    report.add(
                        path,
                        line,
                        col,
                        "W103",
                        f"引用的{label}“{ref}”尚未发布（{target.status}），网站和小册子上不会出现这个链接",
                    )


def load_or_raise(root: Path) -> Catalogue:
    """Load the catalogue; raise :class:`ContentError` when it has errors."""
    from .diagnostics import ContentError

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
    "STORY_SECTIONS",
    "Record",
]
