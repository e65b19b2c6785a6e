"""Two-up saddle-stitch imposition on A4 landscape, for duplex office printing.

Sheet ``s`` (0-based) of an ``n``-page booklet carries, left half then right half:
front ``[n - 2s, 1 + 2s]`` and back ``[2 + 2s, n - 1 - 2s]``. Printed duplex, flipped on
the short edge, then stacked, folded and stapled, the pages read 1 … n in order.

Each page's TrimBox area (no bleed, no marks) is scaled to fit an A5 half
(148.5 × 210 mm) less a 4 mm margin on every side, and centred in it. Pages are turned
into Form XObjects clipped to their TrimBox (no content stream is parsed, so this is fast).
The file starts with an instruction sheet (a page of Chinese instructions and a blank back,
so duplex printing of the whole file stays in register).
"""

from __future__ import annotations

import io

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    EncodedStreamObject,
    FloatObject,
    IndirectObject,
    NameObject,
    StreamObject,
)

from .layout import MM

A4_W = 297 * MM
A4_H = 210 * MM
OFFICE_MARGIN = 4 * MM
INSTRUCTION_PAGES = 2


def sheet_order(n: int) -> list[tuple[int, int]]:
    """(left, right) 1-based page numbers for each A4 side, in print order."""
    if n % 4:
        raise ValueError(f"page count {n} is not a multiple of 4")
    sides: list[tuple[int, int]] = []
    for s in range(n // 4):
        sides.append((n - 2 * s, 1 + 2 * s))
        sides.append((2 + 2 * s, n - 1 - 2 * s))
    return sides


def page_data(page: PageObject) -> bytes:
    """The decoded content stream(s) of a page, joined."""
    contents = page["/Contents"].get_object() if "/Contents" in page else None
    if contents is None:
        return b""
    if isinstance(contents, ArrayObject):
        return b"\n".join(part.get_object().get_data() for part in contents)
    assert isinstance(contents, StreamObject)
    return contents.get_data()


def _as_xobject(writer: PdfWriter, page: PageObject) -> tuple[IndirectObject, tuple[float, ...]]:
    """The page as a Form XObject clipped to its TrimBox; returns it and the trim box."""
    resources = page["/Resources"].get_object()
    assert resources is not None
    box = page.trimbox
    trim = (float(box.left), float(box.bottom), float(box.right), float(box.top))
    contents = page["/Contents"].get_object() if "/Contents" in page else None
    form: StreamObject
    if (
        isinstance(contents, EncodedStreamObject)
        and contents.get("/Filter") == "/FlateDecode"
        and "/DecodeParms" not in contents
    ):
        # A single compressed stream (what WeasyPrint writes): reuse its bytes as they are.
        form = EncodedStreamObject()
        form._data = contents._data
        form[NameObject("/Filter")] = NameObject("/FlateDecode")
    else:
        decoded = DecodedStreamObject()
        decoded.set_data(page_data(page))
        form = decoded.flate_encode()
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(FloatObject(round(v, 4)) for v in trim),
            NameObject("/Resources"): resources.clone(writer),
        }
    )
    return writer._add_object(form), trim


def impose(press_pdf: bytes | PdfReader, instructions_pdf: bytes | None = None) -> bytes:
    """The A4 two-up booklet file for ``press_pdf`` (optionally led by instructions).

    ``press_pdf`` is the press PDF's bytes or a reader already open on them.
    """
    reader = press_pdf if isinstance(press_pdf, PdfReader) else PdfReader(io.BytesIO(press_pdf))
    n = len(reader.pages)
    writer = PdfWriter()
    if instructions_pdf is not None:
        for page in PdfReader(io.BytesIO(instructions_pdf)).pages:
            writer.add_page(page)
    # Shared resources (fonts) are cloned into the writer once, however many pages use them.
    forms = [_as_xobject(writer, page) for page in reader.pages]
    half_w = A4_W / 2
    for left, right in sheet_order(n):
        sheet = writer.add_blank_page(width=A4_W, height=A4_H)
        xobjects = DictionaryObject()
        ops: list[str] = []
        for half, number in enumerate((left, right)):
            ref, (x0, y0, x1, y1) = forms[number - 1]
            width, height = x1 - x0, y1 - y0
            scale = min((half_w - 2 * OFFICE_MARGIN) / width, (A4_H - 2 * OFFICE_MARGIN) / height)
            x = half * half_w + (half_w - width * scale) / 2
            y = (A4_H - height * scale) / 2
            name = f"/P{number}"
            xobjects[NameObject(name)] = ref
            ops.append(
                f"q {scale:.6f} 0 0 {scale:.6f} {x - x0 * scale:.4f} {y - y0 * scale:.4f} cm "
                f"{name} Do Q"
            )
        content = DecodedStreamObject()
        content.set_data("\n".join(ops).encode())
        sheet[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): xobjects})
        sheet[NameObject("/Contents")] = writer._add_object(content.flate_encode())
    writer.add_metadata({"/Producer": "Lamplight booklet imposition (pypdf)"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
