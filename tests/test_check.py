"""`lamplight check`: every error class names its code, file and line, and exits non-zero."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from .helpers import ELDER, PAIRING, SHOWCASE, SKILL, STORY, copy_project, edit, line_of, run

LINE_RE = re.compile(
    r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<code>[EW]\d{3}) (?P<msg>.+)$"
)


def problems(output: str) -> list[dict[str, str]]:
    return [m.groupdict() for line in output.splitlines() if (m := LINE_RE.match(line))]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "p")


def test_sample_content_is_clean() -> None:
    result = run("check", root=Path(__file__).resolve().parent.parent)
    assert result.exit_code == 0, result.output
    assert "共 0 个错误" in result.output


def _only(result, code: str, path: str) -> dict[str, str]:
    found = [p for p in problems(result.stdout) if p["code"] == code and p["path"] == path]
    assert found, result.output
    assert result.exit_code == 1
    return found[0]


def test_yaml_syntax_error(project: Path) -> None:
    target = project / SKILL
    edit(target, "labour_days: 60", "labour_days: [60")
    result = run("check", root=project)
    problem = _only(result, "E002", SKILL)
    assert int(problem["line"]) >= line_of(target, "labour_days")
    assert "YAML" in problem["msg"]


def test_duplicate_key(project: Path) -> None:
    target = project / ELDER
    edit(target, "unit: 雷山县关工委", "unit: 雷山县关工委\nunit: 别的关工委")
    result = run("check", root=project)
    problem = _only(result, "E003", ELDER)
    assert int(problem["line"]) == line_of(target, "别的关工委")
    assert "unit" in problem["msg"]


def test_unknown_field_with_suggestion(project: Path) -> None:
    target = project / SKILL
    edit(target, "climate:", "climat:")
    result = run("check", root=project)
    problem = _only(result, "E101", SKILL)
    assert int(problem["line"]) == line_of(target, "climat:")
    assert "climate" in problem["msg"]  # did you mean


def test_missing_required_field(project: Path) -> None:
    target = project / ELDER
    edit(target, "bio:", "# bio:")
    result = run("check", root=project)
    problem = _only(result, "E102", ELDER)
    assert "bio" in problem["msg"]


def test_wrong_type(project: Path) -> None:
    target = project / SKILL
    edit(target, "labour_days: 60", "labour_days: 六十天")
    result = run("check", root=project)
    problem = _only(result, "E103", SKILL)
    assert int(problem["line"]) == line_of(target, "labour_days")


def test_value_outside_taxonomy(project: Path) -> None:
    target = project / SHOWCASE
    edit(target, "industry: 養殖", "industry: 养鱼")
    result = run("check", root=project)
    problem = _only(result, "E104", SHOWCASE)
    assert int(problem["line"]) == line_of(target, "industry:")
    assert "养鱼" in problem["msg"]


def test_taxonomy_value_accepted_in_either_script(project: Path) -> None:
    # The showcase is written in Traditional (養殖, 缺技術); switch one to Simplified too.
    edit(project / SHOWCASE, "poverty_causes: [缺技術, 缺資金]", "poverty_causes: [缺技术, 缺資金]")
    result = run("check", root=project)
    assert result.exit_code == 0, result.output


def test_reference_to_missing_item(project: Path) -> None:
    target = project / SHOWCASE
    edit(target, "skills: [sheng-tai-yang-zhu]", "skills: [sheng-tai-yang-zhuu]")
    result = run("check", root=project)
    problem = _only(result, "E201", SHOWCASE)
    assert int(problem["line"]) == line_of(target, "skills:")
    assert "“sheng-tai-yang-zhuu”不存在" in problem["msg"]  # the bad reference
    assert "您是不是想写“sheng-tai-yang-zhu”" in problem["msg"]  # the suggestion


def test_duplicate_id(project: Path) -> None:
    (project / "content/elders/wang-lao-zhuan-jia.yml").write_text(
        (project / ELDER).read_text(encoding="utf-8"), encoding="utf-8"
    )
    result = run("check", root=project)
    _only(result, "E202", "content/elders/wang-lao-zhuan-jia.yml")


def test_folder_and_id_disagree(project: Path) -> None:
    target = project / SKILL
    edit(target, "id: sheng-tai-yang-zhu", "id: yang-zhu")
    result = run("check", root=project)
    problem = _only(result, "E203", SKILL)
    assert int(problem["line"]) == line_of(target, "id: yang-zhu")


def test_missing_image(project: Path) -> None:
    target = project / SHOWCASE
    edit(target, "photos/zhu-she.jpg", "photos/zhu-she-2.jpg")
    result = run("check", root=project)
    problem = _only(result, "E204", SHOWCASE)
    assert int(problem["line"]) == line_of(target, "zhu-she-2.jpg")


def test_malformed_date(project: Path) -> None:
    target = project / PAIRING
    edit(target, "start: 2017-03-01", "start: 2017-02-30")
    result = run("check", root=project)
    problem = _only(result, "E105", PAIRING)
    assert int(problem["line"]) == line_of(target, "start:")


def test_story_missing_section(project: Path) -> None:
    target = project / STORY
    edit(target, "## 取得成效", "## 成效")
    result = run("check", root=project)
    problem = _only(result, "E301", STORY)
    assert int(problem["line"]) == line_of(target, "## 成效")
    assert problem["msg"].startswith("“## 成效”应写成“## 取得成效”")


def test_not_utf8(project: Path) -> None:
    target = project / ELDER
    target.write_bytes("id: wang-lao-zhuan-jia\nbio: 退休\n".encode("gbk"))
    result = run("check", root=project)
    problem = _only(result, "E001", ELDER)
    assert problem["line"] == "2"


def test_summary_too_long(project: Path) -> None:
    target = project / SKILL
    edit(target, "summary: 用发酵床", "summary: " + "很长" * 40 + "用发酵床")
    result = run("check", root=project)
    problem = _only(result, "E106", SKILL)
    assert int(problem["line"]) == line_of(target, "summary:")


def test_ten_mistakes_in_ten_files_all_reported(project: Path) -> None:
    new = run("new", "skill", "extra-skill", root=project)
    assert new.exit_code == 0
    mistakes = [
        (SKILL, "climate:", "climat:", "E101"),
        (SHOWCASE, "industry: 養殖", "industry: 养鱼", "E104"),
        (STORY, "## 取得成效", "## 成效", "E301"),
        (ELDER, "unit: 雷山县关工委", "unit: 雷山县关工委\nunit: x", "E003"),
        (PAIRING, "start: 2017-03-01", "start: 2017-02-30", "E105"),
        (
            "content/taxonomy.yaml",
            "periods: [攻坚期, 过渡期]",
            "periods: [攻坚期, 过渡期]\nperiod_x: 1",
            "E101",
        ),
        ("content/public_channels.yaml", "channels:", "channels: [", "E002"),
        ("content/protected_terms.yaml", "terms:", "term:", "E101"),
        ("content/synonyms.yaml", "groups:", "groups: 3\nx:", "E101"),
        ("skills_library/extra-skill/skill.yaml", "title: （请填写）", "title: 新技能", "E102"),
    ]
    for rel, old, new_text, _ in mistakes:
        edit(project / rel, old, new_text)
    result = run("check", root=project)
    assert result.exit_code == 1
    found = {(p["path"], p["code"]) for p in problems(result.stdout)}
    for rel, _, _, code in mistakes:
        assert (rel, code) in found, (rel, code, result.stdout)
    assert len({p for p, _ in found} & {m[0] for m in mistakes}) == 10


def test_json_format(project: Path) -> None:
    edit(project / SKILL, "climate:", "climat:")
    result = run("check", "--format", "json", root=project)
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["errors"] >= 1
    codes = {(p["code"], p["path"]) for p in data["problems"]}
    assert ("E101", SKILL) in codes


def test_warnings_fail_only_with_strict(project: Path) -> None:
    edit(project / SKILL, "review_due: 2027-09-15", "review_due: 2020-01-01")
    result = run("check", root=project)
    assert result.exit_code == 0
    assert "W101" in result.stdout
    assert run("check", "--strict", root=project).exit_code == 1


def test_not_a_project(tmp_path: Path) -> None:
    result = run("check", root=tmp_path)
    assert result.exit_code == 1
    assert "不像是一盏灯的项目目录" in result.output
    assert "Traceback" not in result.output


def test_near_copy_warns(project: Path) -> None:
    import shutil

    copy = project / "showcases/liu-da-ge-fu-ben"
    shutil.copytree(project / "showcases/liu-da-ge-yang-zhu", copy)
    edit(copy / "showcase.yaml", "id: liu-da-ge-yang-zhu", "id: liu-da-ge-fu-ben")
    edit(copy / "story.md", "一家五口", "一家六口")
    result = run("check", root=project)
    assert result.exit_code == 0, result.stdout
    warned = [p for p in problems(result.stdout) if p["code"] == "W201"]
    assert warned and "liu-da-ge" in warned[0]["msg"]


def test_every_problem_of_a_file_in_one_run(project: Path) -> None:
    """A field error (E106) does not hide the folder, reference and consent errors."""
    text = (project / SHOWCASE).read_text(encoding="utf-8")
    text = text.replace("summary: 因病", "summary: " + "很長" * 50 + "因病", 1)
    text = text.replace("id: liu-da-ge-yang-zhu", "id: liu-da-ge", 1)
    text = text.replace("skills: [sheng-tai-yang-zhu]", "skills: [no-such-skill]", 1)
    text = text.replace("guardian: true", "guardian: false", 1)
    (project / SHOWCASE).write_text(text, encoding="utf-8")
    result = run("check", root=project)
    assert result.exit_code == 1
    found = {(p["path"], p["code"], int(p["line"])) for p in problems(result.stdout)}
    assert (SHOWCASE, "E106", line_of(project / SHOWCASE, "summary:")) in found
    assert (SHOWCASE, "E203", line_of(project / SHOWCASE, "id:")) in found
    assert (SHOWCASE, "E201", line_of(project / SHOWCASE, "skills:")) in found
    assert (SHOWCASE, "E403", line_of(project / SHOWCASE, "consent:") + 1) in found


def test_salvaged_records_check_references(project: Path) -> None:
    """With the id right, the reference and consent errors of a file with a field error show."""
    edit(project / SHOWCASE, "summary: 因病", "summary: " + "很長" * 50 + "因病")
    edit(project / SHOWCASE, "skills: [sheng-tai-yang-zhu]", "skills: [no-such-skill]")
    edit(project / SHOWCASE, "guardian: true", "guardian: false")
    result = run("check", root=project)
    assert result.exit_code == 1
    codes = [p["code"] for p in problems(result.stdout) if p["path"] == SHOWCASE]
    assert sorted(codes) == ["E106", "E201", "E403"]


@pytest.mark.parametrize(
    ("old", "new", "needle", "col", "words"),
    [
        ("climate: 年均", "climate：年均", "climate：", 8, ("全角冒号", "climate: ")),
        ("  - from_month: 3\n", "  - from_month: 3\n\t", "\t", 1, ("制表符", "空格")),
        ("soil: 猪舍", "\tsoil: 猪舍", "\tsoil", 1, ("制表符", "Tab")),
    ],
)
def test_yaml_typing_slips_at_the_real_line(
    project: Path, old: str, new: str, needle: str, col: int, words: tuple[str, ...]
) -> None:
    target = project / SKILL
    edit(target, old, new)
    result = run("check", root=project)
    problem = _only(result, "E002", SKILL)
    assert (int(problem["line"]), int(problem["col"])) == (line_of(target, needle), col)
    for word in words:
        assert word in problem["msg"]
    assert "found" not in problem["msg"]


def test_nested_field_errors_name_the_leaf(project: Path) -> None:
    target = project / SKILL
    edit(target, "date: 2023-09-15", "date: 2024年6月")
    edit(target, "price: 650", "price: 0.3元")
    edit(target, "setup: 6000", "setup: 1,200")
    result = run("check", root=project)
    assert result.exit_code == 1
    found = {p["code"]: p for p in problems(result.stdout) if p["path"] == SKILL}
    date = found["E105"]
    assert int(date["line"]) == line_of(target, "2024年6月")
    assert "“validated_by.date”" in date["msg"] and "2024-06-01" in date["msg"]
    by_line = {int(p["line"]): p["msg"] for p in problems(result.stdout) if p["code"] == "E103"}
    assert "去掉“元”" in by_line[line_of(target, "0.3元")]
    assert "只写数字：0.3" in by_line[line_of(target, "0.3元")]
    assert "逗号" in by_line[line_of(target, "1,200")]
    assert "1200" in by_line[line_of(target, "1,200")]


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        (
            "elders: [wang-lao-zhuan-jia]",
            "elders: [王老专家]",
            ("id，不是它的名字", "“wang-lao-zhuan-jia”"),
        ),
        ("elders: [wang-lao-zhuan-jia]", "elders: [王老專家]", ("请改成“wang-lao-zhuan-jia”",)),
        (
            "skills: [sheng-tai-yang-zhu]",
            "skills: [生态养猪：一户养 20 头育肥猪]",
            ("id，不是它的标题", "“sheng-tai-yang-zhu”"),
        ),
        (
            "elders: [wang-lao-zhuan-jia]",
            "elders: [qian-xian-sheng]",
            ("lamplight new elder qian-xian-sheng",),
        ),
    ],
)
def test_reference_written_as_a_name(
    project: Path, old: str, new: str, words: tuple[str, ...]
) -> None:
    target = project / SHOWCASE
    edit(target, old, new)
    result = run("check", root=project)
    problem = _only(result, "E201", SHOWCASE)
    assert int(problem["line"]) == line_of(target, new.split(":")[0] + ":")
    for word in words:
        assert word in problem["msg"]
    assert "您是不是想写" not in problem["msg"]


@pytest.mark.parametrize(
    ("old", "new", "code", "words"),
    [
        ("## 主要做法", "### 主要做法", "E301", ("“### 主要做法”应写成二级标题“## 主要做法”",)),
        ("## 取得成效", "## 取得的成效", "E301", ("“## 取得的成效”应写成“## 取得成效”",)),
        ("## 主要做法", "## 别的事", "E301", ("缺少“## 主要做法”", "之前补上")),
        ("## 經驗啟示", "## 经验启示", "W301", ("是简体", "“## 經驗啟示”")),
    ],
)
def test_story_sections_at_the_nearest_heading(
    project: Path, old: str, new: str, code: str, words: tuple[str, ...]
) -> None:
    target = project / STORY
    edit(target, old, new)
    result = run("check", "--strict", root=project)
    assert result.exit_code == 1
    problem = _only(result, code, STORY)
    wanted = new if code != "E301" or "缺少" not in words[0] else "## 取得成效"
    assert int(problem["line"]) == line_of(target, wanted)
    for word in words:
        assert word in problem["msg"]


@pytest.mark.parametrize(
    ("old", "new", "needle", "words"),
    [
        ("    year: 2019", "    year: 2015", "    year: 2015", ("2015", "不晚于", "2016")),
        ("    amount: 9800", "    amount: 980", "amount: 980", ("980 元低于", "2300")),
        (
            "  exit_year: 2018",
            "  exit_year: 2022",
            "exit_year:",
            ("晚于“攻坚期”的结束（2020 年）",),
        ),
    ],
)
def test_implausible_key_figures_warn(
    project: Path, old: str, new: str, needle: str, words: tuple[str, ...]
) -> None:
    target = project / SHOWCASE
    edit(target, old, new)
    result = run("check", root=project)
    assert result.exit_code == 0  # a warning
    strict = run("check", "--strict", root=project)
    assert strict.exit_code == 1
    problem = _only(strict, "W104", SHOWCASE)
    assert int(problem["line"]) == line_of(target, needle)
    for word in words:
        assert word in problem["msg"]
