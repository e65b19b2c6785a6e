"""Answered questions, consultation teams and notices: each error class at its file and line,
`lamplight new` and `schema` for the three kinds, and the notices' current/expired split."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from generators.content import load_catalogue
from generators.content.consultation import is_current, published_notices, today

from .helpers import ROOT, copy_project, edit, line_of, run
from .test_check import problems

QUESTION = "content/questions/zhu-la-xi-zen-me-ban.yaml"
RETOLD = "content/questions/mu-zhu-chan-hou-bu-chi-shi.yaml"
TEAM = "content/teams/zha-shui-shi-yong-jun.yaml"
TRAINING = "content/notices/xia-ji-yang-zhu-fang-bing-pei-xun.yaml"
MARKET = "content/notices/gan-mu-er-hang-qing.yaml"


def _epoch(day: dt.date) -> str:
    return str(int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp()))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "p")


def _problem(result, code: str, path: str) -> dict[str, str]:
    found = [p for p in problems(result.stdout) if p["code"] == code and p["path"] == path]
    assert found, result.output
    return found[0]


def _check_fails(project: Path, code: str, path: str, needle: str) -> dict[str, str]:
    """`check` exits 1 with ``code`` in ``path`` on the line holding ``needle``."""
    result = run("check", root=project)
    assert result.exit_code == 1, result.output
    problem = _problem(result, code, path)
    assert int(problem["line"]) == line_of(project / path, needle), problem
    return problem


def test_unknown_elder_and_team_in_question(project: Path) -> None:
    edit(project / QUESTION, "elders: [wang-lao-zhuan-jia]", "elders: [wang-lao-zhuan-jai]")
    edit(project / QUESTION, "team: lei-shan-yang-zhi", "team: lei-shan-yang")
    problem = _check_fails(project, "E201", QUESTION, "wang-lao-zhuan-jai")
    assert "wang-lao-zhuan-jia" in problem["msg"]  # the suggestion
    result = run("check", root=project)
    lines = {int(p["line"]) for p in problems(result.stdout) if p["code"] == "E201"}
    assert line_of(project / QUESTION, "team: lei-shan-yang") in lines


def test_question_without_answerer(project: Path) -> None:
    edit(
        project / QUESTION,
        "  elders: [wang-lao-zhuan-jia]\n  team: lei-shan-yang-zhi\n",
        "  elders: []\n",
    )
    problem = _check_fails(project, "E102", QUESTION, "  elders: []")
    assert "answered_by" in problem["msg"]


def test_retold_household_needs_consent(project: Path) -> None:
    text = (project / RETOLD).read_text(encoding="utf-8")
    (project / RETOLD).write_text(text.split("consent:")[0], encoding="utf-8")
    problem = _check_fails(project, "E401", RETOLD, "status: published")
    assert "consent" in problem["msg"]


def test_unknown_team_member_and_unregistered_hotline(project: Path) -> None:
    edit(project / TEAM, "elders: [he-lao-gong]", "elders: [he-lao]")
    edit(project / TEAM, "hotline: 0914-4300000", "hotline: '12345'")
    _check_fails(project, "E201", TEAM, "elders: [he-lao]")
    result = run("check", root=project)
    hotline = [
        p for p in problems(result.stdout) if p["path"] == TEAM and "public_channels" in p["msg"]
    ]
    assert hotline and hotline[0]["code"] == "E201"
    assert int(hotline[0]["line"]) == line_of(project / TEAM, "hotline:")


def test_team_personal_phone_is_private_data(project: Path) -> None:
    edit(project / TEAM, "也可以到镇农技站留言。", "也可以打何老工手机 13912345678。")
    problem = _check_fails(project, "E502", TEAM, "13912345678")
    assert "电话" in problem["msg"]


def test_team_needs_a_public_channel(project: Path) -> None:
    edit(project / TEAM, "  hotline: 0914-4300000\n", "")
    _check_fails(project, "E102", TEAM, "  name: 柞水县食用菌")


def test_bad_notice_sort(project: Path) -> None:
    edit(project / TRAINING, "sort: 培训", "sort: 讲座")
    problem = _check_fails(project, "E104", TRAINING, "sort: 讲座")
    assert "培训、行情、新技术" in problem["msg"]


def test_traditional_sort_is_accepted() -> None:
    cat, report = load_catalogue(ROOT)
    assert not report.errors
    assert cat.notices["cha-shu-lv-se-fang-kong"].sort == "新技术"
    assert cat.notices["mi-hou-tao-xiu-jian-pei-xun"].sort == "培训"


@pytest.mark.parametrize("field", ["date", "source"])
def test_market_price_needs_date_and_source(project: Path, field: str) -> None:
    text = (project / MARKET).read_text(encoding="utf-8")
    kept = [line for line in text.splitlines() if not line.startswith(f"  {field}:")]
    (project / MARKET).write_text("\n".join(kept) + "\n", encoding="utf-8")
    problem = _check_fails(project, "E108", MARKET, "  product:")
    assert field in problem["msg"]


def test_missing_sort_section(project: Path) -> None:
    text = (project / MARKET).read_text(encoding="utf-8")
    (project / MARKET).write_text(text.split("market:")[0], encoding="utf-8")
    _check_fails(project, "E102", MARKET, "sort: 行情")


def test_passed_training_still_current_warns(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit(project / TRAINING, "expires: 2027-07-10", "expires: 2027-12-31")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", _epoch(dt.date(2027, 8, 1)))
    result = run("check", root=project)
    assert result.exit_code == 0, result.output  # a warning only
    problem = _problem(result, "W105", TRAINING)
    assert int(problem["line"]) == line_of(project / TRAINING, "  date: 2027-07-10")
    assert run("check", "--strict", root=project).exit_code == 1
    monkeypatch.setenv("SOURCE_DATE_EPOCH", _epoch(dt.date(2027, 7, 1)))
    assert "W105" not in run("check", root=project).stdout


def test_question_review_date_passed_warns(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", _epoch(dt.date(2028, 10, 2)))
    problem = _problem(run("check", root=project), "W101", QUESTION)
    assert int(problem["line"]) == line_of(project / QUESTION, "review_due:")


def test_training_place_finer_than_a_hall_is_private_data(project: Path) -> None:
    edit(project / TRAINING, "place: 丹江镇畜牧兽医站会议室", "place: 丹江镇某村 12 号")
    _check_fails(project, "E504", TRAINING, "place:")


def test_question_answer_phone_is_private_data(project: Path) -> None:
    edit(project / QUESTION, "请镇畜牧兽医站的兽医来看", "打 0855-3339876 请兽医来看")
    _check_fails(project, "E502", QUESTION, "0855-3339876")


def test_notice_current_and_expired_on_a_fixed_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", _epoch(dt.date(2026, 12, 3)))
    on = today()
    assert on == dt.date(2026, 12, 3)
    cat, _ = load_catalogue(ROOT)
    notices = published_notices(cat)
    current = {n.id for n in notices if is_current(n, on)}
    expired = {n.id for n in notices if n.expires < on}
    assert len(notices) == 10
    assert {n.sort for n in notices} == {"培训", "行情", "新技术"}
    assert expired == {
        "mu-er-chun-ji-pei-xun",
        "mi-hou-tao-xiu-jian-pei-xun",
        "xiang-gu-hang-qing-2026-chun",
        "cha-shu-lv-se-fang-kong",
    }
    assert len(current) == 6


def test_sample_has_the_consultation_content() -> None:
    cat, report = load_catalogue(ROOT)
    assert not report.errors, report.sorted()
    skills = {s for q in cat.questions.values() for s in q.skills}
    assert len(cat.questions) >= 12 and len(skills) >= 5
    assert len(cat.teams) == 3
    for path in (ROOT / "content").glob("[qtn][uoe]*/*.yaml"):
        assert "样例" in path.read_text(encoding="utf-8") or "樣例" in path.read_text(
            encoding="utf-8"
        )


# ------------------------------------------------------------------ new and schema

NEW = {
    "question": "content/questions/{s}.yaml",
    "team": "content/teams/{s}.yaml",
    "notice": "content/notices/{s}.yaml",
}


@pytest.mark.parametrize("kind", sorted(NEW))
def test_new_then_fill_passes_check(project: Path, kind: str) -> None:
    result = run("new", kind, "xin-tiao-mu", root=project)
    assert result.exit_code == 0, result.output
    path = project / NEW[kind].format(s="xin-tiao-mu")
    text = path.read_text(encoding="utf-8")
    assert text.startswith(f"# yaml-language-server: $schema=../../schemas/{kind}.schema.json")
    top = [line for line in text.splitlines() if re.match(r"^[a-z_]+:", line)]
    assert len(top) >= 8
    for line in top:  # every field has its Chinese comment
        assert re.search(r"  # .*[\u4e00-\u9fff]", line), line
    unfilled = run("check", root=project)
    assert unfilled.exit_code == 1 and "E102" in unfilled.stdout
    filled = text.replace("（请填写省份）", "贵州省").replace("（请填写县）", "雷山县")
    filled = re.sub(r"（请填写[^）]*）", "示例内容文字", filled)
    filled = filled.replace("elders: [示例内容文字]", "elders: [wang-lao-zhuan-jia]")
    filled = filled.replace("  - 示例内容文字\ntechnicians", "  - wang-lao-zhuan-jia\ntechnicians")
    filled = filled.replace("# hotline: 12316", "hotline: '12316'")
    path.write_text(filled, encoding="utf-8")
    result = run("check", root=project)
    assert result.exit_code == 0, result.stdout


class _StringDates(yaml.SafeLoader):
    """Dates as strings, as an editor's YAML language server sees them."""


_StringDates.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
)


@pytest.mark.parametrize("kind", sorted(NEW))
def test_schema_validates_the_sample_and_has_chinese_descriptions(kind: str) -> None:
    schema = json.loads((ROOT / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
    props = schema["properties"]
    assert all(re.search(r"[\u4e00-\u9fff]", p["description"]) for p in props.values())
    folder = ROOT / NEW[kind].rsplit("/", 1)[0]
    files = sorted(folder.glob("*.yaml"))
    assert files
    for path in files:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_StringDates)
        jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())
    bad = yaml.load(files[0].read_text(encoding="utf-8"), Loader=_StringDates)
    bad["phone"] = "x"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_unknown_question_in_a_booklet(project: Path) -> None:
    booklet = "content/booklets/yang-zhi-da-zi-ban.yaml"
    edit(project / booklet, "tu-ji-dong-tian-bu-xia-dan]", "tu-ji-bu-xia-dan]")
    problem = _check_fails(project, "E201", booklet, "tu-ji-bu-xia-dan")
    assert "问答" in problem["msg"]


def test_retold_household_with_children_needs_guardian_consent(project: Path) -> None:
    edit(
        project / RETOLD,
        "小猪先找同期下崽的母猪代养",
        "他家上初中的孩子帮着把小猪先找同期下崽的母猪代养",
    )
    _check_fails(project, "E403", RETOLD, "  ref: SAMPLE-CONSENT-Q002")


def test_notice_dates_and_price_range_in_order(project: Path) -> None:
    edit(project / MARKET, "expires: 2027-06-30", "expires: 2026-11-01")
    edit(project / MARKET, "price_high: 45", "price_high: 30")
    _check_fails(project, "E106", MARKET, "expires: 2026-11-01")
    result = run("check", root=project)
    lines = {int(p["line"]) for p in problems(result.stdout) if p["code"] == "E106"}
    assert line_of(project / MARKET, "price_high: 30") in lines
