"""Share posters for the village groups: a PNG per notice and story (1080 px wide) with the
title, a photo or the kind's mark, three key lines, the QR code of the page and the public
hotline. Built with the site, cached by everything drawn on them."""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import segno
from PIL import Image, ImageDraw, ImageFont

from ..cache import Store, code_stamp, key
from ..content import KINDS, Catalogue
from ..content.digest import NewItem, new_items
from ..fsutil import write_atomic
from ..parallel import fork_map

WIDTH, HEIGHT = 1080, 1500
FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")
RED, INK, PAPER = (156, 42, 31), (26, 26, 26), (255, 250, 240)
#: The kinds that get a poster.
POSTER_KINDS = ("notice", "showcase")
FOLDER = "posters"


@dataclass(frozen=True)
class Poster:
    """What one poster shows."""

    label: str
    title: str
    lines: tuple[str, ...]
    url: str
    hotline: str
    photo: bytes | None
    sample: bool
    fixed: tuple[str, str, str, str]
    """The poster's own words in its script: heading, "scan", "hotline", sample notice."""
    face: int
    """Face of the CJK font collection: 2 Simplified, 3 Traditional."""


def poster_path(kind: str, ident: str) -> str:
    """The poster's file relative to a script's site root."""
    return f"{FOLDER}/{kind}-{ident}.png"


def _font(size: int, face: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    if FONT.is_file():
        return ImageFont.truetype(str(FONT), size, index=face)
    return ImageFont.load_default(size)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: object, width: int) -> list[str]:
    """``text`` broken into lines no wider than ``width`` (character by character: Chinese)."""
    lines, line = [], ""
    for char in text:
        if draw.textlength(line + char, font=font) > width:  # type: ignore[arg-type]
            lines.append(line)
            line = char
        else:
            line += char
    return [*lines, line] if line else lines


def draw_poster(p: Poster) -> bytes:
    """The poster as PNG bytes (a 256-colour palette keeps it small)."""
    img = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 0, WIDTH, 150), fill=RED)
    draw.text((60, 38), f"{p.fixed[0]} · {p.label}", font=_font(56, p.face), fill=PAPER)
    y = 190
    title_font = _font(68, p.face)
    for line in _wrap(draw, p.title, title_font, WIDTH - 120)[:3]:
        draw.text((60, y), line, font=title_font, fill=INK)
        y += 92
    y += 20
    qr_top = HEIGHT - 380 - 60
    if p.photo is not None:
        photo = Image.open(io.BytesIO(p.photo)).convert("RGB")
        photo.thumbnail((WIDTH - 120, 360))
        img.paste(photo, ((WIDTH - photo.width) // 2, y))
        y += photo.height + 30
    else:
        draw.ellipse((WIDTH // 2 - 110, y, WIDTH // 2 + 110, y + 220), fill=RED)
        mark = p.label[:1]
        draw.text((WIDTH // 2, y + 110), mark, font=_font(130, p.face), fill=PAPER, anchor="mm")
        y += 260
    body = _font(40, p.face)
    for text in p.lines:
        for line in _wrap(draw, "· " + text, body, WIDTH - 120)[:2]:
            if y + 58 > qr_top - 20:
                break  # the QR code and the hotline always fit
            draw.text((60, y), line, font=body, fill=INK)
            y += 58
        y += 10
    qr = segno.make_qr(p.url, error="m")
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=10, border=3)
    code = Image.open(buffer).convert("RGB")
    code = code.resize((380, 380), Image.Resampling.NEAREST)
    top = qr_top
    img.paste(code, (60, top))
    small = _font(36, p.face)
    draw.text((480, top + 40), p.fixed[1], font=small, fill=INK)
    draw.text((480, top + 110), f"{p.fixed[2]}：{p.hotline}", font=small, fill=RED)
    if p.sample:
        draw.text((480, top + 180), p.fixed[3], font=_font(30, p.face), fill=INK)
    out = io.BytesIO()
    img.quantize(colors=256).save(out, format="PNG", optimize=True)
    return out.getvalue()


def _photo(cat: Catalogue, item: NewItem) -> bytes | None:
    if item.kind != "showcase":
        return None
    story = cat.showcases[item.ident]
    photos = [p for p in story.photos if p.consent_ref]
    if not photos:
        return None
    try:
        return (cat.folder(story) / photos[0].file).read_bytes()
    except OSError:
        return None


def _third_line(cat: Catalogue, item: NewItem) -> str:
    if item.kind == "notice":
        return f"有效期到 {cat.notices[item.ident].expires.isoformat()}"
    return "扫码看他们的做法和经验"


def _posters(cat: Catalogue, base_url: str) -> Iterator[tuple[str, Poster, bytes | None]]:
    """Every poster the catalogue calls for: (file relative to the site, poster, photo)."""
    hotline = next((c.number for c in cat.public_channels.channels), "12316")
    fixed = ("一盏灯", "扫码打开这一页", "咨询热线", "样例内容，人物地点均为虚构")
    for item in new_items(cat, dt.date.min):
        if item.kind not in POSTER_KINDS:
            continue
        photo = _photo(cat, item)
        for script, prefix in (("hans", ""), ("hant", "zh-hant/")):
            conv = cat.converter.hant if script == "hant" else cat.converter.hans
            poster = Poster(
                conv(KINDS[item.kind].reader_label),
                conv(item.title),
                tuple(conv(line) for line in (*item.lines, _third_line(cat, item))),
                base_url + prefix + item.path,
                hotline,
                photo,
                cat.sample,
                (conv(fixed[0]), conv(fixed[1]), conv(fixed[2]), conv(fixed[3])),
                3 if script == "hant" else 2,
            )
            yield prefix + poster_path(item.kind, item.ident), poster, photo


def _poster_name(poster: Poster, photo: bytes | None) -> str:
    drawn = (poster.label, poster.title, poster.lines, poster.url, poster.hotline)
    name = key(
        code_stamp(__file__), repr((drawn, poster.sample, poster.fixed, poster.face)), photo or b""
    )
    return name + ".png"


def _save_poster(site: Path, rel: str, data: bytes) -> None:
    write_atomic(site / rel, data)
    (site / rel).chmod(0o644)  # served by a web server like every other file


def _write_poster(site: Path, rel: str, poster: Poster, photo: bytes | None, store: Store) -> None:
    _save_poster(site, rel, store.bytes(_poster_name(poster, photo), partial(draw_poster, poster)))


def _draw_in_child(_state: None, poster: Poster) -> bytes:
    return draw_poster(poster)


def write_posters(
    site: Path, cat: Catalogue, base_url: str, store: Store, *, jobs: int = 1
) -> list[str]:
    """A poster per current notice and published story in both scripts; the files written
    (relative to ``site``). Photos are redrawn into a palette image (no metadata survives).
    Posters not in ``store`` yet are drawn in ``jobs`` processes (a cold build draws them all)."""
    wanted = [
        (rel, _poster_name(poster, photo), poster) for rel, poster, photo in _posters(cat, base_url)
    ]
    made: dict[str, bytes] = {}
    missing: dict[str, Poster] = {}
    for _, name, poster in wanted:
        entry = store.path(name)
        if entry is None or not entry.is_file():
            missing[name] = poster
    todo = list(missing.values())
    drawn = (
        fork_map(_draw_in_child, None, todo, jobs, chunksize=4)
        if jobs > 1 and len(todo) > 8
        else [draw_poster(p) for p in todo]
    )
    for name, data in zip(missing, drawn, strict=True):
        store.write(name, data)
        made[name] = data
    for rel, name, poster in wanted:
        if name in made or not _link_poster(site, rel, store.path(name)):
            _save_poster(
                site, rel, made.get(name) or store.bytes(name, partial(draw_poster, poster))
            )
    return [rel for rel, _, _ in wanted]


def _link_poster(site: Path, rel: str, entry: Path | None) -> bool:
    """The cached poster ``entry`` hard-linked at ``site/rel`` (cache entries are replaced,
    never written into, so the link stays the poster); ``False`` when it cannot be."""
    if entry is None:
        return False
    target = site / rel
    try:
        entry.chmod(0o644)  # served by a web server like every other file
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)
        os.link(entry, target)
        return True
    except OSError:
        return False


def write_poster(site: Path, cat: Catalogue, base_url: str, store: Store, rel: str) -> bool:
    """Only the poster at ``rel`` (relative to ``site``), if the catalogue calls for one: the
    live preview draws posters when they are asked for instead of all at every rebuild."""
    if FOLDER not in rel:
        return False
    for path, poster, photo in _posters(cat, base_url):
        if path == rel:
            _write_poster(site, rel, poster, photo, store)
            return True
    return False
