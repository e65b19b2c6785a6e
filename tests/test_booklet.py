"""Printable booklets: press PDF, A4 imposition, ticket, preflight, refusals, determinism.

Expensive builds are shared through module-scoped fixtures; every test that renders a
booklet with WeasyPrint is marked ``slow``.
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

from generators.booklet.assets import STORE
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
from generators.booklet.render import Press, notes_pages, page_text
from generators.cache import CACHE_DIR, Store
from generators.cli import app

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ("cha-ye-yu-shi-jun", "yang-zhi-da-zi-ban")
TOL = 0.1  # pt
slow = pytest.mark.slow


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


@slow
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


@slow
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


@slow
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


@slow
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


@slow
def test_press_pdf_is_cmyk_black_text(built: dict[str, Path]) -> None:
    report = (built["cha-ye-yu-shi-jun"] / "cha-ye-yu-shi-jun-preflight.txt").read_text("utf-8")
    assert re.search(r"^OK\s+文字颜色", report, re.M)
    assert re.search(r"^OK\s+透明", report, re.M)


@slow
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


@slow
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


@slow
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
    for index, (left, right) in enumerate(sheet_order(n)):
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


def _read_folded(sides: list[tuple[int, int]]) -> list[int]:
    """The page order of the stacked, folded sheets (printed duplex, flipped on the short edge).

    Sheet ``s`` is sides ``2s`` (front) and ``2s + 1`` (back); sheet 0 is the outermost. The
    right half of a front backs onto the left half of its back, and the other way round.
    """
    sheets = [(sides[i], sides[i + 1]) for i in range(0, len(sides), 2)]
    first_half = [page for front, back in sheets for page in (front[1], back[0])]
    second_half = [page for front, back in reversed(sheets) for page in (back[1], front[0])]
    return first_half + second_half


@pytest.mark.parametrize("n", [4, 8, 12, 16, 24, 40, 64])
def test_sheet_order_is_a_saddle_stitch(n: int) -> None:
    sides = sheet_order(n)
    assert len(sides) == n // 2  # n / 4 sheets, a front and a back each
    pages = [page for side in sides for page in side]
    assert sorted(pages) == list(range(1, n + 1))  # every page exactly once
    assert all(left + right == n + 1 for left, right in sides)  # facing pages of one fold
    fronts, backs = sides[0::2], sides[1::2]
    # Fronts and backs alternate: a front carries an odd (recto) page on its right half,
    # the back of the same sheet the following even page on its left half, behind it.
    for front, back in zip(fronts, backs, strict=True):
        assert front[1] % 2 == 1 and back[0] == front[1] + 1
        assert back[1] % 2 == 1 and front[0] == back[1] + 1
    # Outermost sheet first: it holds the covers.
    assert fronts[0] == (n, 1)
    assert _read_folded(sides) == list(range(1, n + 1))


@pytest.mark.parametrize("count", range(1, 26))
def test_notes_pages_pad_to_a_multiple_of_four(count: int) -> None:
    pad = notes_pages(count)
    assert 0 <= pad < 4 and (count + pad) % 4 == 0
    sheet_order(count + pad)  # accepted by the imposition


@slow
@pytest.mark.parametrize("n", [8, 12])
def test_imposition_places_pages_as_sheet_order_says(tmp_path: Path, n: int) -> None:
    path = tmp_path / "a4.pdf"
    path.write_bytes(impose(_synthetic_press(n)))
    pages = words_by_page(path)
    assert len(pages) == n // 2
    for index, (left, right) in enumerate(sheet_order(n)):
        got = halves(pages[index], 148 * MM, 210 * MM, strip_mm=None)
        assert got == (str(left), str(right)), (index, got)


def test_imposition_rejects_wrong_page_count() -> None:
    for n in (2, 10, 13):
        with pytest.raises(ValueError):
            sheet_order(n)


# ---------------------------------------------------------------------- determinism


@slow
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


@slow
def test_refuses_showcase_without_print_consent(bad_project: Path) -> None:
    small_booklet(bad_project, "web-only", "xiang-da-sao-xiang-gu")
    code, output = lamplight(
        "booklet", "web-only", "--root", str(bad_project), "--out", str(bad_project / "d")
    )
    assert code != 0
    assert "xiang-da-sao-xiang-gu" in output and "印刷" in output
    assert not (bad_project / "d" / "web-only").exists()


@slow
def test_refuses_unpublished_showcase(bad_project: Path) -> None:
    small_booklet(bad_project, "draft-one", "yang-da-sao-zhong-feng")
    code, output = lamplight(
        "booklet", "draft-one", "--root", str(bad_project), "--out", str(bad_project / "d")
    )
    assert code != 0
    assert "yang-da-sao-zhong-feng" in output and "没有发布" in output


@slow
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


@slow
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


@slow
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


def test_site_url_comes_from_mkdocs_yml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Links and QR codes in booklets point at mkdocs.yml's ``site_url`` (``!ENV`` resolved)."""
    from generators.urls import DEFAULT_SITE_URL, site_url

    assert site_url(ROOT) == "https://lamplight.example.org/"
    assert site_url(tmp_path) == DEFAULT_SITE_URL  # no mkdocs.yml
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\nsite_url: !ENV [LAMPLIGHT_TEST_URL, 'https://a.example/b']\n"
        "markdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n",
        "utf-8",
    )
    monkeypatch.delenv("LAMPLIGHT_TEST_URL", raising=False)
    assert site_url(tmp_path) == "https://a.example/b/"
    monkeypatch.setenv("LAMPLIGHT_TEST_URL", "https://c.example/")
    assert site_url(tmp_path) == "https://c.example/"


def test_dates_follow_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    from generators.booklet.context import content_date
    from generators.booklet.select import select
    from generators.content import load_or_raise

    cat = load_or_raise(ROOT)
    booklet = cat.booklets["cha-ye-yu-shi-jun"]
    selection = select(cat, booklet)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    derived = content_date(cat, booklet, selection)
    assert derived == content_date(cat, booklet, selection)  # from the content, not the clock
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert content_date(cat, booklet, selection).isoformat() == "2023-11-14"


# ---------------------------------------------------------------------- preflight internals


def _press_for(html: str, tmp_path: Path) -> tuple[Press, Path]:
    """Render ``html`` as a one-booklet press PDF and return (Press, path) for preflight."""
    from weasyprint import HTML

    from generators.booklet.layout import TRIMS

    doc = HTML(string=html, base_url=tmp_path.as_uri() + "/").render()
    pdf = doc.write_pdf()
    assert pdf is not None
    path = tmp_path / "press.pdf"
    path.write_bytes(pdf)
    press = Press(
        pdf=pdf,
        pages=len(doc.pages),
        notes_pages=0,
        page_items={},
        images=[],
        item_texts={},
        weasy_warnings=[],
        trim=TRIMS["A5"],
        marks=False,
        html=html,
        texts=[page_text(page) for page in doc.pages],
    )
    return press, path


def _pdftotext_gaps(path: Path) -> list[float | None]:
    """Per page, the smallest distance (mm) of a pdftotext word box to the TrimBox."""
    reader = PdfReader(path)
    gaps: list[float | None] = []
    for words, page in zip(words_by_page(path), reader.pages, strict=True):
        cx0, _, _, cy1 = (float(v) for v in page.cropbox)
        tx0, ty0, tx1, ty1 = (float(v) for v in page.trimbox)
        left, right, top, bottom = tx0 - cx0, tx1 - cx0, cy1 - ty1, cy1 - ty0
        found = [
            min(w.x0 - left, right - w.x1, w.y0 - top, bottom - w.y1) / MM
            for w in words
            if w.text.strip()
        ]
        gaps.append(min(found) if found else None)
    return gaps


SYNTHETIC_HEAD = (
    '<html lang="zh-CN"><style>@page { size: 148mm 210mm; bleed: 3mm; margin: 20mm }'
    'body { font-family: "Noto Serif CJK SC"; font-size: 10.5pt; color: device-cmyk(0 0 0 1) }'
    "p { margin: 0 }</style><body>"
)


@slow
def test_preflight_reads_images_text_and_transparency_from_the_pdf(tmp_path: Path) -> None:
    from generators.booklet import preflight as pf

    Image.new("RGBA", (300, 200), (200, 40, 40, 128)).save(tmp_path / "alpha.png")
    Image.new("RGB", (1800, 1200), (40, 120, 40)).save(tmp_path / "sharp.jpg")
    html = SYNTHETIC_HEAD + (
        '<p>第一页的正文。</p><img src="sharp.jpg" style="width:120mm;height:80mm">'
        '<p style="position:absolute; bottom:-18mm; left:0">贴近裁切线的字</p>'
        '<p style="break-before:page">第二页</p>'
        '<img src="alpha.png" style="width:50mm;height:33.33mm">'
        '<p style="opacity:0.5">半透明的字</p>'
        "<p style='break-before:page'>第三页</p><p style='break-before:page'>第四页</p>"
    )
    press, path = _press_for(html, tmp_path)
    report = pf.run(
        path.read_bytes(),
        press,
        slug="t",
        title="测试",
        script="hans",
        notes=[],
    )
    text = report.text()
    # Effective resolution from the drawing matrix, as pdfimages computes it.
    listed = subprocess.run(
        ["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    ppis = sorted(int(row.split()[12]) for row in listed if row.split()[2] == "image")
    assert ppis == [152, 381]
    assert re.search(r"^WARN\s+图片分辨率：.*第 2 页的图片.*300×200 像素，实际 152 ppi", text, re.M)
    assert "381" not in text  # the sharp photo is fine
    # The PNG's alpha channel (soft mask) and the opacity are both found.
    assert re.search(r"^FAIL\s+透明：第 2 页的图片带透明通道", text, re.M)
    assert re.search(r"^FAIL\s+透明：第 2 页用了透明效果", text, re.M)
    # Text 2 mm from the trim on page 1, measured as pdftotext measures it.
    assert re.search(r"^FAIL\s+文字离裁切线：.*第 1 页（）[12]\.\d mm", text, re.M)
    for ours, theirs in zip(
        [t.nearest_mm for t in press.texts],
        _pdftotext_gaps(path),
        strict=True,
    ):
        assert ours is not None and theirs is not None
        assert abs(ours - theirs) < 0.05
    assert report.failed


@slow
def test_page_text_matches_the_pdf_text_layer(built: dict[str, Path], project: Path) -> None:
    """The page texts preflight checks equal what pdftotext extracts from the press PDF."""
    from generators.booklet.render import render_press
    from generators.booklet.select import select
    from generators.content import load_or_raise

    slug = "yang-zhi-da-zi-ban"
    cat = load_or_raise(project)
    booklet = cat.booklets[slug]
    work = project / "work-text"
    work.mkdir()
    press = render_press(cat, project, booklet, select(cat, booklet), work)
    path = built[slug] / f"{slug}-press.pdf"
    assert press.pdf == path.read_bytes()
    pages = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    assert len(press.texts) == len(PdfReader(path).pages)
    for ours, theirs in zip(press.texts, pages, strict=False):
        assert {c for c in ours.text if not c.isspace()} == {c for c in theirs if not c.isspace()}
    for ours_gap, theirs_gap in zip(
        [t.nearest_mm for t in press.texts], _pdftotext_gaps(path), strict=True
    ):
        assert (ours_gap is None) == (theirs_gap is None)
        if ours_gap is not None and theirs_gap is not None:
            assert abs(ours_gap - theirs_gap) < 0.05


# ---------------------------------------------------------------------- caches


def test_photo_cache_serves_identical_files(tmp_path: Path) -> None:
    source = tmp_path / "photo.jpg"
    Image.new("RGB", (4000, 3000), (200, 100, 50)).save(source, comment=b"secret")
    cache_dir = tmp_path / "cache"
    first_dir, second_dir = tmp_path / "a", tmp_path / "b"
    first_dir.mkdir()
    second_dir.mkdir()
    first = prepare(source, "测试", first_dir, 120, 90, Store(cache_dir))
    assert len(list(cache_dir.glob("photo-*.jpg"))) == 1
    second = prepare(source, "测试", second_dir, 120, 90, Store(cache_dir))
    assert second.path.parent == second_dir and second.path.name == first.path.name
    assert second.path.read_bytes() == first.path.read_bytes()
    assert (second.width_mm, second.height_mm, second.pixels) == (
        first.width_mm,
        first.height_mm,
        first.pixels,
    )
    assert b"secret" not in second.path.read_bytes()
    # A different placement box or different source bytes is a different entry.
    prepare(source, "测试", second_dir, 60, 90, Store(cache_dir))
    Image.new("RGB", (4000, 3000), (10, 100, 50)).save(source)
    third = prepare(source, "测试", second_dir, 120, 90, Store(cache_dir))
    assert len(list(cache_dir.glob("photo-*.jpg"))) == 3
    assert third.path.name != first.path.name


@slow
def test_rebuild_from_warm_cache_is_byte_identical_to_cold(
    project: Path, built: dict[str, Path]
) -> None:
    """A build served from the cache and one without it give the same bytes."""
    cached = project / CACHE_DIR / STORE
    assert list(cached.glob("photo-*.jpg")) and list(cached.glob("instructions-*.pdf"))
    assert list(cached.glob("markdown-*.txt")) and list(cached.glob("qr-*.txt"))
    slug = "yang-zhi-da-zi-ban"
    warm, cold = project / "dist" / "warm", project / "dist" / "cold"
    code, output = lamplight("booklet", slug, "--root", str(project), "--out", str(warm))
    assert code == 0, output
    saved = project / "cache-saved"
    shutil.move(cached, saved)
    try:
        code, output = lamplight("booklet", slug, "--root", str(project), "--out", str(cold))
        assert code == 0, output
    finally:
        shutil.rmtree(cached, ignore_errors=True)
        shutil.move(saved, cached)
    for name in (f"{slug}-press.pdf", f"{slug}-a4-booklet.pdf", f"{slug}-preflight.txt"):
        assert sha(warm / slug / name) == sha(cold / slug / name) == sha(built[slug] / name), name
