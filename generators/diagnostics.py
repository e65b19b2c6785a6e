"""Problems found in content: one record per problem, with a stable ASCII code.

Every checker appends :class:`Diagnostic` records to a :class:`Report`; nothing stops at
the first problem. Messages are Chinese (editors read them); codes stay ASCII so that
tools and tests can match them.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


#: Stable codes and a one-line English description (for developers and the JSON output).
CODES: dict[str, str] = {
    "E001": "file is not valid UTF-8",
    "E002": "YAML syntax error",
    "E003": "duplicate key in a YAML mapping",
    "E004": "file too large or YAML alias expansion refused",
    "E005": "file cannot be read (outside the project, symlink, not a regular file)",
    "E101": "unknown field",
    "E102": "missing required field",
    "E103": "wrong type or malformed value",
    "E104": "value not in the taxonomy",
    "E105": "malformed date",
    "E106": "value out of range or too long",
    "E107": "script conversion correction that is not the same word",
    "E108": "market price without a date or source",
    "E201": "reference to an item that does not exist",
    "E202": "duplicate id",
    "E203": "folder name and id disagree",
    "E204": "missing image or file",
    "E205": "missing companion Markdown file",
    "E301": "Markdown story or tutorial missing a required section",
    "E302": "unsafe Markdown (raw script, javascript: URL, path leaving the project)",
    "E401": "published without consent covering the channel",
    "E402": "photo without consent reference",
    "E403": "story mentions children without guardian consent",
    "E501": "resident ID number",
    "E502": "mobile or landline phone number",
    "E503": "bank card number",
    "E504": "detailed address finer than township",
    "E505": "child's name after a kinship word",
    "W101": "review date has passed",
    "W103": "published item refers to an unpublished skill or elder",
    "W104": "key figures that do not fit together (years, incomes, period)",
    "W105": "training date has passed while the notice is still current",
    "W201": "very similar to another item (possible duplicate)",
    "W301": "story heading in the other script than the story",
    "W501": "source photo carries GPS coordinates",
    "W502": "private-data finding allowed by an inline marker",
    "W601": "a filtered booklet picks other items than at its last build",
}


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in one place."""

    path: str
    """File path relative to the project root, with forward slashes."""
    line: int
    """1-based line number (1 when the problem concerns the whole file)."""
    col: int
    """1-based column."""
    code: str
    """Stable ASCII code such as ``E101``."""
    message: str
    """What is wrong and what to do, in Chinese."""
    severity: Severity = Severity.ERROR
    """Errors fail ``check``; warnings fail it only with ``--strict``."""

    def format(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.code} {self.message}"

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["severity"] = str(self.severity)
        return data


@dataclass
class Report:
    """Every problem found in one run."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(
        self,
        path: str,
        line: int,
        col: int,
        code: str,
        message: str,
        severity: Severity | None = None,
    ) -> None:
        if severity is None:
            severity = Severity.WARNING if code.startswith("W") else Severity.ERROR
        self.items.append(Diagnostic(path, max(line, 1), max(col, 1), code, message, severity))

    def extend(self, other: Report) -> None:
        self.items.extend(other.items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.WARNING]

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.items), key=lambda d: (d.path, d.line, d.col, d.code, d.message))

    def summary(self) -> str:
        return f"共 {len(self.errors)} 个错误，{len(self.warnings)} 个警告"

    def to_json(self) -> str:
        return json.dumps(
            {
                "errors": len(self.errors),
                "warnings": len(self.warnings),
                "problems": [d.to_json() for d in self.sorted()],
            },
            ensure_ascii=False,
            indent=2,
        )
