"""One conversion function for every output; protected terms never change."""

from __future__ import annotations

from pathlib import Path

import pytest

from generators.content import load_catalogue
from generators.scripts import Converter, fold

from .helpers import ROOT, SHOWCASE, copy_project, edit, run


def test_phrase_level_conversion_both_ways() -> None:
    conv = Converter()
    assert conv.hans("養豬、電商、茶葉採摘") == "养猪、电商、茶叶采摘"
    assert conv.hant("养猪、电商、茶叶采摘") == "養豬、電商、茶葉採摘"
    # phrase level, not character by character: 头发 → 頭髮, 发展 → 發展
    assert conv.hant("头发") == "頭髮"
    assert conv.hant("发展") == "發展"


@pytest.mark.parametrize("term", ["乾县", "雷公山", "湄江香茶铺"])
def test_protected_terms_survive_both_directions(term: str) -> None:
    cat, _ = load_catalogue(ROOT)
    assert cat is not None
    assert term in cat.protected_terms.terms
    text = f"前文{term}后文養豬"
    assert term in cat.converter.hans(text)
    assert term in cat.converter.hant(text)
    assert cat.converter.hans(text).endswith("养猪")
    assert cat.converter.hant(cat.converter.hans(text)).endswith("養豬")


def test_unprotected_term_would_change() -> None:
    # proves the protection is doing something: without it these do convert
    plain = Converter()
    assert plain.hans("乾县") != "乾县"
    assert plain.hans("「劉大哥一家」") != "「劉大哥一家」"


def test_fold_is_script_insensitive() -> None:
    assert fold("因殘") == fold("因残")
    assert fold("養殖") == fold("养殖")


def test_taxonomy_in_other_script_is_stored_canonically(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    cat, report = load_catalogue(project)
    assert cat is not None and not report.errors
    showcase = cat.showcases["liu-da-ge-yang-zhu"]  # written in Traditional
    assert showcase.industry == "养殖"  # canonical (taxonomy) form
    assert showcase.region.county == "雷山县"
    assert "缺技术" in showcase.poverty_causes


def test_check_rejects_value_in_neither_script(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    edit(project / SHOWCASE, "poverty_causes: [缺技術, 缺資金]", "poverty_causes: [缺技術, 缺運氣]")
    result = run("check", root=project)
    assert result.exit_code == 1
    assert "E104" in result.stdout and "缺運氣" in result.stdout


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        ("跟著王老師學", "跟着王老师学"),
        ("守著老屋", "守着老屋"),
        ("帶著全家", "带着全家"),
        ("看著、等著、靠著、想著", "看着、等着、靠着、想着"),
        ("接著順著河沿著路", "接着顺着河沿着路"),
        ("夜裡睡不著", "夜里睡不着"),
        ("意味著收入翻番", "意味着收入翻番"),
        ("別著急，先著手", "别着急，先着手"),
    ],
)
def test_zhe_particle_becomes_simplified(traditional: str, simplified: str) -> None:
    assert Converter().hans(traditional) == simplified
    assert Converter(["王老師"]).hans(traditional).replace("王老師", "王老师") == simplified


@pytest.mark.parametrize(
    "text", ["著作", "著名", "顯著", "土著", "名著", "跟著名專家學", "以品質著稱"]
)
def test_zhe_meaning_write_or_notable_stays(text: str) -> None:
    simplified = Converter().hans(text)
    assert "著" in simplified and "着" not in simplified


def test_zhe_is_not_touched_towards_traditional() -> None:
    assert Converter().hant("跟著他，著急") == "跟著他，著急"
