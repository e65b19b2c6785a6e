"""`lamplight build` end to end: outputs, secrets never published, failures change nothing."""

from __future__ import annotations

import gzip
import hashlib
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from .helpers import ELDER, PAIRING, SHOWCASE, STORY, copy_project, edit, run

pytestmark = pytest.mark.slow

WITHDRAWN = "showcases/pan-da-ge-dian-han/showcase.yaml"
INTERNAL_CODE = "HH-LS-0007"
GPS_PHOTO = "showcases/liu-da-ge-yang-zhu/photos/zhu-she.jpg"


def _tree_digest(*folders: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for folder in folders:
        if not folder.exists():
            out[str(folder)] = "absent"
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                out[path.as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def _plant_gps(photo: Path) -> None:
    with Image.open(photo) as image:
        exif = image.getexif()
        exif[0x010E] = "PLANTED-EXIF-DESCRIPTION"
        exif.get_ifd(0x8825).update({1: "N", 2: (26.0, 22.0, 0.0), 3: "E", 4: (108.0, 4.0, 0.0)})
        image.save(photo, exif=exif.tobytes(), quality=85)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, monkeypatch_module: pytest.MonkeyPatch) -> Path:
    """A sample copy with planted internal data, built once with `lamplight build`."""
    project = copy_project(tmp_path_factory.mktemp("build") / "p")
    monkeypatch_module.setenv("SOURCE_DATE_EPOCH", "1700000000")
    _plant_gps(project / GPS_PHOTO)
    edit(
        project / ELDER,
        "unit: 雷山县关工委",
        "unit: 雷山县关工委\n# 内部备注：PLANTED-YAML-COMMENT",
    )
    edit(project / PAIRING, "topic: 看场地，定猪舍位置", "topic: PLANTED-VISIT-TOPIC")
    before = _tree_digest(*(project / d for d in ("content", "showcases", "skills_library")))
    result = run("build", root=project)
    assert result.exit_code == 0, result.output
    after = _tree_digest(*(project / d for d in ("content", "showcases", "skills_library")))
    assert before == after, "build must never write into content/, showcases/ or skills_library/"
    return project


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


def test_build_writes_site_offline_zip_and_booklets(built: Path) -> None:
    assert (built / "site/index.html").is_file()
    assert (built / "site/zh-hant/index.html").is_file()
    with zipfile.ZipFile(built / "dist/lamplight-offline.zip") as archive:
        assert "index.html" in archive.namelist()
    for slug in ("cha-ye-yu-shi-jun", "yang-zhi-da-zi-ban"):
        folder = built / "dist/booklets" / slug
        for suffix in (
            "-press.pdf",
            "-a4-booklet.pdf",
            "-ticket.json",
            "-ticket.txt",
            "-preflight.txt",
        ):
            assert (folder / f"{slug}{suffix}").is_file(), suffix
    assert not list(built.glob(".lamplight-staging-*"))


def _site_texts(site: Path) -> dict[str, str]:
    texts: dict[str, str] = {}
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix in {".pf_fragment", ".pf_index", ".pf_meta", ".pf_filter"}:
            try:
                data = gzip.decompress(data)
            except OSError:
                pass
        elif path.suffix == ".gz":
            data = gzip.decompress(data)
        texts[path.relative_to(site).as_posix()] = data.decode("utf-8", errors="ignore")
    return texts


def _pdf_texts(dist: Path) -> dict[str, str]:
    texts: dict[str, str] = {}
    for pdf in dist.rglob("*.pdf"):
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        meta = PdfReader(pdf).metadata or {}
        texts[pdf.name] = text + "\n" + " ".join(str(v) for v in meta.values())
    return texts


def _secrets(project: Path) -> list[str]:
    withdrawn_title = re.search(
        r"^title: (.+)$", (project / WITHDRAWN).read_text(encoding="utf-8"), re.M
    )
    assert withdrawn_title
    consent_refs = re.findall(
        r"(SAMPLE-CONSENT-[0-9A-Z]+)",
        "".join(p.read_text(encoding="utf-8") for p in project.rglob("*.yaml")),
    )
    assert consent_refs
    return [
        withdrawn_title.group(1).strip(),
        INTERNAL_CODE,
        "PLANTED-YAML-COMMENT",
        "PLANTED-VISIT-TOPIC",
        "PLANTED-EXIF-DESCRIPTION",
        *sorted(set(consent_refs)),
    ]


def test_no_secret_reaches_the_site(built: Path) -> None:
    texts = _site_texts(built / "site")
    assert any("pagefind" in name for name in texts), "search index files must be inspected too"
    for secret in _secrets(built):
        for variant in {secret, secret.replace("「", "").replace("」", "")}:
            hits = [name for name, text in texts.items() if variant in text]
            assert not hits, (variant, hits[:5])


def test_no_secret_reaches_the_pdfs(built: Path) -> None:
    texts = _pdf_texts(built / "dist")
    assert len(texts) == 4
    for secret in _secrets(built):
        hits = [name for name, text in texts.items() if secret in text]
        assert not hits, (secret, hits)


def test_published_images_carry_no_metadata(built: Path) -> None:
    for image_path in (built / "site").rglob("*.jp*g"):
        with Image.open(image_path) as image:
            assert not image.getexif(), image_path
            assert "xmp" not in image.info and "XML:com.adobe.xmp" not in image.info
    for pdf in (built / "dist").rglob("*.pdf"):
        raw = pdf.read_bytes()
        assert b"Exif\x00\x00" not in raw, pdf.name
        assert b"PLANTED-EXIF" not in raw


def test_withdrawn_story_disappears(built: Path) -> None:
    assert not (built / "site/stories/pan-da-ge-dian-han").exists()
    assert not (built / "site/zh-hant/stories/pan-da-ge-dian-han").exists()


def test_failed_build_leaves_previous_outputs_untouched(built: Path, tmp_path: Path) -> None:
    snapshot = _tree_digest(built / "site", built / "dist")
    # 1. bad content: nothing is built
    story = built / STORY
    original = story.read_text(encoding="utf-8")
    story.write_text(original.replace("## 取得成效", "## 成效"), encoding="utf-8")
    try:
        result = run("build", root=built)
        assert result.exit_code == 1
        assert "Traceback" not in result.output
        assert "E301" in result.output
    finally:
        story.write_text(original, encoding="utf-8")
    assert _tree_digest(built / "site", built / "dist") == snapshot
    # 2. a booklet preflight FAIL after the site was already generated: still nothing swapped in
    photo = built / "showcases/long-da-jie-cha-yuan/photos"
    victim = sorted(photo.glob("*.jpg"))[0]
    saved = tmp_path / "saved.jpg"
    shutil.copy2(victim, saved)
    try:
        with Image.open(victim) as image:
            image.resize((120, 80)).save(victim, quality=80)
        result = run("build", root=built)
        assert result.exit_code == 1, result.output
        assert "FAIL" in result.output
    finally:
        shutil.copy2(saved, victim)
    assert _tree_digest(built / "site", built / "dist") == snapshot
    assert not list(built.glob(".lamplight-staging-*"))


def test_planted_private_numbers_stop_the_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    edit(
        project / SHOWCASE,
        "display_name:",
        "# 户主 522634198001011235 电话 13812345678\ndisplay_name:",
    )
    result = run("build", root=project)
    assert result.exit_code == 1
    assert "E501" in result.output and "E502" in result.output
    assert not (project / "site").exists() and not (project / "dist").exists()


def _relative_digests(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_site_from_warm_caches_equals_a_cold_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Photos, QR codes, word cuts, related items and converted pages come back from the
    cache byte for byte what a build without any cache makes."""
    from generators.content import load_or_raise
    from generators.pipeline import build_site

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = copy_project(tmp_path / "p")
    cache = root / ".lamplight-cache"

    # each build_site has its own site session: nothing is kept in memory between them
    build_site(load_or_raise(root), root, site_dir=tmp_path / "cold", dist_dir=tmp_path / "d1")
    for part in ("images", "qr", "related", "convert"):
        assert (cache / part).is_dir() and any((cache / part).rglob("*")), part
    build_site(load_or_raise(root), root, site_dir=tmp_path / "warm", dist_dir=tmp_path / "d2")
    cold, warm = _relative_digests(tmp_path / "cold"), _relative_digests(tmp_path / "warm")
    assert len(cold) > 100
    assert warm == cold
    assert (tmp_path / "d1" / "lamplight-offline.zip").read_bytes() == (
        tmp_path / "d2" / "lamplight-offline.zip"
    ).read_bytes()


def test_a_second_build_copies_the_unchanged_booklets(built: Path) -> None:
    booklets = built / "dist" / "booklets"
    before = _tree_digest(booklets)
    assert any(p.endswith("-press.pdf") for p in before)
    result = run("build", root=built)
    assert result.exit_code == 0, result.output
    assert "未改动，沿用上次的文件" in result.output
    assert _tree_digest(booklets) == before
