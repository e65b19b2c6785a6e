"""Smoke test of the benchmark harness: N=50, --quick, heavy stages skipped. Never asserts timings."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import corpus
from benchmarks.runner import ROWS, TARGETS, main
from generators.content import load_catalogue


def test_corpus_is_valid_and_deterministic(tmp_path: Path) -> None:
    first = corpus.generate(tmp_path / "a", 12, seed=7, booklets=3)
    second = corpus.generate(tmp_path / "b", 12, seed=7, booklets=3)
    story = f"showcases/{first.edit_showcase}/story.md"
    assert (tmp_path / "a" / story).read_bytes() == (tmp_path / "b" / story).read_bytes()
    assert first.booklet_ids == second.booklet_ids
    cat, report = load_catalogue(tmp_path / "a")
    assert cat is not None
    assert not report.errors, [d.format() for d in report.sorted()][:10]
    assert len(cat.skills) == 12 and len(cat.showcases) == 12
    assert len(cat.booklets) == 3
    assert first.hant_showcases > 0
    photo = next((tmp_path / "a" / "showcases").glob("*/photos/*.jpg"))
    assert 20_000 < photo.stat().st_size < 400_000


@pytest.mark.slow
def test_harness_writes_table(tmp_path: Path) -> None:
    out = tmp_path / "benchmarks.md"
    corpus_dir = tmp_path / "corpus"
    code = main(
        [
            "--sizes", "50",
            "--quick",
            "--out", str(out),
            "--corpus-dir", str(corpus_dir),
            "--json", str(tmp_path / "raw.json"),
            "--skip", "site,plain,search,serve,booklets",
        ]
    )  # fmt: skip
    assert code == 0
    text = out.read_text(encoding="utf-8")
    assert "| Measurement | N = 50 |" in text
    for _key, label in ROWS:
        assert f"| {label} |" in text, label
    for target in TARGETS:
        assert target in text
    assert "CPU" in text or "Machine:" in text
    assert (tmp_path / "raw.json").exists()

    cat, report = load_catalogue(corpus_dir / "n50")
    assert cat is not None
    assert not report.errors, [d.format() for d in report.sorted()][:10]
    assert len(cat.skills) == 50 and len(cat.showcases) == 50
