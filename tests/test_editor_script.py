"""Editors who write Traditional read the command's messages in Traditional
(``LAMPLIGHT_SCRIPT=hant``): problems, summaries, usage errors, help, scaffolds and the
preview's error page; codes, paths and field names stay ASCII and unchanged."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from generators.cli import app
from generators.editor_script import editor_script, for_editor
from generators.site.serve_errors import error_page

from .helpers import copy_project
from .test_check import problems

FIXTURES = Path(__file__).parent / "fixtures"
HANT = {"LAMPLIGHT_SCRIPT": "hant"}


def _run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(app, list(args), env=env or {}, catch_exceptions=False)


def test_the_variable_chooses_the_script() -> None:
    assert editor_script({}) == "hans"
    assert editor_script({"LAMPLIGHT_SCRIPT": "hant"}) == "hant"
    assert editor_script({"LAMPLIGHT_SCRIPT": "繁體"}) == "hant"
    assert editor_script({"LAMPLIGHT_SCRIPT": "nonsense"}) == "hans"
    assert for_editor("检查通过", "hant") == "檢查通過"
    assert for_editor("检查通过", "hans") == "检查通过"


def test_check_problems_in_traditional_with_the_same_codes_and_places() -> None:
    root = str(FIXTURES / "broken")
    hans = _run("check", "--root", root)
    hant = _run("check", "--root", root, env=HANT)
    assert hans.exit_code == hant.exit_code == 1
    plain, converted = problems(hans.stdout), problems(hant.stdout)
    assert len(plain) == len(converted) > 3
    for a, b in zip(plain, converted, strict=True):
        assert (a["path"], a["line"], a["col"], a["code"]) == (
            b["path"],
            b["line"],
            b["col"],
            b["code"],
        )
        assert b["msg"] == for_editor(a["msg"], "hant")
    assert "個錯誤" in hant.stdout and "个错误" not in hant.stdout
    assert "个错误" in hans.stdout  # Simplified stays the default


def test_json_output_keeps_ascii_keys_and_codes() -> None:
    result = _run("check", "--root", str(FIXTURES / "broken"), "--format", "json", env=HANT)
    assert '"code": "E' in result.stdout and '"path": "' in result.stdout
    assert "錯誤" in result.stdout or "請" in result.stdout


def test_usage_errors_and_help_in_traditional() -> None:
    wrong = _run("chek", env=HANT)
    assert wrong.exit_code == 2
    assert "沒有“chek”這個命令" in wrong.output and "check" in wrong.output
    helped = _run("--help", env=HANT)
    assert "一盞燈" in helped.output and "檢查所有內容文件" in helped.output


def test_new_follows_the_editor_script(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    made = _run("new", "skill", "yang-ya", "--root", str(root), env=HANT)
    assert made.exit_code == 0, made.output
    text = (root / "skills_library" / "yang-ya" / "skill.yaml").read_text("utf-8")
    assert "（請填寫）" in text and "（请填写）" not in text
    assert "請把所有帶“（請填寫）”的地方" in made.output
    again = _run("new", "skill", "yang-e", "--script", "hans", "--root", str(root), env=HANT)
    assert again.exit_code == 0, again.output
    text = (root / "skills_library" / "yang-e" / "skill.yaml").read_text("utf-8")
    assert "（请填写）" in text  # the option still wins


def test_preview_error_page_in_traditional(monkeypatch) -> None:
    line = "showcases/x/story.md:3:1: E502 疑似手机号码，请删去"
    monkeypatch.setenv("LAMPLIGHT_SCRIPT", "hant")
    page = error_page([line]).decode()
    assert 'lang="zh-Hant"' in page and "預覽沒有更新" in page
    assert "showcases/x/story.md:3:1: E502 疑似手機號碼" in page
    monkeypatch.delenv("LAMPLIGHT_SCRIPT")
    assert 'lang="zh-Hans"' in error_page([line]).decode()
