"""YAML → model: parse one file, validate it and map pydantic's errors to editors' messages."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from .. import messages
from ..diagnostics import Report
from ..yamlio import PosDict, YamlProblem, load_yaml, position_of, value_position_of
from .files import read_text, rel_path

R = TypeVar("R", bound=BaseModel)


def load_record(
    root: Path, path: Path, model: type[R], report: Report, texts: dict[Path, str] | None = None
) -> tuple[R | None, Any]:
    """Read, parse and validate one YAML file; report every problem found in it."""
    rel = rel_path(root, path)
    text = read_text(root, path, report, texts)
    if text is None:
        return None, None
    return parse_record(rel, text, model, report)


def parse_record(rel: str, text: str, model: type[R], report: Report) -> tuple[R | None, Any]:
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
    unfilled = any(marker in text for marker in PLACEHOLDERS) and _report_placeholders(
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


def salvage(model: type[R], data: Any) -> R | None:
    """A record of ``model`` built from the fields of ``data`` that validate on their own
    (the others ``None`` or their default), so that a file with a field error is still checked
    across files (folder name, references, consent) in the same run. Never built. Its
    ``model_fields_set`` leaves out the fields whose value is wrong."""
    if not isinstance(data, dict):
        return None
    fields: dict[str, Any] = {}
    good: set[str] = set()
    for name, info in model.model_fields.items():
        key = info.alias or name
        if key in data and not _has_placeholder(data[key]):
            try:
                adapter: TypeAdapter[Any] = TypeAdapter(info.annotation or Any)
                fields[name] = adapter.validate_python(data[key])
                good.add(name)
                continue
            except ValidationError:
                fields[name] = None
        elif key in data:  # still a scaffold placeholder (E102): not checked further
            fields[name] = None
        else:
            good.add(name)
            if info.is_required():
                fields[name] = None
    if not isinstance(fields.get("id"), str):
        return None
    return model.model_construct(_fields_set=good, **fields)


def _has_placeholder(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_has_placeholder(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_placeholder(v) for v in value)
    return isinstance(value, str) and value.startswith(PLACEHOLDERS)


PLACEHOLDERS = ("（请填写", "（請填寫")
"""How every scaffold placeholder starts (in either script)."""


def report_unfilled_lines(rel: str, body: str, report: Report) -> None:
    """E102 for every Markdown line that still starts with a scaffold placeholder."""
    for number, text_line in enumerate(body.splitlines(), start=1):
        if text_line.lstrip().startswith(PLACEHOLDERS):
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
    elif isinstance(value, str) and value.startswith(PLACEHOLDERS):
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
        current = messages.inner_model(info.annotation)
    return current


_UNION_TAGS = {"str", "none", "int", "float", "date"}
"""The names pydantic puts in an error's location for the branch of a union."""


def _strip_union_tags(model: type[BaseModel], loc: tuple[int | str, ...]) -> tuple[int | str, ...]:
    """``loc`` without the union-branch tags; a field really called ``date`` (as in
    ``validated_by.date``) stays."""
    kept: list[int | str] = []
    for part in loc:
        if isinstance(part, str) and part in _UNION_TAGS:
            parent = _model_at(model, tuple(kept))
            if parent is None or part not in _field_names(parent):
                continue
        kept.append(part)
    return tuple(kept)


def _field_names(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


def _report_validation(
    rel: str, data: Any, model: type[BaseModel], exc: ValidationError, report: Report
) -> None:
    seen: set[tuple[Any, ...]] = set()
    for err in exc.errors():
        given = err.get("input")
        if isinstance(given, str) and given.startswith(PLACEHOLDERS):
            continue  # reported as unfilled (E102)
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        # Union errors repeat per branch (e.g. "str" and "none"); keep the first per location.
        key = (loc[:-1] if loc and loc[-1] in {"str", "none", "int", "float"} else loc, err["type"])
        clean_loc = _strip_union_tags(model, loc)
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
                f"“{dotted}”不是有效日期（{err.get('input')!r}）；请写成 YYYY-MM-DD，"
                f"例如 {messages.date_example(err.get('input'))}",
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
        elif etype == "value_error":
            # a model's own check (e.g. synonyms.yaml): its message is already Chinese
            place = tuple(p for p in clean_loc if p != "[key]")
            line, col = value_position_of(data, place)
            reason = str(err.get("ctx", {}).get("error", err.get("msg", "")))
            report.add(rel, line, col, "E103", f"“{messages.dotted(place)}”{reason}")
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
