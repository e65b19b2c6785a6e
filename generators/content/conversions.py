"""``content/conversions.yaml``: editors' corrections of the script conversion, checked.

Each direction maps what the conversion wrongly produces to what it should be
(``hant: {幹耳: 乾耳}``: in Traditional pages 幹耳 becomes 乾耳). ``check`` refuses a
correction that is not the same word in another form (E107): a typo there would change
every page that has the word.
"""

from __future__ import annotations

from typing import Any

from ..diagnostics import Report
from ..models import Record
from ..scripts import same_word
from ..yamlio import value_position_of

CONVERSIONS_FILE = "content/conversions.yaml"


class Conversions(Record):
    """content/conversions.yaml: corrections of the Simplified/Traditional conversion."""

    hant: dict[str, str] = {}
    """简体→繁体页面：转换结果中的“错”→“对”，如 幹耳: 乾耳。"""
    hans: dict[str, str] = {}
    """繁体→简体页面：转换结果中的“错”→“对”，如 著急: 着急。"""


_NAMES = {"hant": "繁体", "hans": "简体"}


def check_conversions(conversions: Conversions, raw: Any, report: Report) -> None:
    """E107 for a correction that is empty, changes nothing or is not the same word."""
    for direction in ("hant", "hans"):
        table: dict[str, str] = getattr(conversions, direction)
        for wrong, right in table.items():
            problem = None
            if not wrong or not right:
                problem = "“错”和“对”都不能是空的"
            elif wrong == right:
                problem = f"“{wrong}”改成它自己，没有作用；请删除这一行"
            elif not same_word(wrong, right, direction):  # type: ignore[arg-type]
                problem = (
                    f"“{wrong}”和“{right}”不是同一个词的两种{_NAMES[direction]}写法；"
                    "这里只能纠正繁简转换的用字，请检查是否打错"
                )
            if problem is not None:
                line, col = value_position_of(raw, (direction, wrong)) if raw else (1, 1)
                report.add(CONVERSIONS_FILE, line, col, "E107", problem)
