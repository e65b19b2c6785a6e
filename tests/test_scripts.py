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
    assert plain.hant("乾县") != "乾县"
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


# ----------------------------------------------------------------- words OpenCC's plain tables get wrong

#: (Simplified, Traditional): each converts into the other, and is left alone when already
#: in the target script.
TRICKY = [
    ("头发", "頭髮"),
    ("理发", "理髮"),
    ("发展", "發展"),
    ("出发", "出發"),
    ("发酵床", "發酵床"),
    ("干燥", "乾燥"),
    ("晒干", "曬乾"),
    ("干耳", "乾耳"),
    ("木耳干", "木耳乾"),
    ("干活", "幹活"),
    ("干部", "幹部"),
    ("能干", "能幹"),
    ("树干", "樹幹"),
    ("皇后", "皇后"),
    ("后来", "後來"),
    ("以后", "以後"),
    ("面条", "麵條"),
    ("面粉", "麵粉"),
    ("面积", "面積"),
    ("一只鸭", "一隻鴨"),
    ("十几只鸭", "十幾隻鴨"),
    ("两只手", "兩隻手"),
    ("只有", "只有"),
    ("只是", "只是"),
    ("才敢", "才敢"),
    ("刚才", "剛才"),
    ("人才", "人才"),
    ("吃饭", "吃飯"),
    ("为了", "為了"),
    ("里面", "裡面"),
    ("这里", "這裡"),
    ("公里", "公里"),
    ("系统", "系統"),
    ("关系", "關係"),
    ("联系", "聯繫"),
    ("轻松", "輕鬆"),
    ("松树", "松樹"),
    ("准备", "準備"),
    ("复杂", "複雜"),
    ("重复", "重複"),
    ("手表", "手錶"),
    ("表示", "表示"),
    ("台风", "颱風"),
    ("丰收", "豐收"),
    ("制作", "製作"),
    ("制度", "制度"),
    ("剩余", "剩餘"),
    ("尽管", "儘管"),
    ("尽力", "盡力"),
    ("几乎", "幾乎"),
    ("茶几", "茶几"),
    ("云南", "雲南"),
    ("斗争", "鬥爭"),
    ("谷子", "穀子"),
    ("山谷", "山谷"),
    ("历史", "歷史"),
    ("日历", "日曆"),
    ("冲洗", "沖洗"),
    ("杂志", "雜誌"),
    ("采摘", "採摘"),
    ("计划", "計劃"),
    ("胡须", "鬍鬚"),
    ("合伙", "合夥"),
    ("范围", "範圍"),
    ("酿酒", "釀酒"),
    ("咸菜", "鹹菜"),
    ("游戏", "遊戲"),
    ("游泳", "游泳"),
    ("着急", "著急"),
    ("看着", "看著"),
    ("守着", "守著"),
    ("带着", "帶著"),
    ("跟着", "跟著"),
    ("睡不着", "睡不著"),
    ("著名", "著名"),
    ("土著", "土著"),
    ("启示", "啟示"),
]


def test_tricky_words_both_directions() -> None:
    assert len(TRICKY) >= 50
    conv = Converter()
    wrong = [
        (simplified, traditional, conv.hant(simplified), conv.hans(traditional))
        for simplified, traditional in TRICKY
        if conv.hant(simplified) != traditional or conv.hans(traditional) != simplified
    ]
    assert not wrong
    assert not [t for _, t in TRICKY if conv.hant(t) != t]  # already Traditional: unchanged
    assert not [s for s, _ in TRICKY if conv.hans(s) != s]  # already Simplified: unchanged


def test_text_already_in_the_target_script_is_kept() -> None:
    conv = Converter()
    assert conv.hant("他才敢養十幾隻鴨。\n头发干燥") == "他才敢養十幾隻鴨。\n頭髮乾燥"
    assert conv.hant("頭发乾燥") == "頭髮乾燥"  # a mixed line: only 发 changes
    assert conv.hans("跟着王老学，頭髮") == "跟着王老学，头发"


def test_editor_corrections(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    (project / "content/conversions.yaml").write_text(
        "hant:\n  發酵床: 發酵牀\nhans:\n  干燥剂: 乾燥剂\n", encoding="utf-8"
    )
    cat, report = load_catalogue(project)
    assert cat is not None and not report.errors, report.items
    assert cat.converter.hant("发酵床养猪") == "發酵牀養豬"
    assert cat.converter.hans("乾燥劑") == "乾燥剂"
    assert Converter().hant("发酵床") == "發酵床"


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("hant:\n  發酵床: 發酵床\n", 2, ("改成它自己",)),
        ("hant:\n  幹耳: 乾耳\n  木耳: 香菇\n", 3, ("“木耳”和“香菇”不是同一个词",)),
        ("hans:\n  着急: 生气\n", 2, ("不是同一个词的两种简体写法",)),
    ],
)
def test_bad_corrections_are_e107(
    tmp_path: Path, text: str, line: int, words: tuple[str, ...]
) -> None:
    project = copy_project(tmp_path / "p")
    (project / "content/conversions.yaml").write_text(text, encoding="utf-8")
    result = run("check", root=project)
    assert result.exit_code == 1
    found = [s for s in result.stdout.splitlines() if " E107 " in s]
    assert len(found) == 1 and found[0].startswith(f"content/conversions.yaml:{line}:")
    for word in words:
        assert word in found[0]
