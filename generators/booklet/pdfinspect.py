"""Reading a press PDF the way preflight needs: its fonts, and what its content streams draw.

The content streams are scanned line by line (WeasyPrint and pypdf write one operator per
line), tracking the graphics state so each image's placed size and each text's colour is
known, through forms and tiling patterns.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject, StreamObject

from .impose import page_data


def resolve(obj: Any) -> Any:
    """The object an indirect reference points to (other objects as they are)."""
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def fonts_of(resources: Any, found: dict[str, DictionaryObject], seen: set[int]) -> None:
    """Collect into ``found`` (base name → font) the fonts of ``resources`` and its forms."""
    resources = resolve(resources)
    if not isinstance(resources, DictionaryObject):
        return
    for font in (resolve(resources.get("/Font")) or {}).values():
        font = resolve(font)
        found.setdefault(str(font.get("/BaseFont", "?")), font)
    for xobject in (resolve(resources.get("/XObject")) or {}).values():
        ref = xobject.idnum if isinstance(xobject, IndirectObject) else id(xobject)
        xobject = resolve(xobject)
        if ref in seen or xobject.get("/Subtype") != "/Form":
            continue
        seen.add(ref)
        fonts_of(xobject.get("/Resources"), found, seen)


def embedded(font: DictionaryObject) -> bool:
    """True when the font program is in the PDF (for Type 0: in every descendant)."""
    if font.get("/Subtype") == "/Type0":
        descendants = resolve(font.get("/DescendantFonts")) or []
        return all(embedded(resolve(d)) for d in descendants) and bool(descendants)
    descriptor = resolve(font.get("/FontDescriptor"))
    if not isinstance(descriptor, DictionaryObject):
        return False
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)

_OP_RE = re.compile(rb"(?:^|\s)(q|Q|cm|Do|Tj|TJ|'|\"|rg|RG|k|K|g|G|sc|scn|SC|SCN|cs|CS|gs)\s*$")


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    """``m`` then ``n`` (PDF order: ``m cm`` on a CTM ``n`` gives ``m × n``)."""
    a, b, c, d, e, f = m
    na, nb, nc, nd, ne, nf = n
    return (
        a * na + b * nc,
        a * nb + b * nd,
        c * na + d * nc,
        c * nb + d * nd,
        e * na + f * nc + ne,
        e * nb + f * nd + nf,
    )


def _matrix(value: Any) -> Matrix:
    value = resolve(value)
    if value is None:
        return IDENTITY
    numbers = tuple(float(v) for v in value)
    return numbers if len(numbers) == 6 else IDENTITY  # type: ignore[return-value]


@dataclass
class ImageUse:
    """One placement of an image XObject, as ``pdfimages -list`` would list it."""

    page: int
    """1-based page it is drawn on."""
    kind: str
    """``image``, ``stencil``, ``smask`` or ``mask``."""
    width: int
    """Width in pixels."""
    height: int
    """Height in pixels."""
    colour: str
    """``rgb``, ``gray``, ``cmyk``, ``icc``, ``index``, … (``-`` for masks)."""
    x_ppi: float
    """Effective horizontal resolution at its placed size."""
    y_ppi: float
    """Effective vertical resolution at its placed size."""
    object_id: int = 0
    """Object number of the image XObject (0 for a direct object), like pdfimages' column."""


@dataclass
class Scan:
    """What one pass over every content stream (pages and the forms they draw) found."""

    rgb_ops: int = 0
    """How many operators set an RGB colour."""
    text_colours: dict[tuple[str, tuple[float, ...]], int] = field(
        default_factory=lambda: defaultdict(int)
    )
    """(colour space, fill colour) → how many text-showing operators draw with it."""
    images: list[ImageUse] = field(default_factory=list)
    """Every image drawn, in drawing order."""
    alpha_pages: list[int] = field(default_factory=list)
    """Pages that set a graphics state with transparency (once per use)."""


_COLOUR_NAMES = {
    "/DeviceRGB": "rgb",
    "/RGB": "rgb",
    "/CalRGB": "rgb",
    "/DeviceGray": "gray",
    "/G": "gray",
    "/CalGray": "gray",
    "/DeviceCMYK": "cmyk",
    "/CMYK": "cmyk",
    "/ICCBased": "icc",
    "/Indexed": "index",
    "/I": "index",
    "/Lab": "lab",
    "/Separation": "sep",
    "/DeviceN": "devn",
}


def _colour_kind(space: Any, resources: Any) -> str:
    """The colour-space column of ``pdfimages -list`` for an image's /ColorSpace."""
    space = resolve(space)
    if isinstance(space, list) and space:
        space = resolve(space[0])
    name = str(space)
    if name in _COLOUR_NAMES:
        return _COLOUR_NAMES[name]
    named = resolve((resolve(resources) or {}).get("/ColorSpace")) or {}
    if name in named:
        return _colour_kind(named[name], {})
    return "?"


def _image_uses(
    page: int, image: Any, ctm: Matrix, resources: Any, object_id: int = 0
) -> list[ImageUse]:
    width, height = int(image.get("/Width", 0)), int(image.get("/Height", 0))
    # The CTM maps the unit square onto the page: its column lengths are the placed size.
    placed_w = math.hypot(ctm[0], ctm[1]) / 72
    placed_h = math.hypot(ctm[2], ctm[3]) / 72
    if placed_w <= 0 or placed_h <= 0:
        return []
    stencil = bool(image.get("/ImageMask", False))
    uses = [
        ImageUse(
            page,
            "stencil" if stencil else "image",
            width,
            height,
            "-" if stencil else _colour_kind(image.get("/ColorSpace"), resources),
            width / placed_w,
            height / placed_h,
            object_id,
        )
    ]
    for key, kind in (("/SMask", "smask"), ("/Mask", "mask")):
        mask = resolve(image.get(key))
        if isinstance(mask, StreamObject):
            w, h = int(mask.get("/Width", 0)), int(mask.get("/Height", 0))
            uses.append(ImageUse(page, kind, w, h, "-", w / placed_w, h / placed_h))
    return uses


def _scan_stream(
    data: bytes,
    resources: Any,
    ctm: Matrix,
    page: int,
    scan: Scan,
    active: frozenset[int] = frozenset(),
) -> None:
    """Line-based scan of a WeasyPrint/pypdf content stream.

    Tracks the graphics state (q/Q, cm, colour space and fill colour) and records the
    colours used (text colour per text-showing operator, RGB operators) and every image
    drawn, with the transformation it is drawn with, and graphics states that bring
    transparency. Forms and tiling patterns it uses are scanned in turn with their own
    matrices.
    """
    resources = resolve(resources) or DictionaryObject()
    xobjects = resolve(resources.get("/XObject")) or {}
    patterns = resolve(resources.get("/Pattern")) or {}
    states = resolve(resources.get("/ExtGState")) or {}
    stack: list[tuple[str, tuple[float, ...], Matrix]] = []
    space = "/DeviceGray"
    fill: tuple[float, ...] = (0.0,)
    for raw in data.splitlines():
        line = raw.strip()
        match = _OP_RE.search(line)
        if not match:
            continue
        op = match.group(1).decode()
        args = line[: match.start(1)].split()
        if op == "q":
            stack.append((space, fill, ctm))
        elif op == "Q" and stack:
            space, fill, ctm = stack.pop()
        elif op == "cm":
            try:
                ctm = _multiply(_matrix(args[-6:]), ctm)
            except ValueError:
                pass
        elif op == "Do" and args:
            ref = xobjects.get(args[-1].decode())
            _scan_xobject(ref, resources, ctm, page, scan, active)
        elif op == "cs":
            space = args[-1].decode() if args else space
        elif op in {"rg", "RG"}:
            scan.rgb_ops += 1
            if op == "rg":
                space, fill = "/DeviceRGB", tuple(float(a) for a in args[-3:])
        elif op == "k":
            space, fill = "/DeviceCMYK", tuple(float(a) for a in args[-4:])
        elif op == "g":
            space, fill = "/DeviceGray", tuple(float(a) for a in args[-1:])
        elif op in {"sc", "scn", "SC", "SCN"}:
            if args and args[-1].startswith(b"/"):  # a pattern: scan what it draws
                ref = patterns.get(args[-1].decode())
                _scan_pattern(ref, resources, page, scan, active)
            elif op in {"sc", "scn"}:
                try:
                    fill = tuple(float(a) for a in args)
                except ValueError:
                    fill = ()
                if space == "/DeviceRGB":
                    scan.rgb_ops += 1
        elif op in {"Tj", "TJ", "'", '"'}:
            scan.text_colours[(space, fill)] += 1
        elif op == "gs" and args:
            if _alpha(resolve(states.get(args[-1].decode()))):
                scan.alpha_pages.append(page)


def _scan_xobject(
    ref: Any, resources: Any, ctm: Matrix, page: int, scan: Scan, active: frozenset[int]
) -> None:
    """``Do``: record an image, or scan a form with its own matrix."""
    xobject = resolve(ref)
    if not isinstance(xobject, StreamObject):
        return
    subtype = xobject.get("/Subtype")
    if subtype == "/Image":
        ident = ref.idnum if isinstance(ref, IndirectObject) else 0
        scan.images += _image_uses(page, xobject, ctm, resources, ident)
    elif subtype == "/Form":
        ident = ref.idnum if isinstance(ref, IndirectObject) else id(xobject)
        if ident not in active:  # a form drawing itself would never end
            _scan_stream(
                xobject.get_data(),
                xobject.get("/Resources") or resources,
                _multiply(_matrix(xobject.get("/Matrix")), ctm),
                page,
                scan,
                active | {ident},
            )


def _scan_pattern(ref: Any, resources: Any, page: int, scan: Scan, active: frozenset[int]) -> None:
    """A tiling pattern set as colour: scan what it draws (in pattern space)."""
    pattern = resolve(ref)
    ident = ref.idnum if isinstance(ref, IndirectObject) else id(pattern)
    if (
        isinstance(pattern, StreamObject)
        and pattern.get("/PatternType") == 1
        and ident not in active
    ):
        _scan_stream(
            pattern.get_data(),
            pattern.get("/Resources") or resources,
            _matrix(pattern.get("/Matrix")),
            page,
            scan,
            active | {ident},
        )


def _alpha(state: Any) -> bool:
    """True when a graphics state sets a constant alpha below 1 or a soft mask."""
    if not isinstance(state, DictionaryObject):
        return False
    for key in ("/CA", "/ca"):
        if key in state and float(state[key]) < 1:  # type: ignore[arg-type]
            return True
    return "/SMask" in state and state["/SMask"] != "/None"


def scan_pages(reader: PdfReader) -> Scan:
    """One pass over the content streams of every page (and the forms they draw)."""
    scan = Scan()
    for number, page in enumerate(reader.pages, start=1):
        _scan_stream(page_data(page), page.get("/Resources"), IDENTITY, number, scan)
    return scan
