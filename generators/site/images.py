"""Photo resizing at build time: a few JPEG widths, all metadata stripped, cached by content hash."""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from ..cache import Store

#: Output widths in pixels (never upscaled).
WIDTHS = (480, 800, 1200)
#: Bump when the encoding changes, so cached files are remade.
PIPELINE = "jpeg-q78-v2"
QUALITY = 78


class PhotoError(Exception):
    """A picture that cannot be read or converted."""


@dataclass(frozen=True)
class Variant:
    """One resized copy of a photo."""

    width: int
    height: int
    name: str
    """File name under media/, e.g. ``3fa2c1d0e9b8a7f6-480.jpg``."""
    path: Path
    """Cached file on disk."""


def _digest(data: bytes) -> str:
    return hashlib.sha256(PIPELINE.encode() + b"\0" + data).hexdigest()[:16]


def _plain_rgb(image: Image.Image) -> Image.Image:
    """A new RGB image with the same pixels and no metadata at all."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        canvas = Image.new("RGB", rgba.size, (255, 255, 255))
        canvas.paste(rgba, mask=rgba.getchannel("A"))
        image = canvas
    else:
        image = image.convert("RGB")
    return Image.frombytes("RGB", image.size, image.tobytes())


def _widths(original: int) -> list[int]:
    chosen = [w for w in WIDTHS if w < original]
    if original <= WIDTHS[-1]:
        chosen.append(original)
    else:
        chosen.append(WIDTHS[-1])
    return sorted(set(chosen))


class Photos:
    """Photos already prepared by this process (kept by the build or preview that owns it)."""

    def __init__(self) -> None:
        self.seen: dict[tuple[str, int, int, str], list[Variant]] = {}
        """(source, size, mtime_ns, cache folder) → its variants."""

    def prepare(self, source: Path, cache_dir: Path) -> list[Variant]:
        """:func:`prepare`, skipped for a photo already prepared and unchanged on disk since
        (same size and modification time) whose resized copies still exist."""
        try:
            stat = source.stat()
        except OSError as exc:
            raise PhotoError(f"无法读取文件（{exc.strerror or exc}）") from None
        seen_key = (str(source), stat.st_size, stat.st_mtime_ns, str(cache_dir))
        seen = self.seen.get(seen_key)
        if seen is not None and all(v.path.exists() for v in seen):
            return seen
        variants = prepare(source, cache_dir)
        self.seen[seen_key] = variants
        return variants


def prepare(source: Path, cache_dir: Path) -> list[Variant]:
    """Resize ``source`` into the standard widths (cached); raise :class:`PhotoError` if unreadable."""
    store = Store(cache_dir)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise PhotoError(f"无法读取文件（{exc.strerror or exc}）") from None
    digest = _digest(data)
    index = store.read(f"{digest}.json")
    if index is not None:
        try:
            cached = [
                Variant(w, h, f"{digest}-{w}.jpg", cache_dir / f"{digest}-{w}.jpg")
                for w, h in json.loads(index)
            ]
            if cached and all(v.path.exists() for v in cached):
                return cached
        except (ValueError, TypeError):
            pass
    try:
        with Image.open(io.BytesIO(data)) as opened:
            opened.load()
            plain = _plain_rgb(opened)
    except UnidentifiedImageError:
        raise PhotoError("不是能识别的图片（文件可能已损坏，或不是 JPEG、PNG 格式）") from None
    except (OSError, ValueError) as exc:
        raise PhotoError(f"图片文件已损坏，无法读出（{exc}）") from None
    variants = []
    for width in _widths(plain.width):
        height = max(1, round(plain.height * width / plain.width))
        name = f"{digest}-{width}.jpg"
        path = cache_dir / name
        if not path.exists():
            resized = (
                plain
                if width == plain.width
                # reducing_gap: shrink by whole factors first, then LANCZOS (several times
                # faster on camera photos, no visible difference at these sizes)
                else plain.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
            )
            buffer = io.BytesIO()
            resized.save(buffer, "JPEG", quality=QUALITY, optimize=True, progressive=True)
            store.write(name, buffer.getvalue())
        variants.append(Variant(width, height, name, path))
    store.write(f"{digest}.json", json.dumps([[v.width, v.height] for v in variants]))
    return variants


def _prepare_quietly(job: tuple[Path, Path]) -> None:
    try:
        prepare(*job)
    except PhotoError:
        pass  # reported with the item's name when the page is planned


def warm_cache(sources: list[Path], cache_dir: Path, workers: int = 2) -> None:
    """Resize photos that are not cached yet, in parallel processes (the pages then hit the cache)."""
    from concurrent.futures import ProcessPoolExecutor

    jobs = [(source, cache_dir) for source in dict.fromkeys(sources) if source.is_file()]
    if len(jobs) < 8 or workers < 2:
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        list(pool.map(_prepare_quietly, jobs, chunksize=4))
