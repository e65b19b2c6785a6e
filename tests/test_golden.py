"""Fixture projects give exactly the recorded outputs (`make golden` regenerates them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .golden import BUILD_CASES, CHECK_CASES, GOLDEN, build_tiny, produce


@pytest.mark.parametrize("name", sorted(CHECK_CASES))
def test_check_output(name: str) -> None:
    expected = (GOLDEN / name).read_text(encoding="utf-8")
    assert produce(name) == expected, f"output changed: review and run `make golden` ({name})"


@pytest.fixture(scope="module")
def tiny_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny(tmp_path_factory.mktemp("golden") / "tiny")


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(BUILD_CASES))
def test_built_output(name: str, tiny_build: Path) -> None:
    expected = (GOLDEN / name).read_text(encoding="utf-8")
    got = produce(name, tiny_build)
    assert got == expected, f"output changed: review and run `make golden` ({name})"
