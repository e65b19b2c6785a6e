"""Crop marks for the print shop, drawn outside the bleed of every page."""

from __future__ import annotations

import io

from .layout import BLEED_MM, MARKS_MM, MM


def _mark_lines(box: tuple[float, float, float, float]) -> list[str]:
    """The eight K-100 strokes (two at each corner) for the trim ``box`` (pt)."""
    x0, y0, x1, y1 = box
    start, end = BLEED_MM * MM + 1, MARKS_MM * MM
    lines = []
    for x in (x0, x1):
        for y, sign in ((y0, -1), (y1, 1)):
            lines.append(f"{x:.3f} {y + sign * start:.3f} m {x:.3f} {y + sign * end:.3f} l S")
    for y in (y0, y1):
        for x, sign in ((x0, -1), (x1, 1)):
            lines.append(f"{x + sign * start:.3f} {y:.3f} m {x + sign * end:.3f} {y:.3f} l S")
    return lines


def add_crop_marks(pdf: bytes) -> bytes:
    """Widen each page to trim + 10 mm and draw K-100 crop marks outside the bleed.

    TrimBox and BleedBox are kept; MediaBox and CropBox grow so the marks sit outside
    the 3 mm bleed, where the shop cuts them away.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DecodedStreamObject, FloatObject, NameObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    out = MARKS_MM * MM
    for page in writer.pages:
        x0, y0, x1, y1 = (float(v) for v in page.trimbox)
        box = ArrayObject(
            FloatObject(round(v, 4)) for v in (x0 - out, y0 - out, x1 + out, y1 + out)
        )
        page[NameObject("/MediaBox")] = box
        page[NameObject("/CropBox")] = box
        marks = DecodedStreamObject()
        lines = _mark_lines((x0, y0, x1, y1))
        marks.set_data(("Q q 0.25 w 0 0 0 1 K\n" + "\n".join(lines) + "\nQ\n").encode())
        opening = DecodedStreamObject()
        opening.set_data(b"q\n")
        contents = page.get_contents()
        assert contents is not None
        page[NameObject("/Contents")] = ArrayObject(
            [writer._add_object(opening), writer._add_object(contents), writer._add_object(marks)]
        )
    writer.compress_identical_objects()
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
