"""The A4 instruction sheet that goes in front of the imposed office-printer booklet."""

from __future__ import annotations

from pathlib import Path

from ..cache import key
from ..content import Catalogue
from ..models import Booklet
from .assets import store_of
from .fonts import faces
from .impose import sheet_order
from .render import Press
from .templates import environment


def instructions(
    cat: Catalogue, root: Path, booklet: Booklet, press: Press, title: str, created: str
) -> bytes:
    """The A4 instruction sheet (a page of instructions and a blank back).

    It only depends on its HTML, so the rendered PDF is kept in the cache under a hash of
    the HTML, the PDF identifier and the WeasyPrint version.
    """
    import weasyprint

    html = (
        environment()
        .get_template("instructions.html")
        .render(
            title=title,
            pages=press.pages,
            sheets=press.pages // 4,
            last_page=len(sheet_order(press.pages)) + 2,
            press_name=f"{booklet.id}-press.pdf",
            faces=faces(booklet.script),
            created=created,
        )
    )
    html = cat.converter.convert(html, booklet.script)
    identifier = f"lamplight-{booklet.id}-a4".encode()
    name = f"instructions-{key('instructions', html, identifier, weasyprint.__version__)}.pdf"

    def render() -> bytes:
        pdf = weasyprint.HTML(string=html).write_pdf(pdf_identifier=identifier)
        assert pdf is not None
        return pdf

    return store_of(root).bytes(name, render)
