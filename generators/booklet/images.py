"""Photos for print: metadata stripped, oversized ones downscaled, placed size decided here.

Every photo is decoded and re-encoded with Pillow from its pixels alone, so EXIF, XMP, GPS,
ICC and comments never reach the PDF. Orientation from EXIF is applied first. A photo much
larger than needed for 300 ppi at its placed size is downscaled; a small one is never
upscaled (preflight then reports its real resolution).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from dataclasses import dataclass
from pathlib import Path

import PIL
from PIL import Image, ImageOps

from ..cache import Store, key
from .layout import TARGET_PPI
from .pdfx import Profile, to_cmyk


@dataclass(frozen=True)
class PlacedImage:
    """A cleaned image file and the size it is placed at on the page."""

    path: Path
    """The cleaned file (in the booklet's working folder)."""
    width_mm: float
    """Placed width."""
    height_mm: float
    """Placed height."""
    pixels: tuple[int, int]
    """Width and height of the cleaned file in pixels."""
    source: str
    """Where it came from (project-relative), for messages."""

    @property
    def ppi(self) -> float:
        return self.pixels[0] / (self.width_mm / 25.4)

    @property
    def style(self) -> str:
        return f"width:{self.width_mm:.2f}mm;height:{self.height_mm:.2f}mm"


def placed_size(size: tuple[int, int], max_w: float, max_h: float) -> tuple[float, float]:
    """Largest size with the image's aspect ratio that fits ``max_w`` × ``max_h`` mm."""
    width, height = size
    aspect = width / height
    w = max_w
    h = w / aspect
    if h > max_h:
        h = max_h
        w = h * aspect
    return w, h


def _place(source: Path, target: Path) -> None:
    """Put a cached file at ``target`` (hard link when possible, else a copy)."""
    if target.exists():
        return
    try:
        os.link(source, target)
    except OSError:
        target.write_bytes(source.read_bytes())


def prepare(
    source: Path,
    label: str,
    workdir: Path,
    max_w: float,
    max_h: float,
    store: Store | None = None,
    cmyk: Profile | None = None,
) -> PlacedImage:
    """Clean ``source`` into ``workdir`` and decide its placed size (mm).

    With a ``cmyk`` profile (PDF/X-1a) an RGB photo is converted to CMYK through it.
    With a ``store`` the cleaned file and its placed size are kept there under a hash of
    the source bytes, the placement box and the profile, so an unchanged photo is
    decoded, resized, converted and re-encoded only once.
    """
    if store is None or store.folder is None:
        return _clean(source, label, workdir, max_w, max_h, cmyk)
    name = "photo-" + key(
        "photo",
        source.read_bytes(),
        repr((max_w, max_h, TARGET_PPI)),
        PIL.__version__,
        cmyk.digest if cmyk else "rgb",
    )
    meta = store.read(name + ".json")
    cached = store.folder / (name + ".jpg")
    if meta is not None and cached.is_file():
        info = json.loads(meta)
        target = workdir / info["file"]
        _place(cached, target)
        width, height = info["pixels"]
        return PlacedImage(target, info["width_mm"], info["height_mm"], (width, height), label)
    placed = _clean(source, label, workdir, max_w, max_h, cmyk)
    store.write(name + ".jpg", placed.path.read_bytes())
    info = {
        "file": placed.path.name,
        "width_mm": placed.width_mm,
        "height_mm": placed.height_mm,
        "pixels": list(placed.pixels),
    }
    store.write(name + ".json", json.dumps(info).encode())
    return placed


def _clean(
    source: Path, label: str, workdir: Path, max_w: float, max_h: float, cmyk: Profile | None
) -> PlacedImage:
    with Image.open(source) as opened:
        image = ImageOps.exif_transpose(opened)
        image.load()
    if image.mode not in ("RGB", "L", "CMYK"):
        image = image.convert("RGB")
    w_mm, h_mm = placed_size(image.size, max_w, max_h)
    # A photo a little short of 300 ppi at full width is placed a little smaller instead
    # (down to 80 %); a really small one keeps the full width and preflight reports it.
    native_w = image.width / TARGET_PPI * 25.4
    if w_mm * 0.8 <= native_w < w_mm:
        w_mm, h_mm = native_w, native_w * h_mm / w_mm
    target_px = math.ceil(w_mm / 25.4 * TARGET_PPI)
    if image.width > target_px * 1.15:
        target_h = max(1, round(image.height * target_px / image.width))
        image = image.resize((target_px, target_h), Image.Resampling.LANCZOS)
    if cmyk is not None:
        image = to_cmyk(image, cmyk)
    # A fresh image from the pixels alone: no info dict, no EXIF/XMP/ICC can survive.
    clean = Image.frombytes(image.mode, image.size, image.tobytes())
    digest = hashlib.sha256(clean.tobytes()).hexdigest()[:16]
    target = workdir / f"img-{digest}.jpg"
    if not target.exists():
        clean.save(target, "JPEG", quality=88, optimize=True, progressive=False, subsampling=0)
    return PlacedImage(target, w_mm, h_mm, clean.size, label)
