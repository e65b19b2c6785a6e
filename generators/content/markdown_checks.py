"""Checks of Markdown text: unsafe HTML and URL schemes, local links and images, story sections."""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path

from ..diagnostics import Diagnostic, Report
from ..scripts import PLAIN, fold
from .records import STORY_SECTIONS

_DRIVE_RE = re.compile(r"^[a-zA-Z]:")
_WEB_RE = re.compile(r"^(https?:|mailto:|#)", re.I)
_IMAGE_RE = re.compile(r"\.(jpe?g|png|webp|gif|svg)$", re.I)


def check_local_path(
    root: Path, base: Path, rel_file: str, known: frozenset[str] | set[str] | None = None
) -> str | None:
    """None when fine, "outside" when it leaves the project, "missing" when absent.

    ``known`` holds the absolute paths of regular files found under the content folders
    without following any symlink; a target found there needs no further look at the disk.
    """
    if rel_file.startswith(("/", "\\")) or _DRIVE_RE.match(rel_file) or "://" in rel_file:
        return "outside"
    if known and ".." not in rel_file:
        if os.path.normpath(os.path.join(base, rel_file)) in known:
            return None
    target = (base / rel_file).resolve()
    if not target.is_relative_to(root.resolve()):
        return "outside"
    if not target.is_file():
        return "missing"
    return None


LinkCheck = tuple[int, int, str, str]
"""(line, column, link target, path part) of a local link, checked against the disk every run."""


def markdown_findings(rel: str, body: str) -> tuple[list[Diagnostic], list[LinkCheck]]:
    """Problems that depend on the text alone, and the local links still to check on disk."""
    # markup imports Markdown and nh3: a warm check never gets here and needs neither.
    from ..markup import LINK_TARGET_RE, UNSAFE_HTML_RE, UNSAFE_SCHEME_RE

    report = Report()
    links: list[LinkCheck] = []
    for number, line in enumerate(body.splitlines(), start=1):
        bad = UNSAFE_HTML_RE.search(line)
        if bad:
            report.add(
                rel,
                number,
                bad.start() + 1,
                "E302",
                "正文里有不安全的 HTML（脚本、内嵌框架或事件属性），发布时不允许；请删除这段 HTML，改用普通文字",
            )
        for match in LINK_TARGET_RE.finditer(line):
            target = match.group(1) or match.group(2) or ""
            col = match.start() + 1
            if UNSAFE_SCHEME_RE.match(target):
                report.add(
                    rel,
                    number,
                    col,
                    "E302",
                    f"链接“{target[:40]}”使用了不安全的协议（javascript:/data:/file:），请删除",
                )
                continue
            if _WEB_RE.match(target):
                continue
            path_part = target.split("#", 1)[0].split("?", 1)[0]
            if not path_part:
                continue
            links.append((number, col, target, path_part))
    return report.items, links


def check_links(
    root: Path,
    rel: str,
    folder: Path,
    links: list[LinkCheck],
    report: Report,
    known: frozenset[str] | set[str] | None = None,
) -> None:
    """E302/E204 for the local links of one file that leave the project or miss an image."""
    for number, col, target, path_part in links:
        problem = check_local_path(root, folder, path_part, known)
        if problem == "outside":
            report.add(
                rel,
                number,
                col,
                "E302",
                f"路径“{target}”指向本项目之外（绝对路径或 ../ 越界），已拒绝；请把文件放进本条目的文件夹",
            )
        elif problem == "missing" and _IMAGE_RE.search(path_part):
            report.add(
                rel,
                number,
                col,
                "E204",
                f"找不到图片文件“{path_part}”；请检查文件名或把图片放到本条目文件夹中",
            )


def check_markdown(root: Path, rel: str, folder: Path, body: str, report: Report) -> None:
    """Refuse scripts, unsafe URL schemes and paths that leave the project; find missing images."""
    diags, links = markdown_findings(rel, body)
    report.items.extend(diags)
    check_links(root, rel, folder, links, report)


_HEADING_RE = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")


def check_story_sections(rel: str, body: str, report: Report) -> None:
    """E301 for a story whose four sections are missing or out of order, at the nearest
    heading and saying what it should be; W301 for a heading in the other script."""
    headings: list[tuple[int, str, str]] = []  # (line, hashes, text)
    for number, line in enumerate(body.splitlines(), start=1):
        match = _HEADING_RE.match(line)
        if match:
            headings.append((number, match.group(1), match.group(2)))
    found: dict[str, int] = {}
    for number, hashes, text in headings:
        if len(hashes) == 2:
            found.setdefault(fold(text), number)
    order = " → ".join(STORY_SECTIONS)
    last = 0
    for index, section in enumerate(STORY_SECTIONS):
        key = fold(section)
        if key in found:
            if found[key] < last:
                report.add(
                    rel, found[key], 1, "E301", f"“## {section}”的位置不对；四节应依次是：{order}"
                )
            else:
                last = found[key]
            continue
        near = _find_meant_heading(section, headings, found)
        if near is not None:
            number, hashes, text = near
            report.add(
                rel,
                number,
                1,
                "E301",
                f"“{hashes} {text}”应写成{'' if hashes == '##' else '二级标题'}“## {section}”"
                f"（四节依次是：{order}）",
            )
            continue
        after = [found[fold(s)] for s in STORY_SECTIONS[index + 1 :] if fold(s) in found]
        at = min(after) if after else (headings[-1][0] if headings else 1)
        report.add(
            rel,
            at,
            1,
            "E301",
            f"故事缺少“## {section}”一节；请在这里{'之前' if after else '附近'}补上"
            f"（四节依次是：{order}）",
        )
    _warn_other_script(rel, body, headings, report)


def _find_meant_heading(
    section: str, headings: list[tuple[int, str, str]], found: dict[str, int]
) -> tuple[int, str, str] | None:
    """The heading that was most likely meant as ``section`` (wrong level or wording)."""
    key = fold(section)
    best: tuple[float, tuple[int, str, str]] | None = None
    for heading in headings:
        number, hashes, text = heading
        folded = fold(text)
        if len(hashes) == 2 and found.get(folded) == number and folded in _SECTION_KEYS:
            continue  # a right section heading
        ratio = difflib.SequenceMatcher(None, key, folded).ratio()
        if ratio >= 0.6 and (best is None or ratio > best[0]):
            best = (ratio, heading)
    return best[1] if best else None


_SECTION_KEYS = {fold(s) for s in STORY_SECTIONS}
#: The sections as Traditional stories write them (OpenCC's plain table says 啓, Taiwan 啟).
_HANT_SECTIONS = {"基本情况": "基本情況", "经验启示": "經驗啟示"}


def _detect_script(text: str) -> str | None:
    """ "hant" or "hans" for text with characters of only one script's form; else None."""
    traditional = sum(a != b for a, b in zip(text, fold(text), strict=False))
    simplified = sum(a != b for a, b in zip(text, PLAIN.hant(text), strict=False))
    if traditional > simplified:
        return "hant"
    if simplified > traditional:
        return "hans"
    return None


def _warn_other_script(
    rel: str, body: str, headings: list[tuple[int, str, str]], report: Report
) -> None:
    """W301 for a heading in the other script than the story around it."""
    story = _detect_script(body)
    if story is None:
        return
    for number, hashes, text in headings:
        script = _detect_script(text)
        if script is not None and script != story:
            right = (
                fold(text) if story == "hans" else _HANT_SECTIONS.get(fold(text), PLAIN.hant(text))
            )
            names = {"hans": "简体", "hant": "繁體"}
            report.add(
                rel,
                number,
                1,
                "W301",
                f"标题“{hashes} {text}”是{names[script]}，而故事是{names[story]}写的；"
                f"请改成“{hashes} {right}”",
            )
