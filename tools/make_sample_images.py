"""Generate the placeholder photos and step images of the bundled sample content.

Every image that a skill (``steps[].image``) or a showcase (``photos[].file``) refers to
and that does not exist yet is drawn here: a seeded landscape of gradients and simple
shapes in colours that fit the subject, saved as a plain JPEG (no EXIF, no GPS, no text).
Existing files are never overwritten, so hand-made photos stay as they are.

The output is deterministic: the random seed comes from the file's path, and the grain
is tuned by bisection until the file lands between 30 and 70 KB.

Run from the project root::

    .venv/bin/python tools/make_sample_images.py            # write missing images
    .venv/bin/python tools/make_sample_images.py --dry-run  # only list them
"""

from __future__ import annotations

import argparse
import hashlib
import io
import random
import sys
from pathlib import Path

import yaml
from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent

#: Target file size window (bytes) and the size we aim for inside it.
MIN_BYTES = 30 * 1024
MAX_BYTES = 70 * 1024
TARGET_BYTES = 40 * 1024
QUALITY = 70

RGB = tuple[int, int, int]

#: Palettes: sky top, sky bottom, far hills, near ground, accent colours.
PALETTES: dict[str, dict[str, list[RGB]]] = {
    "tea": {
        "sky": [(196, 221, 232), (236, 240, 228)],
        "land": [(104, 150, 96), (58, 112, 62), (36, 84, 44)],
        "accent": [(142, 190, 84), (92, 148, 60), (200, 214, 120)],
    },
    "fungus": {
        "sky": [(186, 196, 200), (226, 226, 214)],
        "land": [(120, 110, 92), (86, 74, 60), (52, 44, 38)],
        "accent": [(34, 28, 26), (60, 48, 44), (150, 132, 108)],
    },
    "mushroom": {
        "sky": [(214, 206, 190), (240, 232, 214)],
        "land": [(150, 130, 100), (116, 94, 70), (80, 62, 48)],
        "accent": [(140, 92, 56), (176, 128, 82), (226, 208, 178)],
    },
    "kiwi": {
        "sky": [(190, 214, 236), (234, 238, 226)],
        "land": [(120, 156, 88), (92, 120, 64), (104, 82, 56)],
        "accent": [(126, 98, 60), (166, 186, 82), (96, 66, 40)],
    },
    "embroidery": {
        "sky": [(40, 46, 78), (70, 54, 92)],
        "land": [(158, 34, 40), (28, 64, 120), (22, 22, 30)],
        "accent": [(232, 176, 48), (214, 62, 84), (64, 160, 150), (240, 236, 226)],
    },
    "potato": {
        "sky": [(172, 204, 230), (236, 232, 212)],
        "land": [(200, 176, 128), (170, 140, 96), (40, 40, 40)],
        "accent": [(214, 186, 120), (120, 150, 80), (160, 120, 80)],
    },
    "chicken": {
        "sky": [(200, 222, 234), (238, 236, 220)],
        "land": [(112, 146, 84), (78, 118, 62), (90, 72, 50)],
        "accent": [(176, 98, 44), (214, 160, 92), (236, 228, 210), (160, 40, 30)],
    },
    "pig": {
        "sky": [(206, 214, 220), (236, 230, 218)],
        "land": [(150, 130, 100), (120, 104, 84), (90, 80, 70)],
        "accent": [(226, 178, 160), (200, 150, 130), (180, 160, 120)],
    },
    "bee": {
        "sky": [(206, 222, 236), (244, 236, 206)],
        "land": [(128, 156, 82), (96, 130, 66), (120, 96, 60)],
        "accent": [(232, 176, 40), (204, 140, 30), (250, 220, 120), (60, 50, 30)],
    },
    "homestay": {
        "sky": [(150, 190, 226), (226, 232, 236)],
        "land": [(80, 118, 82), (64, 92, 68), (92, 70, 50)],
        "accent": [(128, 84, 50), (96, 60, 38), (188, 150, 100), (60, 60, 66)],
    },
    "welding": {
        "sky": [(26, 34, 48), (52, 62, 78)],
        "land": [(70, 78, 90), (48, 54, 64), (30, 32, 38)],
        "accent": [(255, 170, 60), (255, 220, 140), (90, 160, 230), (200, 200, 210)],
    },
    "shop": {
        "sky": [(240, 226, 206), (250, 242, 230)],
        "land": [(196, 160, 120), (160, 126, 92), (120, 92, 70)],
        "accent": [(196, 140, 84), (230, 90, 70), (70, 130, 170), (250, 250, 246)],
    },
}

#: Keywords in an item's folder name → palette; first match wins.
KEYWORDS: list[tuple[str, str]] = [
    ("cha-ye", "tea"),
    ("cha-yuan", "tea"),
    ("mu-er", "fungus"),
    ("xiang-gu", "mushroom"),
    ("mi-hou-tao", "kiwi"),
    ("miao-xiu", "embroidery"),
    ("tu-dou", "potato"),
    ("ma-ling-shu", "potato"),
    ("tu-ji", "chicken"),
    ("yang-zhu", "pig"),
    ("zhong-feng", "bee"),
    ("min-su", "homestay"),
    ("dian-han", "welding"),
    ("zhi-bo", "shop"),
    ("dian-shang", "shop"),
]


def palette_for(rel: str) -> dict[str, list[RGB]]:
    """Pick the palette from the item folder's slug first, then from the whole path."""
    parts = rel.split("/")
    for text in (parts[1] if len(parts) > 1 else rel, rel):
        for key, name in KEYWORDS:
            if key in text:
                return PALETTES[name]
    return PALETTES["tea"]


def size_for(rel: str) -> tuple[int, int]:
    """Photos of showcases are 3:2, step images 4:3 (both sizes the brief allows)."""
    return (1600, 1067) if rel.startswith("showcases/") else (1200, 900)


def _mix(a: RGB, b: RGB, t: float) -> RGB:
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def _jitter(colour: RGB, rng: random.Random, amount: int = 14) -> RGB:
    return (
        max(0, min(255, colour[0] + rng.randint(-amount, amount))),
        max(0, min(255, colour[1] + rng.randint(-amount, amount))),
        max(0, min(255, colour[2] + rng.randint(-amount, amount))),
    )


def draw_scene(rel: str, seed: int) -> Image.Image:
    """The clean picture: sky gradient, layered hills, shapes for the subject."""
    rng = random.Random(seed)
    width, height = size_for(rel)
    pal = palette_for(rel)
    img = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(img)

    sky_top, sky_bottom = (_jitter(c, rng, 10) for c in pal["sky"])
    horizon = int(height * rng.uniform(0.30, 0.50))
    for y in range(height):
        draw.line([(0, y), (width, y)], fill=_mix(sky_top, sky_bottom, y / height))

    # Sun or lamp glow.
    cx, cy = rng.randint(width // 8, width * 7 // 8), rng.randint(height // 12, horizon // 2 + 1)
    radius = rng.randint(40, 110)
    glow = _mix(sky_bottom, (255, 246, 214), 0.7)
    draw.ellipse([cx - radius, cy - radius, cx + radius, cy + radius], fill=glow)

    # Layered ridges, far to near.
    layers = len(pal["land"])
    for index, colour in enumerate(pal["land"]):
        base = horizon + (height - horizon) * index // (layers + 1)
        amplitude = rng.randint(30, 110) // (index + 1) + 10
        points = [(0, height)]
        x = 0
        y = base
        while x <= width:
            y = max(base - amplitude, min(base + amplitude, y + rng.randint(-40, 40)))
            points.append((x, y))
            x += rng.randint(60, 160)
        points.append((width, y))
        points.append((width, height))
        draw.polygon(points, fill=_jitter(colour, rng, 8))

    # Rows of the subject (tea bushes, bags, logs, beehives, stitches ...).
    rows = rng.randint(3, 6)
    for row in range(rows):
        y0 = horizon + (height - horizon) * (row + 1) // (rows + 1)
        size = 18 + row * 12 + rng.randint(0, 12)
        x = rng.randint(-size, size)
        while x < width + size:
            colour = _jitter(rng.choice(pal["accent"]), rng, 18)
            shape = rng.random()
            if shape < 0.45:
                draw.ellipse([x, y0 - size, x + size * 2, y0 + size // 2], fill=colour)
            elif shape < 0.8:
                draw.rectangle([x, y0 - size, x + size, y0 + size // 3], fill=colour)
            else:
                draw.polygon([(x, y0), (x + size, y0 - size * 2), (x + size * 2, y0)], fill=colour)
            x += size * 2 + rng.randint(4, size + 8)

    # A few larger foreground shapes.
    for _ in range(rng.randint(2, 5)):
        colour = _jitter(rng.choice(pal["accent"]), rng, 20)
        x0, y0 = rng.randint(0, width), rng.randint(horizon, height)
        w, h = rng.randint(60, 260), rng.randint(40, 180)
        draw.rounded_rectangle([x0, y0, x0 + w, y0 + h], radius=min(w, h) // 4, fill=colour)

    return img.filter(ImageFilter.GaussianBlur(radius=1.5))


def grain(img: Image.Image, seed: int) -> Image.Image:
    """Seeded colour noise at half resolution, scaled up (looks like film grain)."""
    rng = random.Random(seed ^ 0x5EED)
    w, h = img.width // 2, img.height // 2
    noise = Image.frombytes("RGB", (w, h), rng.randbytes(w * h * 3))
    return noise.resize(img.size, Image.Resampling.BILINEAR)


def encode(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    # No exif= argument: Pillow then writes a bare JFIF header without EXIF/XMP.
    img.save(buf, "JPEG", quality=QUALITY, optimize=True, progressive=False)
    return buf.getvalue()


def render(rel: str) -> bytes:
    """Deterministic JPEG bytes for one referenced path, sized into the window."""
    seed = int.from_bytes(hashlib.sha256(rel.encode("utf-8")).digest()[:8], "big")
    scene = draw_scene(rel, seed)
    noise = grain(scene, seed)
    low, high = 0.0, 0.5
    best = encode(scene)
    if MIN_BYTES <= len(best) <= MAX_BYTES and len(best) >= TARGET_BYTES:
        return best
    for _ in range(14):
        alpha = (low + high) / 2
        data = encode(Image.blend(scene, noise, alpha))
        if len(data) < TARGET_BYTES:
            low = alpha
        else:
            high = alpha
        if MIN_BYTES <= len(data) <= MAX_BYTES:
            best = data
            if abs(len(data) - TARGET_BYTES) < 3 * 1024:
                break
    return best


def referenced_images(root: Path) -> list[str]:
    """Project-relative paths of every image the YAML files refer to."""
    found: list[str] = []
    for path in sorted((root / "skills_library").glob("*/skill.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for step in data.get("steps") or []:
            if isinstance(step, dict) and step.get("image"):
                found.append((path.parent / step["image"]).relative_to(root).as_posix())
    for path in sorted((root / "showcases").glob("*/showcase.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for photo in data.get("photos") or []:
            if isinstance(photo, dict) and photo.get("file"):
                found.append((path.parent / photo["file"]).relative_to(root).as_posix())
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="project root")
    parser.add_argument("--dry-run", action="store_true", help="only list missing images")
    args = parser.parse_args(argv)
    root: Path = args.root.resolve()

    written = 0
    for rel in referenced_images(root):
        target = (root / rel).resolve()
        if not target.is_relative_to(root):
            print(f"skip (outside the project): {rel}", file=sys.stderr)
            continue
        if target.exists():
            continue
        if args.dry_run:
            print(f"would write {rel}")
            continue
        data = render(rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written += 1
        print(f"wrote {rel} ({len(data) // 1024} KB)")
    print(f"{written} image(s) written")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
