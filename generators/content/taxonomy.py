"""The taxonomy's vocabularies: script-insensitive lookup, suggestions, lenient reading."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from ..models import Taxonomy
from ..scripts import fold
from ..yamlio import load_yaml


class Vocab:
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
class Taxo:
    """The taxonomy's vocabularies and regions, looked up in either script."""

    industries: Vocab
    """产业类别."""
    poverty_causes: Vocab
    """致贫原因."""
    assistance_measures: Vocab
    """帮扶措施."""
    activities: Vocab
    """关工委活动."""
    elder_types: Vocab
    """五老类别."""
    periods: Vocab
    """时期."""
    tags: Vocab
    """标签."""
    provinces: dict[str, tuple[str, dict[str, tuple[str, Vocab]]]]
    """Folded province → (name, folded county → (name, its townships))."""

    @classmethod
    def build(cls, t: Taxonomy) -> Taxo:
        provinces = {
            fold(p.name): (
                p.name,
                {fold(c.name): (c.name, Vocab(c.townships)) for c in p.counties},
            )
            for p in t.regions
        }
        return cls(
            Vocab(t.industries),
            Vocab(t.poverty_causes),
            Vocab(t.assistance_measures),
            Vocab(t.activities),
            Vocab(t.elder_types),
            Vocab(t.periods),
            Vocab(t.tags),
            provinces,
        )


#: vocabulary attribute → what editors call it
VOCAB_NAMES = {
    "industries": "产业类别",
    "poverty_causes": "致贫原因",
    "assistance_measures": "帮扶措施",
    "activities": "关工委活动",
    "elder_types": "五老类别",
    "periods": "时期",
    "tags": "标签",
}


def lenient_taxonomy(path: Path) -> Taxonomy | None:
    """The taxonomy without its unknown fields, so one typo there does not hide other files' errors."""
    try:
        data, _ = load_yaml(path.read_text(encoding="utf-8"))
        known = {k: v for k, v in data.items() if k in Taxonomy.model_fields}
        return Taxonomy.model_validate(known)
    except Exception:  # noqa: BLE001 - already reported; fall back to no taxonomy checks
        return None
