"""The preflight report: findings at three levels, and its text."""

from __future__ import annotations

from dataclasses import dataclass, field

LEVELS = ("FAIL", "WARN", "OK")


@dataclass
class Finding:
    """One line of the report."""

    level: str
    """``FAIL``, ``WARN`` or ``OK``."""
    check: str
    """The check's Chinese name (``页数``)."""
    detail: str
    """What it found."""


@dataclass
class Preflight:
    """The preflight report of one press PDF."""

    slug: str
    """The booklet's id."""
    title: str
    """Its title, in its script."""
    findings: list[Finding] = field(default_factory=list)
    """Everything the checks found, in check order."""

    def add(self, level: str, check: str, detail: str) -> None:
        self.findings.append(Finding(level, check, detail))

    @property
    def failed(self) -> bool:
        return any(f.level == "FAIL" for f in self.findings)

    def count(self, level: str) -> int:
        return sum(f.level == level for f in self.findings)

    def text(self) -> str:
        head = "未通过" if self.failed else "通过"
        lines = [
            f"印前检查：{self.title}（{self.slug}）",
            f"结果：{head}（FAIL {self.count('FAIL')} 项，WARN {self.count('WARN')} 项，OK {self.count('OK')} 项）",
            "",
        ]
        for level in LEVELS:
            for f in self.findings:
                if f.level == level:
                    lines.append(f"{f.level:<4}  {f.check}：{f.detail}")
        return "\n".join(lines) + "\n"


def pages_label(pages: list[int]) -> str:
    """``第 1、3 页`` (at most eight numbers, then a count)."""
    pages = sorted(set(pages))
    if len(pages) > 8:
        return "第 " + "、".join(map(str, pages[:8])) + f" 等 {len(pages)} 页"
    return "第 " + "、".join(map(str, pages)) + " 页"
