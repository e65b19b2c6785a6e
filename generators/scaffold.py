"""``lamplight new``: write a commented scaffold for a new item, never overwriting."""

from __future__ import annotations

import datetime as dt
import re
from importlib import resources
from pathlib import Path

import yaml
from jinja2 import Environment, StrictUndefined

from .content import KINDS
from .scripts import PLAIN, Script

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


class ScaffoldError(Exception):
    """The scaffold cannot be written; the message is for the editor."""


def _taxonomy_defaults(root: Path) -> dict[str, object]:
    """Read the taxonomy leniently: scaffolds must work even while content has errors."""
    data: dict[str, object] = {}
    path = root / "content" / "taxonomy.yaml"
    if path.exists():
        try:
            loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
            if isinstance(loaded, dict):
                data = loaded
        except (yaml.YAMLError, UnicodeDecodeError):
            data = {}

    def _list(key: str, fallback: list[str]) -> list[str]:
        value = data.get(key)
        return [str(v) for v in value] if isinstance(value, list) and value else fallback

    provinces: list[str] = []
    counties: list[str] = []
    townships: list[str] = []
    regions = data.get("regions")
    for region in regions if isinstance(regions, list) else []:
        if not isinstance(region, dict):
            continue
        provinces.append(str(region.get("name", "")))
        for county in region.get("counties") or []:
            if isinstance(county, dict):
                counties.append(str(county.get("name", "")))
                townships.extend(str(t) for t in county.get("townships") or [])
    return {
        "industries": _list("industries", ["种植"]),
        "tags": _list("tags", []),
        "poverty_causes": _list("poverty_causes", ["缺技术"]),
        "assistance_measures": _list("assistance_measures", ["产业扶贫"]),
        "activities": _list("activities", ["技能传授"]),
        "elder_types": _list("elder_types", ["老专家"]),
        "periods": _list("periods", ["过渡期"]),
        # Examples only: the region is the editor's to fill in (no silent preset).
        "provinces": _list_examples(provinces, "贵州省"),
        "counties": _list_examples(counties, "雷山县"),
        "townships": _list_examples(townships, "丹江镇"),
    }


def _list_examples(names: list[str], fallback: str) -> str:
    shown = [n for n in names if n][:6] or [fallback]
    return "、".join(shown) + ("…" if len(names) > len(shown) else "")


def scaffold_kinds() -> list[str]:
    """The kinds ``lamplight new`` can write, in registry order."""
    return [kind.name for kind in KINDS.values() if kind.scaffolds]


def write_scaffold(
    root: Path, kind: str, slug: str, today: dt.date | None = None, script: Script = "hans"
) -> list[Path]:
    """Write the scaffold files for ``kind``/``slug`` (in Traditional characters when
    ``script`` is "hant") and return their paths."""
    if not SLUG_RE.match(slug):
        raise ScaffoldError(
            f"编号“{slug}”不合格：只能用小写英文字母、数字和连字符（-），例如 cha-ye-cai-zhai"
        )
    declared = KINDS.get(kind)
    if declared is None or not declared.scaffolds:
        raise ScaffoldError(f"不认识的类型“{kind}”；可选：" + "、".join(scaffold_kinds()))
    targets = [
        (name, root / rel)
        for name, rel in zip(declared.scaffolds, declared.item_files(slug), strict=True)
    ]
    if declared.layout == "folder":
        folder = targets[0][1].parent
        existing = [folder] if folder.exists() else []
    else:
        existing = [path for _, path in targets if path.exists()]
    if existing:
        shown = "、".join(p.relative_to(root).as_posix() for p in existing)
        raise ScaffoldError(f"{shown} 已经存在，没有做任何改动；请换一个编号，或直接编辑已有文件")
    today = today or dt.date.today()
    context = {
        "slug": slug,
        "today": today.isoformat(),
        "year": today.year,
        "review_due": today.replace(year=today.year + 2).isoformat(),
        **_taxonomy_defaults(root),
    }
    if script == "hant":  # taxonomy values match in either script: write them as the editor does
        context = {k: _convert_value(v) for k, v in context.items()}
    env = Environment(undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False)
    package = resources.files("generators") / "scaffolds"
    rendered = [
        (path, env.from_string((package / name).read_text(encoding="utf-8")).render(context))
        for name, path in targets
    ]
    if script == "hant":
        rendered = [(path, _make_traditional(path, text)) for path, text in rendered]
    for path, text in rendered:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    return [path for path, _ in rendered]


_PLACEHOLDER_RE = re.compile(r"（请填写[^）]*）")


def _convert_value(value: object) -> object:
    """A template value in Traditional characters (lists item by item)."""
    if isinstance(value, list):
        return [PLAIN.hant(str(v)) for v in value]
    return PLAIN.hant(value) if isinstance(value, str) else value


def _make_traditional(path: Path, text: str) -> str:
    """A scaffold in Traditional characters: Markdown whole; YAML only in its comments and
    placeholders (values such as ``level: 县`` are fixed choices, taxonomy values match in
    either script)."""
    if path.suffix == ".md":
        return PLAIN.hant(text)
    lines = []
    for line in text.splitlines(keepends=True):
        value, mark, comment = line.partition("#")
        value = _PLACEHOLDER_RE.sub(lambda m: PLAIN.hant(m.group()), value)
        lines.append(value + mark + PLAIN.hant(comment))
    return "".join(lines)


#: The settings files a new content tree starts from (copied from the project at hand).
SETTINGS_FILES = (
    "content/taxonomy.yaml",
    "content/public_channels.yaml",
    "content/protected_terms.yaml",
    "content/synonyms.yaml",
    "content/conversions.yaml",
    "mkdocs.yml",
)
#: Words that mark a page as part of the fictional sample (not copied by ``init``).
_SAMPLE_WORDS = ("样例", "虚构", "樣例", "虛構")


def init_project(source: Path, target: Path) -> tuple[list[Path], list[str]]:
    """Start a real content tree in ``target``: the settings files and the pages of
    ``source`` that are not sample text, an empty folder per kind, no ``content/SAMPLE``.
    Returns the files written and the pages left out."""
    if (target / "content").exists():
        raise ScaffoldError(f"{target} 里已经有 content/ 文件夹，没有做任何改动；请换一个空目录")
    written: list[Path] = []
    for rel in SETTINGS_FILES:
        if (source / rel).is_file():
            dest = target / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes((source / rel).read_bytes())
            written.append(dest)
    left_out: list[str] = []
    for page in sorted((source / "content" / "pages").glob("*.md")):
        text = page.read_text(encoding="utf-8")
        if any(word in text for word in _SAMPLE_WORDS):
            left_out.append(page.name)
            continue
        dest = target / "content" / "pages" / page.name
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(text, encoding="utf-8")
        written.append(dest)
    for kind in KINDS.values():
        (target / kind.folder).mkdir(parents=True, exist_ok=True)
    return written, left_out


__all__ = ["write_scaffold", "scaffold_kinds", "init_project", "ScaffoldError"]
