"""PDF/X press files: output intent, version keys, X-1a without RGB, ink, ticket, determinism.

Builds of the sample booklets are shared through module-scoped fixtures and marked ``slow``.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageCms
from pypdf import PdfReader, PdfWriter
from pypdf.generic import BooleanObject, DecodedStreamObject, NameObject, NumberObject

from generators.booklet import pdfxchecks
from generators.booklet.images import prepare
from generators.booklet.pdfinspect import scan_pages
from generators.booklet.pdfx import MAX_INK, PROFILE_PATH, STANDARDS, ProfileMissing, press_profile
from generators.booklet.report import Preflight
from generators.cache import Store
from tests.test_booklet import copy_project, lamplight, sha

SLUG = "cha-ye-yu-shi-jun"
slow = pytest.mark.slow


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(tmp_path_factory.mktemp("pdfx-project"))


def _build(project: Path, out: str, *options: str) -> Path:
    target = project / "dist" / out
    code, output = lamplight(
        "booklet", SLUG, "--root", str(project), "--out", str(target), *options
    )
    assert code == 0, output
    return target / SLUG


@pytest.fixture(scope="module")
def x4(project: Path) -> Path:
    """The default build (PDF/X-4)."""
    return _build(project, "x4")


@pytest.fixture(scope="module")
def x1a(project: Path) -> Path:
    """The same booklet with ``--pdf-x 1a``."""
    return _build(project, "x1a", "--pdf-x", "1a")


def _images(pdf: Path) -> list[list[str]]:
    """The rows of ``pdfimages -list`` (page, num, type, width, height, color, comp, …)."""
    listing = subprocess.run(
        ["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    return [line.split() for line in listing.splitlines()[2:] if line.strip()]


@slow
@pytest.mark.parametrize(
    ("which", "version", "header"), [("x4", "PDF/X-4", "1.6"), ("x1a", "PDF/X-1a:2003", "1.4")]
)
def test_press_pdf_carries_cmyk_output_intent_and_version_keys(
    request: pytest.FixtureRequest, which: str, version: str, header: str
) -> None:
    folder: Path = request.getfixturevalue(which)
    reader = PdfReader(folder / f"{SLUG}-press.pdf")
    assert reader.pdf_header == f"%PDF-{header}"
    root = reader.trailer["/Root"]
    intents = [i.get_object() for i in root["/OutputIntents"]]
    assert len(intents) == 1 and intents[0]["/S"] == "/GTS_PDFX"
    profile = intents[0]["/DestOutputProfile"].get_object()
    assert profile["/N"] == 4
    data = profile.get_data()
    assert data == PROFILE_PATH.read_bytes()
    assert ImageCms.ImageCmsProfile(io.BytesIO(data)).profile.xcolor_space.strip() == "CMYK"
    assert intents[0]["/OutputConditionIdentifier"] == "FOGRA39"
    assert intents[0]["/OutputCondition"].startswith("Coated FOGRA39")
    info = reader.trailer["/Info"].get_object()
    assert info["/GTS_PDFXVersion"] == version
    assert info["/Trapped"] == "/False"
    xmp = root["/Metadata"].get_object().get_data()
    assert f"<pdfxid:GTS_PDFXVersion>{version}</pdfxid:GTS_PDFXVersion>".encode() in xmp
    for page in reader.pages:  # boxes as before
        assert "/TrimBox" in page and "/BleedBox" in page
    # The office booklet is not a PDF/X file.
    a4 = PdfReader(folder / f"{SLUG}-a4-booklet.pdf")
    assert "/OutputIntents" not in a4.trailer["/Root"]


@slow
def test_x1a_has_no_rgb_image_and_x4_tags_photos_srgb(x4: Path, x1a: Path) -> None:
    rows = _images(x1a / f"{SLUG}-press.pdf")
    assert rows and all(row[5] in {"cmyk", "gray"} for row in rows), rows
    assert any(row[5] == "cmyk" and row[6] == "4" for row in rows)
    tagged = _images(x4 / f"{SLUG}-press.pdf")
    assert len(tagged) == len(rows)
    assert all(row[5] == "icc" and row[6] == "3" for row in tagged if row[5] != "gray"), tagged
    assert all(row[9] == "no" for row in rows + tagged)  # no interpolation (PDF/X)


@slow
def test_preflight_reports_the_pdfx_checks(x4: Path, x1a: Path) -> None:
    report = (x4 / f"{SLUG}-preflight.txt").read_text("utf-8")
    assert re.search(r"^OK\s+输出意图：CMYK 输出意图（N=4）：FOGRA39（Coated FOGRA39", report, re.M)
    assert re.search(r"^OK\s+PDF/X 标准：PDF/X-4（", report, re.M)
    assert re.search(r"^OK\s+陷印标记：Trapped = False", report, re.M)
    assert re.search(r"^OK\s+图片插值：没有图片要求插值", report, re.M)
    ink = re.search(r"^OK\s+总墨量：(\d+) 张照片总墨量最高 (\d+)%", report, re.M)
    assert ink and int(ink.group(1)) > 0 and 200 < int(ink.group(2)) <= MAX_INK
    assert "Pillow" in report and "RGB 图片" not in report
    assert "结果：通过（FAIL 0 项，WARN 0 项" in report
    report = (x1a / f"{SLUG}-preflight.txt").read_text("utf-8")
    assert re.search(r"^OK\s+PDF/X 标准：PDF/X-1a:2003（", report, re.M)
    assert re.search(r"^OK\s+RGB 图片：没有 RGB 图片", report, re.M)
    assert re.search(r"^OK\s+总墨量：", report, re.M)


@slow
def test_pdfx_checks_fail_on_a_plain_pdf(x4: Path) -> None:
    """Without output intent, version key and Trapped, and with an RGB image in X-1a: FAIL."""
    writer = PdfWriter(clone_from=PdfReader(x4 / f"{SLUG}-press.pdf"))
    del writer._root_object[NameObject("/OutputIntents")]
    info = writer._info.get_object()  # type: ignore[union-attr]
    del info[NameObject("/GTS_PDFXVersion")]
    del info[NameObject("/Trapped")]
    buffer = io.BytesIO()
    writer.write(buffer)
    reader = PdfReader(buffer)
    report = Preflight("t", "t")
    assert pdfxchecks.check_pdfx(report, reader, STANDARDS["4"]) is None
    failed = {f.check for f in report.findings if f.level == "FAIL"}
    assert failed == {"输出意图", "PDF/X 标准", "陷印标记"}
    report = Preflight("t", "t")
    images = pdfxchecks.image_objects(reader, scan_pages(reader))
    assert images[0][0] > 1  # the page that draws it (the cover has no photo)
    pdfxchecks.check_rgb_images(report, images, STANDARDS["1a"])
    assert [f.level for f in report.findings] == ["FAIL"]
    report = Preflight("t", "t")
    images[0][1][NameObject("/Interpolate")] = BooleanObject(True)
    pdfxchecks.check_interpolation(report, images)
    assert [f.level for f in report.findings] == ["FAIL"]


def _cmyk_image(fill: tuple[int, int, int, int]) -> DecodedStreamObject:
    """A CMYK JPEG image XObject, as WeasyPrint writes one."""
    buffer = io.BytesIO()
    Image.new("CMYK", (40, 30), fill).save(buffer, "JPEG", quality=95)
    image = DecodedStreamObject()
    image._data = buffer.getvalue()
    for name, value in (
        ("/Subtype", "/Image"),
        ("/ColorSpace", "/DeviceCMYK"),
        ("/Filter", "/DCTDecode"),
    ):
        image[NameObject(name)] = NameObject(value)
    image[NameObject("/Width")] = NumberObject(40)
    return image


def test_total_ink_over_300_percent_fails(tmp_path: Path) -> None:
    rich = _cmyk_image((255, 255, 255, 255))  # 400 %
    light = _cmyk_image((128, 64, 0, 0))  # about 75 %
    report = Preflight("t", "t")
    pdfxchecks.check_ink(report, [(3, rich), (5, light)], None, Store(tmp_path))
    (finding,) = report.findings
    assert (
        finding.level == "FAIL" and "第 3 页" in finding.detail and "第 5 页" not in finding.detail
    )
    assert "最高 400%" in finding.detail
    report = Preflight("t", "t")
    pdfxchecks.check_ink(report, [(5, light)], None, Store(tmp_path))
    assert report.findings[0].level == "OK" and "最高 75%" in report.findings[0].detail


def test_rgb_black_through_the_profile_stays_under_300_percent() -> None:
    profile = press_profile()
    black = Image.new("RGB", (8, 8), (0, 0, 0))
    value = pdfxchecks.ink_coverage(black, profile.data)
    assert value is not None and 250 < value <= MAX_INK
    assert pdfxchecks.ink_coverage(Image.new("L", (4, 4)), profile.data) is None


def test_x1a_photos_are_converted_to_cmyk_and_cached(tmp_path: Path) -> None:
    source = tmp_path / "photo.jpg"
    Image.new("RGB", (1600, 1200), (200, 60, 40)).save(source)
    cache = tmp_path / "cache"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    profile = press_profile()
    rgb = prepare(source, "测试", tmp_path / "a", 120, 90, Store(cache))
    cmyk = prepare(source, "测试", tmp_path / "a", 120, 90, Store(cache), profile)
    with Image.open(rgb.path) as a, Image.open(cmyk.path) as b:
        assert (a.mode, b.mode) == ("RGB", "CMYK")
        c, m, y, k = b.getpixel((10, 10))  # type: ignore[misc]
        assert m > 150 and y > 150 and c < 60  # a red stays red
    assert len(list(cache.glob("photo-*.jpg"))) == 2
    again = prepare(source, "测试", tmp_path / "b", 120, 90, Store(cache), profile)
    assert again.path.read_bytes() == cmyk.path.read_bytes()
    assert len(list(cache.glob("photo-*.jpg"))) == 2


@slow
def test_x1a_rebuild_is_byte_identical(project: Path, x1a: Path) -> None:
    again = _build(project, "x1a-again", "--pdf-x", "1a")
    for name in (f"{SLUG}-press.pdf", f"{SLUG}-a4-booklet.pdf", f"{SLUG}-ticket.json"):
        assert sha(again / name) == sha(x1a / name), name


@slow
def test_ticket_names_standard_and_profile(x4: Path, x1a: Path) -> None:
    data = json.loads((x4 / f"{SLUG}-ticket.json").read_text("utf-8"))
    assert data["pdf_x"]["standard"] == "PDF/X-4"
    assert data["pdf_x"]["output_intent"].startswith("Coated FOGRA39")
    assert data["pdf_x"]["profile_file"] == PROFILE_PATH.name
    assert "FOGRA39L" in data["pdf_x"]["source"] and "Zlib" in data["pdf_x"]["source"]
    text = (x4 / f"{SLUG}-ticket.txt").read_text("utf-8")
    assert "标准：PDF/X-4，输出意图 Coated FOGRA39" in text
    text = (x1a / f"{SLUG}-ticket.txt").read_text("utf-8")
    assert (
        "标准：PDF/X-1a:2003" in text
        and "照片已按 Coated FOGRA39 (ISO 12647-2:2004/Amd 1), TAC 300% 转为 CMYK" in text
    )


def test_unknown_pdf_x_value_is_refused() -> None:
    code, output = lamplight("booklet", "--pdf-x", "3")
    assert code != 0
    assert "--pdf-x 只能是 4 或 1a" in output and "Traceback" not in output


def test_missing_profile_is_a_chinese_message(tmp_path: Path) -> None:
    with pytest.raises(ProfileMissing, match="随程序一起安装"):
        press_profile(tmp_path / "missing.icc")
    rgb = tmp_path / "rgb.icc"
    rgb.write_bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    with pytest.raises(ProfileMissing, match="不是 CMYK"):
        press_profile(rgb)
