"""The job ticket (印刷工单) that goes to the print shop with the press PDF."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from ..models import Booklet
from .context import EDITION_LABELS, SCRIPT_LABELS
from .layout import BLEED_MM, TRIMS
from .pdfx import PROFILE_CONDITION, PROFILE_LICENCE, PROFILE_SOURCE
from .render import Press


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file (the shop checks the files it received)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def ticket(
    booklet: Booklet,
    press: Press,
    files: dict[str, Path],
    *,
    content_version: str,
    date: str,
    title: str,
    subtitle: str | None,
    shop_notes: str | None,
) -> dict[str, Any]:
    """The ticket as a JSON-ready dict (Chinese values, English keys)."""
    trim = TRIMS[booklet.trim]
    photos = bool(press.images)
    standard = press.standard.version
    profile = press.profile.name if press.profile else "（无）"
    if press.standard.cmyk_photos:
        photo_colours = f"照片已按 {profile} 转为 CMYK"
    else:
        photo_colours = (
            f"照片为带 sRGB 配置文件的 RGB，请按 {standard} 输出意图（{profile}）转 CMYK"
        )
    large = booklet.edition == "large_print"
    inner_paper = "105 克哑粉纸（有照片，哑光不反光）" if photos else "80 克双胶纸"
    if large:
        inner_paper = (
            "105 克哑粉纸（大字版，哑光不反光，方便老人阅读）"
            if photos
            else "100 克双胶纸（大字版）"
        )
    return {
        "title": title,
        "subtitle": subtitle,
        "slug": booklet.id,
        "edition": EDITION_LABELS[booklet.edition],
        "script": SCRIPT_LABELS[booklet.script],
        "trim": {"name": trim.name, "width_mm": trim.width, "height_mm": trim.height},
        "bleed_mm": BLEED_MM,
        "crop_marks": press.marks,
        "pages": press.pages,
        "notes_pages": press.notes_pages,
        "sheets_per_copy": press.pages // 4,
        "binding": "骑马钉（saddle stitch），单页顺序排列，不是跨页",
        "colours": {
            "cover": "四色（CMYK），封面底色出血",
            "inside": f"四色（CMYK）：黑色文字为单色黑 K100；{photo_colours}"
            if photos
            else "四色（CMYK），黑色文字为单色黑 K100",
        },
        "pdf_x": {
            "standard": standard,
            "output_intent": profile,
            "profile_file": press.profile.file if press.profile else None,
            "condition": PROFILE_CONDITION,
            "source": f"{PROFILE_SOURCE}（许可：{PROFILE_LICENCE}），ICC 文件已嵌入 PDF",
        },
        "paper": {"cover": "200 克铜版纸（哑膜可选）", "inside": inner_paper},
        "quantity": booklet.quantity,
        "files": {
            name: {"file": path.name, "sha256": sha256(path), "bytes": path.stat().st_size}
            for name, path in files.items()
        },
        "content_version": content_version,
        "date": date,
        "shop_notes": shop_notes,
    }


def ticket_text(data: dict[str, Any]) -> str:
    """The same ticket as plain Chinese text, one line per fact."""
    trim = data["trim"]
    lines = [
        "印刷工单",
        "========",
        f"书名：{data['title']}" + (f"——{data['subtitle']}" if data.get("subtitle") else ""),
        f"编号：{data['slug']}",
        f"版本：{data['edition']}（{data['script']}）",
        f"成品尺寸：{trim['name']}，{trim['width_mm']:g} × {trim['height_mm']:g} mm（请以毫米为准）",
        f"出血：四边各 {data['bleed_mm']:g} mm（PDF 中 TrimBox 为成品尺寸，BleedBox 含出血）",
        f"裁切标记：{'有' if data['crop_marks'] else '无（请按 TrimBox 裁切）'}",
        f"页数：{data['pages']} 页（含封面、封底{'，其中笔记页 ' + str(data['notes_pages']) + ' 页' if data['notes_pages'] else ''}），"
        f"每本 {data['sheets_per_copy']} 张对折纸",
        f"装订：{data['binding']}",
        f"颜色：封面 {data['colours']['cover']}；内页 {data['colours']['inside']}",
        f"标准：{data['pdf_x']['standard']}，输出意图 {data['pdf_x']['output_intent']}"
        f"（{data['pdf_x']['profile_file']}，{data['pdf_x']['condition']}；{data['pdf_x']['source']}）",
        f"纸张建议：封面 {data['paper']['cover']}；内页 {data['paper']['inside']}",
        f"印数：{data['quantity']} 册",
        f"内容版本：{data['content_version']}",
        f"日期：{data['date']}",
        "",
        "文件（SHA-256 校验值，收到后可核对文件是否完整）：",
    ]
    for name, info in data["files"].items():
        lines.append(f"  {name}：{info['file']}（{info['bytes']} 字节）")
        lines.append(f"    SHA-256 {info['sha256']}")
    if data.get("shop_notes"):
        lines += ["", f"给印刷厂的说明：{data['shop_notes']}"]
    return "\n".join(lines) + "\n"


def write_ticket(folder: Path, slug: str, data: dict[str, Any]) -> list[Path]:
    """Write ``<slug>-ticket.json`` and ``.txt`` into ``folder``; return both paths."""
    json_path = folder / f"{slug}-ticket.json"
    json_path.write_text(
        json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n", "utf-8"
    )
    text_path = folder / f"{slug}-ticket.txt"
    text_path.write_text(ticket_text(data), "utf-8")
    return [json_path, text_path]
