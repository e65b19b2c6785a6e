"""A booklet's 问答 section: the listed questions printed in order, refusals for ones that may
not be printed."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from generators.content import load_or_raise

from .helpers import ROOT, copy_project, edit, run

pytestmark = pytest.mark.slow
SLUG = "yang-zhi-da-zi-ban"


def test_listed_questions_are_printed_in_order(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    result = run("booklet", SLUG, "--out", str(tmp_path / "out"), root=project)
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "out" / SLUG / f"{SLUG}-press.pdf"
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    cat = load_or_raise(ROOT)
    listed = yaml.safe_load((ROOT / f"content/booklets/{SLUG}.yaml").read_text("utf-8"))
    titles = [cat.converter.hant(cat.questions[q].title) for q in listed["questions"]]
    assert len(titles) == 3
    section = text[text.rindex("農戶問過的問題") :]
    positions = [section.index(t) for t in titles]
    assert positions == sorted(positions)
    assert "問答" in text.split("版權頁")[0]  # in the table of contents


def test_an_unpublished_question_refuses_the_booklet(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    edit(
        project / "content/questions/tu-ji-dong-tian-bu-xia-dan.yaml",
        "status: published",
        "status: review",
    )
    result = run("booklet", SLUG, "--out", str(tmp_path / "out"), root=project)
    assert result.exit_code != 0
    assert "tu-ji-dong-tian-bu-xia-dan" in result.output and "印刷" in result.output
    assert not (tmp_path / "out" / SLUG).exists()
