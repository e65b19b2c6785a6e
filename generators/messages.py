"""Chinese wording for validation messages (kept apart from the checking logic)."""

from __future__ import annotations

import calendar
import re
from typing import Any

from pydantic import BaseModel


def dotted(loc: tuple[int | str, ...]) -> str:
    """``("steps", 2, "text")`` → ``steps[3].text`` (1-based, as editors count)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += ("." if out else "") + part
    return out or "(整个文件)"


def inner_model(annotation: Any) -> type[BaseModel] | None:
    """The model class inside a field's annotation (``list[Step] | None`` → ``Step``)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = inner_model(arg)
        if found is not None:
            return found
    return None


def field_label(model: type[BaseModel], loc: tuple[int | str, ...]) -> str:
    """The field's docstring (its Chinese description) for a location path."""
    current: Any = model
    description = ""
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        fields = getattr(current, "model_fields", {})
        info = fields.get(part) or next((f for f in fields.values() if f.alias == part), None)
        if info is None:
            break
        description = info.description or ""
        current = inner_model(info.annotation)
    return description.rstrip("。") or "见模板"


_TYPES = {
    "int_parsing": "应是整数",
    "int_type": "应是整数",
    "int_from_float": "应是整数（不要带小数）",
    "float_parsing": "应是数字",
    "float_type": "应是数字",
    "bool_parsing": "应是 true 或 false",
    "bool_type": "应是 true 或 false",
    "string_type": "应是文字",
    "list_type": "应是列表（每项一行，以“- ”开头）",
    "dict_type": "应是“字段: 值”的组合（下一行缩进写子字段）",
    "model_type": "应是“字段: 值”的组合（下一行缩进写子字段）",
    "model_attributes_type": "应是“字段: 值”的组合（下一行缩进写子字段）",
}


def type_message(etype: str, value: Any) -> str:
    wanted = _TYPES.get(etype, f"格式不对（{etype}）")
    shown = repr(value) if not isinstance(value, dict | list) else type(value).__name__
    return f"{wanted}，现在是 {shown}{_suggest_number_fix(etype, value)}"


#: Units editors write after a number (the field's label already says the unit).
_UNITS = (
    "元",
    "块",
    "角",
    "分",
    "斤",
    "公斤",
    "千克",
    "克",
    "亩",
    "天",
    "个",
    "头",
    "只",
    "米",
    "%",
)


def _suggest_number_fix(etype: str, value: Any) -> str:
    """How to turn a number written with a unit or thousands commas into a plain number."""
    if not etype.startswith(("int_", "float_")) or not isinstance(value, str):
        return ""
    text = value.strip()
    fixes = []
    unit = next((u for u in _UNITS if text.endswith(u)), None)
    if unit:
        fixes.append(f"去掉“{unit}”")
        text = text[: -len(unit)].strip()
    if "," in text or "，" in text:
        fixes.append("去掉千位分隔的逗号")
        text = text.replace(",", "").replace("，", "")
    try:
        float(text)
    except ValueError:
        return ""
    return f"；请{'，'.join(fixes)}，只写数字：{text}" if fixes else ""


def date_example(value: Any) -> str:
    """``2024年6月`` → ``2024-06-01``: the date an editor meant, written as YAML wants it."""
    match = re.match(r"^\s*(\d{4})\s*[年./-]\s*(\d{1,2})\s*(?:[月./-]\s*(\d{1,2})?)?", str(value))
    if not match or not 1 <= int(match.group(2)) <= 12:
        return "2024-05-01"
    year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3) or 1)
    last = calendar.monthrange(year, month)[1]
    if day > last:
        return f"{year}-{month:02d}-{last:02d}（{year} 年 {month} 月没有 {day} 日）"
    return f"{year}-{month:02d}-{day:02d}"


def range_message(err: Any) -> str:
    ctx = err.get("ctx", {})
    etype = err["type"]
    if etype == "string_too_long":
        return f"太长了：最多 {ctx.get('max_length')} 个字，现在 {len(str(err.get('input', '')))} 个字；请精简"
    if etype == "string_too_short":
        return f"太短了：至少 {ctx.get('min_length')} 个字"
    if etype == "too_short":
        return f"至少要有 {ctx.get('min_length')} 项"
    if etype == "too_long":
        return f"最多只能有 {ctx.get('max_length')} 项"
    if etype in {"greater_than_equal", "greater_than"}:
        return f"的值 {err.get('input')!r} 太小：不能小于 {ctx.get('ge', ctx.get('gt'))}"
    return f"的值 {err.get('input')!r} 太大：不能大于 {ctx.get('le', ctx.get('lt'))}"


def pattern_message(loc: tuple[int | str, ...]) -> str:
    if loc and loc[-1] == "id":
        return "只能用小写英文字母、数字和连字符（-），例如 cha-ye-cai-zhai"
    if loc and loc[-1] == "cover_color":
        return "应是 # 加六位十六进制颜色，例如 #9c2a1f"
    return "格式不对"
