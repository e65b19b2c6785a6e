"""Golden outputs: fixture projects under tests/fixtures/, expected outputs under tests/golden/.

Regenerate after an intended change with ``python -m tests.golden --update`` (or
``make golden``) and review the diff before committing.
"""

from __future__ import annotations

import sys
from pathlib import Path

from typer.testing import CliRunner

from generators.cli import app

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
GOLDEN = HERE / "golden"

#: golden file name → lamplight arguments (run with --root on the fixture)
CASES: dict[str, tuple[str, list[str]]] = {
    "broken-check.txt": ("broken", ["check"]),
    "broken-check.json": ("broken", ["check", "--format", "json"]),
}


def produce(name: str) -> str:
    fixture, args = CASES[name]
    result = CliRunner().invoke(
        app, [*args, "--root", str(FIXTURES / fixture)], catch_exceptions=False
    )
    return f"exit {result.exit_code}\n{result.stdout}"


def main(argv: list[str]) -> int:
    if "--update" not in argv:
        print("usage: python -m tests.golden --update", file=sys.stderr)
        return 2
    GOLDEN.mkdir(exist_ok=True)
    for name in CASES:
        (GOLDEN / name).write_text(produce(name), encoding="utf-8")
        print(f"wrote tests/golden/{name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
