"""Printable booklets: press PDF, A4 imposition, ticket, preflight, refusals, determinism.

Expensive builds are shared through module-scoped fixtures; the whole module runs in
well under a minute and a half.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from typer.testing import CliRunner

from generators.booklet.images import prepare
from generators.booklet.impose import (
    A4_H,
    A4_W,
    INSTRUCTION_PAGES,
    OFFICE_MARGIN,
    impose,
    sheet_order,
)
from generators.booklet.layout import MM
from generators.cli import app

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ("cha-ye-yu-shi-jun", "yang-zhi-da-zi-ban")
TOL = 0.1  # pt


# ---------------------------------------------------------------------- helpers


def copy_project(dest: Path) -> Path:
    for name in ("content", "showcases", "skills_library"):
        shutil.copytree(ROOT / name, dest / name)
    if (ROOT / "mkdocs.yml").exists():
        shutil.copy2(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


def lamplight(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class Word:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


def words_by_page(pdf: Path) -> list[list[Word]]:
    """Words with boxes (top-left origin, pt) per page, from ``pdftotext -bbox``."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pages = []
    for chunk in out.split("<page ")[1:]:
        pages.append(
            [
                Word(float(a), float(b), float(c), float(d), t)
                for a, b, c, d, t in re.findall(
                    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
                    chunk,
                )
            ]
        )
    return pages


def halves(
    words: list[Word], trim_w: float, trim_h: float, strip_mm: float | None
) -> tuple[str, str]:
    """Text of the left and right half of an imposed A4 side (optionally only the folio strip)."""
    half_w = A4_W / 2
    scale = min((half_w - 2 * OFFICE_MARGIN) / trim_w, (A4_H - 2 * OFFICE_MARGIN) / trim_h)
    bottom = A4_H - (A4_H - trim_h * scale) / 2  # trim bottom, measured from the top
    result = []
    for half in (0, 1):
        picked = []
        for w in words:
            cx, cy = (w.x0 + w.x1) / 2, (w.y0 + w.y1) / 2
            if not half * half_w <= cx < (half + 1) * half_w:
                continue
            if strip_mm is not None and not bottom - strip_mm * MM * scale <= cy <= bottom:
                continue
            picked.append(w.text)
        result.append(" ".join(picked))
    return result[0], result[1]


def expected_sides(n: int) -> list[tuple[int, int]]:
    sides = []
    for s in range(n // 4):
        sides += [(n - 2 * s, 1 + 2 * s), (2 + 2 * s, n - 1 - 2 * s)]
    return sides


def small_booklet(root: Path, slug: str, showcase: str, extra: str = "") -> None:
    (root / "content" / "booklets" / f"{slug}.yaml").write_text(
        f"id: {slug}\ntitle: 测试小册子\nshowcases: [{showcase}]\ncontact_page: false\n{extra}",
        "utf-8",
    )


# ---------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(tmp_path_factory.mktemp("booklet-project"))


@pytest.fixture(scope="module")
def built(project: Path) -> dict[str, Path]:
    """Both sample booklets, built once through the CLI."""
    out = project / "dist" / "booklets"
    code, output = lamplight("booklet", "--root", str(project), "--out", str(out))
    assert code == 0, output
    return {slug: out / slug for slug in SAMPLES}


@pytest.fixture(scope="module")
def hant_text(built: dict[str, Path]) -> str:
    pdf = built["yang-zhi-da-zi-ban"] / "yang-zhi-da-zi-ban-press.pdf"
    return subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


# ---------------------------------------------------------------------- sample booklets


def test_sample_booklets_exist() -> None:
    for slug in SAMPLES:
        assert (ROOT / "content" / "booklets" / f"{slug}.yaml").exists()


@pytest.mark.parametrize("slug", SAMPLES)
def test_all_files_written_and_preflight_passes(built: dict[str, Path], slug: str) -> None:
    folder = built[slug]
    names = {p.name for p in folder.iterdir()}
    assert names == {
        f"{slug}-press.pdf",
        f"{slug}-a4-booklet.pdf",
        f"{slug}-ticket.json",
        f"{slug}-ticket.txt",
        f"{slug}-preflight.txt",
    }
    report = (folder / f"{slug}-preflight.txt").read_text("utf-8")
    assert "FAIL 0 项" in report
    assert not re.search(r"^FAIL", report, re.M)
    for check in ("页数", "出血", "字体", "图片分辨率", "文字离裁切线", "缺字"):
        assert check in report
    # No half-written temporary folders are left behind.
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("slug", SAMPLES)
def test_press_pdf_geometry(built: dict[str, Path], slug: str) -> None:
    reader = PdfReader(built[slug] / f"{slug}-press.pdf")
    assert len(reader.pages) % 4 == 0
    trim_w, trim_h = 148 * MM, 210 * MM  # both samples are A5
    for page in reader.pages:
        trim, media, bleed = page.trimbox, page.mediabox, page.bleedbox
        assert abs(float(trim.width) - trim_w) < TOL
        assert abs(float(trim.height) - trim_h) < TOL
        assert abs(float(media.width) - (trim_w + 6 * MM)) < TOL
        assert abs(float(media.height) - (trim_h + 6 * MM)) < TOL
        assert abs(float(media.left) - (float(trim.left) - 3 * MM)) < TOL
        assert abs(float(media.bottom) - (float(trim.bottom) - 3 * MM)) < TOL
        assert [round(float(v), 2) for v in bleed] == [round(float(v), 2) for v in media]


@pytest.mark.parametrize("slug", SAMPLES)
def test_fonts_embedded_subsets_no_type3(built: dict[str, Path], slug: str) -> None:
    for name in (f"{slug}-press.pdf", f"{slug}-a4-booklet.pdf"):
        out = subprocess.run(
            ["pdffonts", str(built[slug] / name)], capture_output=True, text=True, check=True
        )
        rows = out.stdout.splitlines()[2:]
        assert rows
        for row in rows:
            assert "Type 3" not in row
            cells = row.split()
            emb, sub = cells[-5], cells[-4]
            assert (emb, sub) == ("yes", "yes"), row


def test_script_decides_fonts_and_words(built: dict[str, Path], hant_text: str) -> None:
    fonts_hant = subprocess.run(
        ["pdffonts", str(built["yang-zhi-da-zi-ban"] / "yang-zhi-da-zi-ban-press.pdf")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "CJK-TC" in fonts_hant and "CJK-SC" not in fonts_hant
    fonts_hans = subprocess.run(
        ["pdffonts", str(built["cha-ye-yu-shi-jun"] / "cha-ye-yu-shi-jun-press.pdf")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "CJK-SC" in fonts_hans and "CJK-TC" not in fonts_hans
    # Content, labels, TOC and colophon all in Traditional.
    for word in ("養殖", "養豬", "目錄", "技術教程", "版權頁", "內容版本", "服務"):
        assert word in hant_text, word
    for word in ("养殖", "养猪", "目录", "技术教程", "版权页", "内容版本"):
        assert word not in hant_text, word
    hans_text = subprocess.run(
        ["pdftotext", str(built["cha-ye-yu-shi-jun"] / "cha-ye-yu-shi-jun-press.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "目录" in hans_text and "目錄" not in hans_text


def test_press_pdf_is_cmyk_black_text(built: dict[str, Path]) -> None:
    report = (built["cha-ye-yu-shi-jun"] / "cha-ye-yu-shi-jun-preflight.txt").read_text("utf-8")
    assert re.search(r"^OK\s+文字颜色", report, re.M)
    assert re.search(r"^OK\s+透明", report, re.M)


def test_ticket(built: dict[str, Path]) -> None:
    folder = built["cha-ye-yu-shi-jun"]
    data = json.loads((folder / "cha-ye-yu-shi-jun-ticket.json").read_text("utf-8"))
    reader = PdfReader(folder / "cha-ye-yu-shi-jun-press.pdf")
    assert data["pages"] == len(reader.pages)
    assert data["trim"] == {"name": "A5", "width_mm": 148, "height_mm": 210}
    assert data["bleed_mm"] == 3
    assert "骑马钉" in data["binding"]
    assert data["quantity"] == 2000
    assert data["files"]["印刷文件"]["sha256"] == sha(folder / "cha-ye-yu-shi-jun-press.pdf")
    assert data["files"]["A4 打印文件"]["sha256"] == sha(
        folder / "cha-ye-yu-shi-jun-a4-booklet.pdf"
    )
    assert re.fullmatch(r"[0-9a-f]{12}", data["content_version"])
    text = (folder / "cha-ye-yu-shi-jun-ticket.txt").read_text("utf-8")
    assert "148 × 210 mm" in text and data["files"]["印刷文件"]["sha256"] in text


def test_large_print_edition(built: dict[str, Path]) -> None:
    from generators.booklet.layout import FONT_SIZES

    assert FONT_SIZES["large_print"]["body"] >= 16
    assert min(v for k, v in FONT_SIZES["large_print"].items() if k != "folio") >= 16
    assert 10.5 <= FONT_SIZES["standard"]["body"] <= 11

    # Measured: body words in the large-print PDF are taller than in the standard one.
    def median_height(pdf: Path) -> float:
        heights = sorted(w.y1 - w.y0 for page in words_by_page(pdf)[4:-2] for w in page)
        return heights[len(heights) // 2]

    large = median_height(built["yang-zhi-da-zi-ban"] / "yang-zhi-da-zi-ban-press.pdf")
    standard = median_height(built["cha-ye-yu-shi-jun"] / "cha-ye-yu-shi-jun-press.pdf")
    assert large / standard > 1.4


# ---------------------------------------------------------------------- A4 imposition


@pytest.mark.parametrize("slug", SAMPLES)
def test_a4_booklet_saddle_stitch_order(built: dict[str, Path], slug: str) -> None:
    press = PdfReader(built[slug] / f"{slug}-press.pdf")
    n = len(press.pages)
    a4_path = built[slug] / f"{slug}-a4-booklet.pdf"
    a4 = PdfReader(a4_path)
    assert len(a4.pages) == n // 2 + INSTRUCTION_PAGES
    for page in a4.pages:
        assert abs(float(page.mediabox.width) - A4_W) < TOL
        assert abs(float(page.mediabox.height) - A4_H) < TOL
    pages = words_by_page(a4_path)
    assert re.search("打印说明|打印說明", " ".join(w.text for w in pages[0]))
    title = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(built[slug] / f"{slug}-press.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()[1][:3]
    for index, (left, right) in enumerate(expected_sides(n)):
        words = pages[INSTRUCTION_PAGES + index]
        folios = halves(words, 148 * MM, 210 * MM, strip_mm=16)
        full = halves(words, 148 * MM, 210 * MM, strip_mm=None)
        for number, folio, text in zip((left, right), folios, full, strict=True):
            if number == 1:
                assert title in text  # the front cover
            elif number == n:
                assert re.search("免费赠阅|免費贈閱", text)  # the back cover
            else:
                assert folio.split() == [str(number)], (index, number, folio)


def _synthetic_press(n: int) -> bytes:
    from weasyprint import HTML

    body = "".join(
        f'<p style="break-before: page; font-size: 40pt; text-align: center">{k}</p>'
        for k in range(1, n + 1)
    )
    html = (
        '<html lang="zh-CN"><style>@page { size: 148mm 210mm; bleed: 3mm; margin: 20mm }'
        'body { font-family: "Noto Sans CJK SC" } p:first-child { break-before: auto }</style>'
        f"<body>{body}</body></html>"
    )
    pdf = HTML(string=html).write_pdf()
    assert pdf is not None
    return pdf


@pytest.mark.parametrize("n", [8, 12, 24])
def test_imposition_order_synthetic(tmp_path: Path, n: int) -> None:
    assert sheet_order(n) == expected_sides(n)
    assert sheet_order(8)[:2] == [(8, 1), (2, 7)]
    path = tmp_path / "a4.pdf"
    path.write_bytes(impose(_synthetic_press(n)))
    pages = words_by_page(path)
    assert len(pages) == n // 2
    for index, (left, right) in enumerate(expected_sides(n)):
        got = halves(pages[index], 148 * MM, 210 * MM, strip_mm=None)
        assert got == (str(left), str(right)), (index, got)


def test_imposition_rejects_wrong_page_count() -> None:
    with pytest.raises(ValueError):
        sheet_order(10)


# ---------------------------------------------------------------------- determinism


def test_two_builds_are_byte_identical(project: Path, built: dict[str, Path]) -> None:
    slug = "cha-ye-yu-shi-jun"
    out = project / "dist" / "again"
    code, output = lamplight("booklet", slug, "--root", str(project), "--out", str(out))
    assert code == 0, output
    for name in (
        f"{slug}-press.pdf",
        f"{slug}-a4-booklet.pdf",
        f"{slug}-ticket.json",
        f"{slug}-preflight.txt",
    ):
        assert sha(out / slug / name) == sha(built[slug] / name), name


# ---------------------------------------------------------------------- refusals and FAILs


@pytest.fixture(scope="module")
def bad_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("booklet-bad"))
    for path in (root / "content" / "booklets").glob("*.yaml"):
        path.unlink()
    return root


def test_refuses_showcase_without_print_consent(bad_project: Path) -> None:
    small_booklet(bad_project, "web-only", "xiang-da-sao-xiang-gu")
    code, output = lamplight(
        "booklet", "web-only", "--root", str(bad_project), "--out", str(bad_project / "d")
    )
    assert code != 0
    assert "xiang-da-sao-xiang-gu" in output and "印刷" in output
    assert not (bad_project / "d" / "web-only").exists()


def test_refuses_unpublished_showcase(bad_project: Path) -> None:
    small_booklet(bad_project, "draft-one", "yang-da-sao-zhong-feng")
    code, output = lamplight(
        "booklet", "draft-one", "--root", str(bad_project), "--out", str(bad_project / "d")
    )
    assert code != 0
    assert "yang-da-sao-zhong-feng" in output and "没有发布" in output


def test_low_resolution_photo_fails(bad_project: Path) -> None:
    photo = next((bad_project / "showcases" / "liu-da-ge-yang-zhu" / "photos").glob("*.jpg"))
    Image.new("RGB", (300, 200), (120, 160, 90)).save(photo, dpi=(72, 72))
    small_booklet(bad_project, "low-res", "liu-da-ge-yang-zhu")
    code, output = lamplight(
        "booklet", "low-res", "--root", str(bad_project), "--out", str(bad_project / "d")
    )
    assert code != 0
    assert "图片分辨率" in output and "ppi" in output
    assert "showcases/liu-da-ge-yang-zhu/showcase.yaml" in output and photo.name in output
    report = (bad_project / "d" / "low-res" / "low-res-preflight.txt").read_text("utf-8")
    assert re.search(r"^FAIL\s+图片分辨率", report, re.M)
    assert not (bad_project / "d" / "low-res" / "low-res-ticket.json").exists()


def test_character_outside_font_fails(bad_project: Path) -> None:
    story = bad_project / "showcases" / "bai-da-ge-tu-dou" / "story.md"
    story.write_text(story.read_text("utf-8") + "\n\n罕见字：\U00031350 和 \U0010fffd。\n", "utf-8")
    small_booklet(bad_project, "tofu", "bai-da-ge-tu-dou")
    code, output = lamplight(
        "booklet", "tofu", "--root", str(bad_project), "--out", str(bad_project / "d")
    )
    assert code != 0
    assert "缺字" in output and "U+31350" in output and "U+10FFFD" in output
    assert "showcases/bai-da-ge-tu-dou/showcase.yaml" in output


def test_crop_marks_enlarge_media_box_only(bad_project: Path) -> None:
    Image.new("RGB", (1800, 1200), (30, 90, 40)).save(
        bad_project / "content" / "booklets" / "cover.jpg"
    )
    small_booklet(
        bad_project, "marks", "zhou-jia-mi-hou-tao", extra="trim: 16开\ncover_image: cover.jpg\n"
    )
    out = bad_project / "m"
    code, output = lamplight(
        "booklet", "marks", "--marks", "--root", str(bad_project), "--out", str(out)
    )
    assert code == 0, output
    reader = PdfReader(out / "marks" / "marks-press.pdf")
    assert len(reader.pages) % 4 == 0
    for page in reader.pages:
        trim, bleed, media = page.trimbox, page.bleedbox, page.mediabox
        assert abs(float(trim.width) - 185 * MM) < TOL and abs(float(trim.height) - 260 * MM) < TOL
        assert abs(float(bleed.width) - 191 * MM) < TOL
        assert float(media.width) > float(bleed.width) + 10 * MM
    assert "FAIL 0 项" in (out / "marks" / "marks-preflight.txt").read_text("utf-8")


# ---------------------------------------------------------------------- photos


def test_photo_metadata_stripped_and_downscaled(tmp_path: Path) -> None:
    source = tmp_path / "gps.jpg"
    image = Image.new("RGB", (4000, 3000), (200, 100, 50))
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"
    exif[0x8825] = {1: "N", 2: (26.0, 22.0, 1.0)}  # GPS IFD
    image.save(source, exif=exif, comment=b"secret")
    assert Image.open(source).getexif()
    placed = prepare(source, "测试", tmp_path, 120, 90)
    with Image.open(placed.path) as cleaned:
        assert not cleaned.getexif()
        assert (
            "exif" not in cleaned.info
            and "comment" not in cleaned.info
            and "icc_profile" not in cleaned.info
        )
        assert cleaned.width < 4000
    assert 290 <= placed.ppi <= 320
    raw = placed.path.read_bytes()
    assert b"CameraMaker" not in raw and b"secret" not in raw
    assert isinstance(io.BytesIO(raw).read(2), bytes)


def test_dates_follow_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    from generators.booklet.render import content_date
    from generators.booklet.select import select
    from generators.catalogue import load_or_raise

    cat = load_or_raise(ROOT)
    booklet = cat.booklets["cha-ye-yu-shi-jun"]
    selection = select(cat, booklet)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    derived = content_date(cat, booklet, selection)
    assert derived == content_date(cat, booklet, selection)  # from the content, not the clock
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert content_date(cat, booklet, selection).isoformat() == "2023-11-14"
