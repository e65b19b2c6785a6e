"""The code stays ruff- and mypy-clean (the same checks as `make lint` and pre-commit)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TARGETS = ["generators", "tests", "benchmarks", "tools"]


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", *TARGETS],
        ["ruff", "format", "--check", *TARGETS],
        ["mypy", "generators"],
    ],
    ids=["ruff-check", "ruff-format", "mypy"],
)
def test_lint(command: list[str]) -> None:
    tool = BIN / command[0]
    if not tool.exists():
        pytest.skip(f"{command[0]} not installed in this environment")
    result = subprocess.run([str(tool), *command[1:]], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
