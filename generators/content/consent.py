"""Consent rules (E401–E403) and the private-data findings of a load (E5xx, W501, W502)."""

from __future__ import annotations

from pathlib import Path

from .. import privacy
from ..diagnostics import Report
from ..models import Showcase
from ..yamlio import value_position_of
from .loader import Loader
from .records import Catalogue

#: Words that show a story is about children (guardian consent then needed).
CHILD_WORDS = (
    "孩子",
    "儿子",
    "兒子",
    "女儿",
    "女兒",
    "孙子",
    "孫子",
    "孙女",
    "孫女",
    "小学",
    "小學",
    "初中",
    "高中",
    "上学",
    "上學",
)


def _consent_at(
    cat: Catalogue, kind: str, ident: str, loc: tuple[int | str, ...]
) -> tuple[str, int, int]:
    src = cat.sources[(kind, ident)]
    line, col = value_position_of(src.raw, loc)
    return src.yaml_path, line, col


def check_consent(cat: Catalogue, report: Report) -> None:
    """E401–E403: published items need consent covering what they show."""
    for showcase in cat.showcases.values():
        check_showcase_consent(cat, showcase, report)
    for (kind, _), record in cat.salvaged.items():
        if kind == "showcase":
            check_showcase_consent(cat, record, report)
    for elder in cat.elders.values():
        if elder.status == "published" and elder.consent is None:
            report.add(
                *_consent_at(cat, "elder", elder.id, ("status",)),
                "E401",
                "五老简介已设为 published，但没有 consent（本人发布同意记录）；请补上，或把 status 改为 review",
            )


def check_showcase_consent(cat: Catalogue, showcase: Showcase, report: Report) -> None:
    """E401–E403 for one showcase."""
    if showcase.status != "published":
        return
    broken_consent = (showcase.kind, showcase.id) in cat.salvaged and (
        "consent" not in showcase.model_fields_set
    )
    if showcase.consent is None and not broken_consent:
        report.add(
            *_consent_at(cat, "showcase", showcase.id, ("status",)),
            "E401",
            "案例已设为 published，但没有 consent（农户发布同意记录）；请补上同意记录，或把 status 改为 review",
        )
    for index, photo in enumerate(showcase.photos or []):
        if not photo.consent_ref:
            report.add(
                *_consent_at(cat, "showcase", showcase.id, ("photos", index, "file")),
                "E402",
                f"照片“{photo.file}”没有 consent_ref（照片中人物的同意书编号），不能发布；请补上或删去这张照片",
            )
    mentions_children = (showcase.children is not None and showcase.children.count > 0) or any(
        word in cat.body(showcase) for word in CHILD_WORDS
    )
    if mentions_children and showcase.consent is not None and not showcase.consent.guardian:
        report.add(
            *_consent_at(cat, "showcase", showcase.id, ("consent",)),
            "E403",
            "故事提到了未成年子女，需要监护人单独同意；取得后请把 consent.guardian 设为 true，"
            "否则请删去有关孩子的内容",
        )


def report_private_data(ld: Loader, cat: Catalogue) -> None:
    """The private-data findings of every content file (cached per file), then consent."""
    report = ld.report
    for file in ld.files:
        suffix = file.suffix
        if file.trusted:
            report.items.extend(ld.found.get(file.rel, ()))
            has_gps = (
                suffix in privacy.IMAGE_SUFFIXES
                and file.rel in ld.parsed
                and bool(ld.parse_result(file.rel))
            )
        elif suffix in privacy.SCANNED_SUFFIXES:
            text = ld.slow_texts.get(Path(file.path))
            if text is None:
                try:
                    text = Path(file.path).read_text(encoding="utf-8")
                except (UnicodeDecodeError, OSError):
                    continue
            privacy.scan_text(file.rel, text, ld.public_numbers, report)
            continue
        else:
            has_gps = suffix in privacy.IMAGE_SUFFIXES and privacy.photo_has_gps(Path(file.path))
        if has_gps:
            report.add(file.rel, 1, 1, "W501", privacy.GPS_MESSAGE)
    check_consent(cat, report)
