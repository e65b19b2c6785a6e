"""The documentation tells the truth: every code and command it names exists, and vice versa."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import typer

from generators.cli import app
from generators.diagnostics import CODES

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
CODE_RE = re.compile(r"^[EW]\d{3}$")


def _emitted_codes() -> dict[str, list[str]]:
    """Diagnostic codes written as string literals in the package, outside the code table."""
    found: dict[str, list[str]] = {}
    for path in sorted((ROOT / "generators").rglob("*.py")):
        if path.name == "diagnostics.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if CODE_RE.match(node.value):
                    where = f"{path.relative_to(ROOT)}:{node.lineno}"
                    found.setdefault(node.value, []).append(where)
    return found


def test_every_emitted_code_is_documented() -> None:
    undocumented = {c: w for c, w in _emitted_codes().items() if c not in CODES}
    assert not undocumented, undocumented


def test_every_documented_code_can_be_emitted() -> None:
    emitted = _emitted_codes()
    assert "E201" in emitted and "W501" in emitted  # the walk sees the checkers
    never = sorted(set(CODES) - set(emitted))
    assert not never, f"documented in diagnostics.CODES but never emitted: {never}"


def test_codes_named_in_the_readme_exist() -> None:
    named = set(re.findall(r"\b([EW]\d{3})\b", README))
    assert named, "the README names no diagnostic code"
    assert not named - set(CODES), sorted(named - set(CODES))


def _commands() -> set[str]:
    commands = getattr(typer.main.get_command(app), "commands", {})
    assert "check" in commands
    return set(commands)


def test_readme_commands_exist() -> None:
    named = set(re.findall(r"`lamplight ([a-z][a-z-]*)", README))
    assert named, "the README names no lamplight command"
    assert not named - _commands(), sorted(named - _commands())


def test_every_command_is_in_the_readme() -> None:
    table = set(re.findall(r"^\| `lamplight ([a-z][a-z-]*)", README, re.M))
    assert not _commands() - table, sorted(_commands() - table)
