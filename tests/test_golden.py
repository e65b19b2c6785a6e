"""Fixture projects give exactly the recorded outputs (`make golden` regenerates them)."""

from __future__ import annotations

import pytest

from .golden import CASES, GOLDEN, produce


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_output(name: str) -> None:
    expected = (GOLDEN / name).read_text(encoding="utf-8")
    assert produce(name) == expected, f"output changed: review and run `make golden` ({name})"
