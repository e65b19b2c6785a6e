"""`lamplight new` scaffolds and `lamplight schema` JSON Schemas."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from generators.scripts import fold

from .helpers import ROOT, copy_project, run

KINDS = {
    "skill": ["skills_library/{s}/skill.yaml", "skills_library/{s}/tutorial.md"],
    "showcase": ["showcases/{s}/showcase.yaml", "showcases/{s}/story.md"],
    "elder": ["content/elders/{s}.yaml"],
    "booklet": ["content/booklets/{s}.yaml"],
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "p")


#: What an editor writes for the placeholders that are not free text.
FILLS = {
    "省份": "贵州省",
    "县": "雷山县",
    "乡镇": "丹江镇",
    "帮扶前的年份": "2016",
    "帮扶后的年份": "2019",
    "脱贫年份": "2018",
    "帮扶前的收入": "2300",
    "帮扶后的收入": "9800",
}


def _fill(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    text = re.sub(
        r"（[请請]填[写寫]([^）]*)）", lambda m: FILLS.get(fold(m.group(1)), "示例内容文字"), text
    )
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_new_then_fill_passes_check(project: Path, kind: str) -> None:
    result = run("new", kind, "xin-tiao-mu", root=project)
    assert result.exit_code == 0, result.output
    paths = [project / p.format(s="xin-tiao-mu") for p in KINDS[kind]]
    for path in paths:
        assert path.exists()
        assert "（请填写" in path.read_text(encoding="utf-8")
    if paths[0].suffix == ".yaml":
        first = paths[0].read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema=")
    unfilled = run("check", root=project)
    assert unfilled.exit_code == 1
    assert "E102" in unfilled.stdout
    for path in paths:
        _fill(path)
    filled = run("check", root=project)
    assert filled.exit_code == 0, filled.stdout


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_new_refuses_existing_slug(project: Path, kind: str) -> None:
    slug = {
        "skill": "sheng-tai-yang-zhu",
        "showcase": "liu-da-ge-yang-zhu",
        "elder": "wang-lao-zhuan-jia",
        "booklet": "xin",
    }[kind]
    if kind == "booklet":
        assert run("new", "booklet", slug, root=project).exit_code == 0
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    result = run("new", kind, slug, root=project)
    assert result.exit_code == 1
    assert "已经存在" in result.output
    after = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    assert before == after


def test_new_rejects_bad_slug(project: Path) -> None:
    result = run("new", "skill", "Bad Slug", root=project)
    assert result.exit_code == 1
    assert not (project / "skills_library/Bad Slug").exists()


class _StringDates(yaml.SafeLoader):
    """Load dates as strings, as an editor's YAML language server sees them."""


_StringDates.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
)


def _sample_files() -> list[tuple[str, Path]]:
    files = [("skill", p) for p in sorted(ROOT.glob("skills_library/*/skill.yaml"))]
    files += [("showcase", p) for p in sorted(ROOT.glob("showcases/*/showcase.yaml"))]
    for kind, folder in (("elder", "elders"), ("pairing", "pairings"), ("booklet", "booklets")):
        files += [(kind, p) for p in sorted((ROOT / "content" / folder).glob("*.yaml"))]
    files.append(("taxonomy", ROOT / "content/taxonomy.yaml"))
    return files


def test_schemas_validate_sample_files(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    result = run("schema", root=project)
    assert result.exit_code == 0, result.output
    schemas = {
        kind: json.loads((project / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
        for kind in ("skill", "showcase", "elder", "pairing", "booklet", "taxonomy")
    }
    checked = 0
    for kind, path in _sample_files():
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_StringDates)
        jsonschema.validate(data, schemas[kind], format_checker=jsonschema.FormatChecker())
        checked += 1
    assert checked >= 6
    # and the schemas reject what check rejects
    bad = yaml.load(
        (ROOT / "content/elders/wang-lao-zhuan-jia.yaml").read_text(encoding="utf-8"),
        Loader=_StringDates,
    )
    bad["nickname"] = "x"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schemas["elder"])


def test_committed_schemas_are_current(tmp_path: Path) -> None:
    result = run("schema", "--out", str(tmp_path / "s"), root=ROOT)
    assert result.exit_code == 0
    for fresh in (tmp_path / "s").glob("*.json"):
        committed = ROOT / "schemas" / fresh.name
        assert committed.read_text(encoding="utf-8") == fresh.read_text(encoding="utf-8"), (
            f"{committed} is stale: run `lamplight schema`"
        )


def test_scaffold_dates_are_today(project: Path) -> None:
    run("new", "skill", "riqi", root=project)
    text = (project / "skills_library/riqi/skill.yaml").read_text(encoding="utf-8")
    assert dt.date.today().isoformat() in text


def test_new_story_is_an_alias_of_showcase(project: Path) -> None:
    result = run("new", "story", "xin-gu-shi", root=project)
    assert result.exit_code == 0, result.output
    assert (project / "showcases" / "xin-gu-shi" / "showcase.yaml").is_file()
    result = run("new", "stroy", "x", root=project)
    assert result.exit_code == 1
    assert "showcase（或 story）" in result.output


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["chek"], ("没有“chek”这个命令", "“check”", "lamplight --help")),
        (["new", "skill"], ("缺少参数“slug”", "用法：lamplight new")),
        (["check", "--formt", "json"], ("没有选项“--formt”", "“--format”")),
        (["check", "--format", "xml"], ("“xml”不是可选值", "text、json")),
        (["search", "x", "--limit", "ab"], ("“--limit”", "应是整数")),
    ],
)
def test_usage_errors_are_chinese(project: Path, args: list[str], words: tuple[str, ...]) -> None:
    result = run(*args, root=project)
    assert result.exit_code == 2
    for word in words:
        assert word in result.output
    assert "Error" not in result.output and "Usage" not in result.output


def test_scaffolds_preset_no_region_and_no_years(project: Path) -> None:
    run("new", "showcase", "xin-an-li", root=project)
    path = project / "showcases/xin-an-li/showcase.yaml"
    text = path.read_text(encoding="utf-8")
    assert str(dt.date.today().year) not in text.split("key_figures:")[1].split("children:")[0]
    result = run("check", root=project)
    assert result.exit_code == 1
    lines = text.splitlines()
    unfilled = {
        int(m.group(1))
        for m in re.finditer(r"showcases/xin-an-li/showcase.yaml:(\d+):\d+: E102", result.stdout)
    }
    for needle in ("province:", "county:", "township:", "exit_year:", "amount:"):
        number = next(i for i, line in enumerate(lines, start=1) if needle in line)
        assert number in unfilled, needle
    assert "E103" not in result.stdout  # a placeholder is unfilled, not of the wrong type
    assert "E104" not in result.stdout  # nor a value missing from the taxonomy


@pytest.mark.parametrize("kind", ["showcase", "skill", "elder"])
def test_traditional_scaffolds(project: Path, kind: str) -> None:
    result = run("new", kind, "fan-ti", "--script", "hant", root=project)
    assert result.exit_code == 0, result.output
    paths = [project / p.format(s="fan-ti") for p in KINDS[kind]]
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert "（請填寫" in text and "（请填写" not in text
        _fill(path)
    filled = run("check", "--strict", root=project)
    assert filled.exit_code == 0, filled.stdout


def test_init_starts_a_real_content_tree(tmp_path: Path) -> None:
    target = tmp_path / "real"
    result = run("init", str(target), root=ROOT)
    assert result.exit_code == 0, result.output
    assert not (target / "content" / "SAMPLE").exists()
    for rel in ("content/taxonomy.yaml", "content/public_channels.yaml", "mkdocs.yml"):
        assert (target / rel).read_bytes() == (ROOT / rel).read_bytes()
    assert (target / "schemas" / "showcase.schema.json").is_file()
    assert not list((target / "showcases").iterdir())
    assert not list((target / "content" / "elders").iterdir())
    assert "01-about.md" in result.output  # the sample's about page is not copied
    assert not (target / "content/pages/01-about.md").exists()
    checked = run("check", root=target)
    assert checked.exit_code == 0, checked.output
    assert "SAMPLE" not in checked.output
    assert run("new", "elder", "zhang-lao-shi", root=target).exit_code == 0
    again = run("init", str(target), root=ROOT)
    assert again.exit_code == 1 and "已经有 content/" in again.output


def test_check_says_the_tree_is_a_sample(project: Path) -> None:
    result = run("check", root=project)
    assert result.exit_code == 0
    assert "content/SAMPLE" in result.output and "lamplight init" in result.output
    (project / "content" / "SAMPLE").unlink()
    assert "SAMPLE" not in run("check", root=project).output


def test_schemas_carry_taxonomy_values_and_ids(project: Path) -> None:
    edit_text = (project / "content/taxonomy.yaml").read_text(encoding="utf-8")
    (project / "content/taxonomy.yaml").write_text(
        edit_text.replace("tags: [生猪,", "tags: [稻田养鱼, 生猪,", 1), encoding="utf-8"
    )
    assert run("new", "skill", "dao-tian-yang-yu", root=project).exit_code == 0
    assert run("schema", root=project).exit_code == 0
    showcase = json.loads((project / "schemas/showcase.schema.json").read_text(encoding="utf-8"))
    props = showcase["properties"]
    assert props["period"]["enum"] == ["攻坚期", "过渡期", "攻堅期", "過渡期"]
    assert "稻田养鱼" in props["tags"]["items"]["enum"]  # the tag just added
    assert "養殖" in props["industry"]["enum"]
    assert "dao-tian-yang-yu" in props["skills"]["items"]["examples"]  # the skill just added
    assert "wang-lao-zhuan-jia" in props["elders"]["items"]["examples"]
    region = showcase["$defs"]["Region"]["properties"]
    assert "雷山县" in region["county"]["anyOf"][0]["enum"]
    assert "丹江镇" in region["township"]["anyOf"][0]["enum"]
    booklet = json.loads((project / "schemas/booklet.schema.json").read_text(encoding="utf-8"))
    assert "养殖" in booklet["$defs"]["BookletFilter"]["properties"]["industry"]["anyOf"][0]["enum"]
    bad = {**yaml.safe_load((ROOT / "showcases/liu-da-ge-yang-zhu/showcase.yaml").read_text())}
    bad["period"] = "别的时期"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, showcase)


def test_taxonomy_error_says_an_editor_may_add_the_tag(project: Path) -> None:
    path = project / "showcases/liu-da-ge-yang-zhu/showcase.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("tags: [生豬, 合作社]", "tags: [生豬, 稻田养鱼]", 1), encoding="utf-8"
    )
    result = run("check", root=project)
    assert result.exit_code == 1
    line = next(i for i, s in enumerate(text.splitlines(), start=1) if s.startswith("tags:"))
    found = [s for s in result.stdout.splitlines() if " E104 " in s]
    assert len(found) == 1 and found[0].startswith(
        f"showcases/liu-da-ge-yang-zhu/showcase.yaml:{line}:"
    )
    assert "加进 content/taxonomy.yaml 的 tags" in found[0] and "lamplight schema" in found[0]
