"""Private-data scanner, consent rules and hostile input, as seen by `lamplight check`."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generators.content import load_catalogue
from generators.privacy import find_private, luhn_valid, valid_resident_id

from .helpers import ELDER, SHOWCASE, SKILL, STORY, copy_project, edit, line_of, run
from .test_check import problems

VALID_ID = "522634198001011235"  # fictional; checksum-valid (GB 11643)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "p")


def _codes(result) -> set[tuple[str, str, int]]:
    return {(p["path"], p["code"], int(p["line"])) for p in problems(result.stdout)}


# ----------------------------------------------------------------- the detectors


def test_id_numbers_only_with_valid_checksum() -> None:
    assert valid_resident_id(VALID_ID)
    assert not valid_resident_id(VALID_ID[:-1] + "6")
    assert [c for _, c, _ in find_private(f"号码{VALID_ID}。", set())] == ["E501"]
    assert not list(find_private(f"号码{VALID_ID[:-1]}6", set()))
    assert [c for _, c, _ in find_private("旧证 522634800101123", set())] == ["E501"]


@pytest.mark.parametrize(
    "text",
    [
        "电话13800138000",
        "手机 138 0013 8000",
        "+86 139-1234-5678",
        "86-15912345678",
        "座机 0855-3331234",
    ],
)
def test_phone_numbers(text: str) -> None:
    assert [c for _, c, _ in find_private(text, set())] == ["E502"]


def test_public_channels_are_allowed() -> None:
    assert not list(find_private("拨打 12316 或 0855-3330000", {"12316", "08553330000"}))


def _with_luhn_digit(prefix: str) -> str:
    for digit in "0123456789":
        if luhn_valid(prefix + digit):
            return prefix + digit
    raise AssertionError


def test_bank_cards_need_luhn() -> None:
    card = _with_luhn_digit("622202100105000")  # 16 digits
    spaced = " ".join(card[i : i + 4] for i in range(0, 16, 4))
    assert [c for _, c, _ in find_private(f"卡号 {spaced}", set())] == ["E503"]
    assert [
        c for _, c, _ in find_private(f"卡号{_with_luhn_digit('621700001234567890')}", set())
    ] == ["E503"]
    not_luhn = card[:-1] + str((int(card[-1]) + 1) % 10)
    assert not list(find_private(f"编号 {not_luhn}", set()))


@pytest.mark.parametrize(
    "text", ["住在幸福路12号", "3号楼2单元", "家住301室", "门牌号：12", "高坡村3号"]
)
def test_detailed_addresses(text: str) -> None:
    assert [c for _, c, _ in find_private(text, set())] == ["E504"]


@pytest.mark.parametrize(
    "text",
    [
        "2019 年人均 9800 元",
        "不要拍到门牌和证件",
        "每亩 2000 斤",
        "1600×1067 像素",
        "雷山县丹江镇",
        "12316",
        "SAMPLE-CONSENT-0001",
        "第 3 步",
    ],
)
def test_ordinary_text_is_not_flagged(text: str) -> None:
    assert not list(find_private(text, {"12316"}))


# ----------------------------------------------------------------- through check


def test_planted_secrets_are_errors_with_file_and_line(project: Path) -> None:
    edit(project / STORY, "一家五口", f"一家五口（户主身份证 {VALID_ID}，电话 13812345678）")
    edit(
        project / SKILL,
        "station: 雷山县畜牧兽医站（虚构）",
        "station: 雷山县畜牧兽医站（虚构），丹江路18号",
    )
    result = run("check", root=project)
    assert result.exit_code == 1
    codes = _codes(result)
    story_line = line_of(project / STORY, VALID_ID)
    assert (STORY, "E501", story_line) in codes
    assert (STORY, "E502", story_line) in codes
    assert (SKILL, "E504", line_of(project / SKILL, "丹江路18号")) in codes


def test_numbers_in_yaml_comments_are_caught_too(project: Path) -> None:
    edit(project / ELDER, "id: wang-lao-zhuan-jia", "id: wang-lao-zhuan-jia  # 手机 13912345678")
    result = run("check", root=project)
    assert (ELDER, "E502", line_of(project / ELDER, "13912345678")) in _codes(result)


def test_allow_marker_downgrades_and_is_reported_in_json(project: Path) -> None:
    edit(
        project / SKILL,
        "labour_days: 60",
        "labour_days: 60  # 批次号 13800138000 不是电话 lamplight: allow E502",
    )
    result = run("check", "--format", "json", root=project)
    assert result.exit_code == 0, result.stdout
    data = json.loads(result.stdout)
    allowed = [p for p in data["problems"] if p["code"] == "W502"]
    assert allowed and allowed[0]["path"] == SKILL
    assert allowed[0]["line"] == line_of(project / SKILL, "lamplight: allow")


def test_published_without_consent(project: Path) -> None:
    text = (project / SHOWCASE).read_text(encoding="utf-8")
    head, _, _ = text.partition("consent:\n  ref:")
    (project / SHOWCASE).write_text(head, encoding="utf-8")
    result = run("check", root=project)
    assert (SHOWCASE, "E401", line_of(project / SHOWCASE, "status:")) in _codes(result)


def test_photo_without_consent_ref(project: Path) -> None:
    edit(project / SHOWCASE, "    consent_ref: SAMPLE-CONSENT-0001\n", "")
    result = run("check", root=project)
    assert (SHOWCASE, "E402", line_of(project / SHOWCASE, "photos/zhu-she.jpg")) in _codes(result)


def test_children_need_guardian_consent(project: Path) -> None:
    edit(project / SHOWCASE, "guardian: true", "guardian: false")
    result = run("check", root=project)
    assert any(code == "E403" and path == SHOWCASE for path, code, _ in _codes(result))


def test_gps_photo_warns(project: Path) -> None:
    from PIL import Image

    photo = project / "showcases/liu-da-ge-yang-zhu/photos/zhu-she.jpg"
    with Image.open(photo) as image:
        exif = image.getexif()
        exif.get_ifd(0x8825).update({1: "N", 2: (26.0, 22.0, 0.0), 3: "E", 4: (108.0, 4.0, 0.0)})
        image.save(photo, exif=exif.tobytes())
    result = run("check", root=project)
    assert result.exit_code == 0
    assert any(code == "W501" and path.endswith("zhu-she.jpg") for path, code, _ in _codes(result))


# ----------------------------------------------------------------- unsafe Markdown


@pytest.mark.parametrize(
    "snippet",
    [
        "<script>alert(1)</script>",
        '<img src="x.jpg" onerror="alert(1)">',
        "[点我](javascript:alert(1))",
        "![图](data:image/png;base64,AAAA)",
        "![图](../../../../etc/passwd.png)",
        "![图](/etc/hosts.png)",
    ],
)
def test_unsafe_markdown_is_an_error(project: Path, snippet: str) -> None:
    edit(project / STORY, "## 主要做法\n", f"## 主要做法\n\n{snippet}\n")
    result = run("check", root=project)
    assert result.exit_code == 1
    assert (STORY, "E302", line_of(project / STORY, snippet)) in _codes(result)


def test_symlink_out_of_the_tree_is_refused(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "secret.yaml"
    outside.write_text("id: secret\n", encoding="utf-8")
    (project / "content/elders/secret.yaml").symlink_to(outside)
    result = run("check", root=project)
    assert ("content/elders/secret.yaml", "E005", 1) in _codes(result)


# ----------------------------------------------------------------- hostile YAML


BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_billion_laughs_fails_fast(project: Path) -> None:
    (project / "content/elders/bomb.yaml").write_text(BILLION_LAUGHS, encoding="utf-8")
    tracemalloc.start()
    result = run("check", root=project)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert result.exit_code == 1
    assert ("content/elders/bomb.yaml", "E004") in {(p, c) for p, c, _ in _codes(result)}
    assert peak < 200 * 1024 * 1024


def test_oversized_file_is_refused(project: Path) -> None:
    (project / "content/elders/big.yaml").write_text(
        "bio: " + "长" * 400_000 + "\n", encoding="utf-8"
    )
    result = run("check", root=project)
    assert ("content/elders/big.yaml", "E004") in {(p, c) for p, c, _ in _codes(result)}


def test_deep_nesting_is_refused(project: Path) -> None:
    (project / "content/elders/deep.yaml").write_text(
        "a: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8"
    )
    result = run("check", root=project)
    assert result.exit_code == 1
    assert "Traceback" not in result.output


def test_python_tags_are_not_executed(project: Path, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    (project / "content/elders/evil.yaml").write_text(
        f"id: !!python/object/apply:os.system ['touch {marker}']\n", encoding="utf-8"
    )
    result = run("check", root=project)
    assert result.exit_code == 1
    assert not marker.exists()
    assert ("content/elders/evil.yaml", "E002") in {(p, c) for p, c, _ in _codes(result)}


# ----------------------------------------------------------------- property-based


_YAML_ALPHABET = st.sampled_from(
    list("abc:-[]{}&*!|>'\"#\n\t ,.0123456789养猪茶") + ["\ufeff", "\x00", "é"]
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(_YAML_ALPHABET, max_size=200))
def test_random_yaml_never_crashes(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    root = tmp_path_factory.mktemp("fuzz")
    (root / "content/elders").mkdir(parents=True)
    (root / "content/taxonomy.yaml").write_text(
        (Path(__file__).parent.parent / "content/taxonomy.yaml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    (root / "content/elders/x.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
    _, report = load_catalogue(root)  # must not raise
    for diag in report.items:
        assert diag.path and diag.line >= 1 and diag.code[:1] in "EW"


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_mutated_sample_yaml_never_crashes(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    source = (Path(__file__).parent.parent / SKILL).read_text(encoding="utf-8")
    lines = source.splitlines()
    index = data.draw(st.integers(0, len(lines) - 1))
    action = data.draw(st.sampled_from(["drop", "dup", "indent", "garble"]))
    if action == "drop":
        del lines[index]
    elif action == "dup":
        lines.insert(index, lines[index])
    elif action == "indent":
        lines[index] = "   " + lines[index]
    else:
        lines[index] = data.draw(st.text(_YAML_ALPHABET, max_size=40))
    root = copy_project(tmp_path_factory.mktemp("mut"), with_site_config=False)
    (root / SKILL).write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, report = load_catalogue(root)
    for diag in report.items:
        assert diag.path and diag.line >= 1


def test_symlinked_folder_out_of_the_tree_is_refused(project: Path, tmp_path: Path) -> None:
    import shutil

    outside = tmp_path / "elsewhere" / "wai-mian"
    shutil.copytree(project / "showcases/liu-da-ge-yang-zhu", outside)
    (outside / "showcase.yaml").write_text(
        (outside / "showcase.yaml")
        .read_text(encoding="utf-8")
        .replace("id: liu-da-ge-yang-zhu", "id: wai-mian"),
        encoding="utf-8",
    )
    (project / "showcases/wai-mian").symlink_to(outside, target_is_directory=True)
    result = run("check", root=project)
    assert result.exit_code == 1
    assert ("showcases/wai-mian/showcase.yaml", "E005", 1) in _codes(result)


# ----------------------------------------------------------------- input-method forms


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("电话１３９８７３３２１４７", "E502"),
        ("手机一三八八七三三二一四五", "E502"),
        ("手机幺三八八七三三二一四五", "E502"),
        ("座机０８５５－３３３１２３４", "E502"),
        (f"身份证{''.join(chr(ord(c) + 0xFEE0) for c in VALID_ID)}", "E501"),
        ("大女兒普小梅在縣城讀書", "E505"),
        ("儿子杨明去年考上大学", "E505"),
        ("孙女是王小花", "E505"),
    ],
)
def test_full_width_numerals_and_child_names(project: Path, text: str, code: str) -> None:
    edit(project / STORY, "一家五口", f"一家五口，{text}，")
    result = run("check", root=project)
    assert result.exit_code == 1
    line = line_of(project / STORY, text)
    found = [p for p in problems(result.stdout) if p["code"] == code]
    assert [(p["path"], int(p["line"])) for p in found] == [(STORY, line)]
    assert f"lamplight: allow {code}" in found[0]["msg"]


@pytest.mark.parametrize(
    "text",
    [
        "儿子高中毕业",
        "女儿周末回家",
        "儿子马上回来",
        "一二三四",
        "女儿小学三年级",
        "女儿是李老师教出来的",
        "儿子王家的地",
    ],
)
def test_kinship_words_without_a_name_pass(text: str) -> None:
    from generators.privacy import normalise

    assert not list(find_private(normalise(text), set()))


def test_child_name_column_points_at_the_name() -> None:
    from generators.privacy import normalise

    line = normalise("他的大女兒普小梅")
    assert [(col, code) for col, code, _ in find_private(line, set())] == [(5, "E505")]
