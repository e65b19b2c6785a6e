"""PDF/X for the press file: the standard, its CMYK output intent, and photos in CMYK.

WeasyPrint writes the PDF/X variant (``pdf_variant``: XMP identification, ``Trapped``) but
only an output intent for a profile the CSS declares; the press file gets its CMYK output
intent here, after rendering, from the profile file itself (so the bytes stay the same
from build to build): an ``/OutputIntents`` entry with the ICC stream (``N 4``) as
``DestOutputProfile``, ``GTS_PDFXVersion`` and ``Trapped /False`` in the info dictionary,
and no image with ``/Interpolate true`` (PDF/X forbids it).
For PDF/X-4 the (metadata-free) RGB photos are tagged as sRGB (``ICCBased``), so the shop's
RIP converts them with the output intent instead of guessing; for PDF/X-1a they are
converted to CMYK with the same profile before rendering (``to_cmyk``).
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
import uuid
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from PIL import Image, ImageCms

PROFILE_PATH = Path(str(files("generators.booklet") / "profiles" / "FOGRA39L-coated.icc"))
"""The CMYK output profile, shipped with the package: coated offset paper, FOGRA39."""

PROFILE_IDENTIFIER = "FOGRA39"
"""Its characterization in the ICC registry (``OutputConditionIdentifier``): what a shop's
preflight matches against its own ISO Coated v2 / FOGRA39 setting."""

PROFILE_SOURCE = (
    "由 Fogra 的 FOGRA39L 测量数据（Debian 包 icc-profiles-free）用 ArgyllCMS colprof 生成，"
    "见 tools/make_cmyk_profile.sh"
)
"""Where the profile comes from, in words for the shop."""

PROFILE_LICENCE = "Zlib"
"""Licence of the measurement data (icc-profiles-free's copyright file) and so of the profile."""

PROFILE_CONDITION = "FOGRA39：ISO 12647-2 铜版纸胶印（1/2 类纸），总墨量上限 300%"
"""The printing condition it describes, in words for the shop."""

MAX_INK = 300
"""Highest total ink coverage (C+M+Y+K, %) a photo may need."""


class ProfileMissing(Exception):
    """The CMYK output profile is not installed."""


@dataclass(frozen=True)
class Standard:
    """One PDF/X standard the press file can follow."""

    option: str
    """The value of ``--pdf-x`` (``4``, ``1a``)."""
    variant: str
    """WeasyPrint's ``pdf_variant``."""
    version: str
    """The ``GTS_PDFXVersion`` value."""
    cmyk_photos: bool
    """Whether photos are converted to CMYK at build time (no RGB allowed)."""


STANDARDS: dict[str, Standard] = {
    "4": Standard("4", "pdf/x-4", "PDF/X-4", cmyk_photos=False),
    "1a": Standard("1a", "pdf/x-1a", "PDF/X-1a:2003", cmyk_photos=True),
}
"""``--pdf-x`` value → the standard; ``4`` is the default."""


@dataclass(frozen=True)
class Profile:
    """The CMYK output profile, read once."""

    data: bytes
    """The ICC file's bytes, embedded as they are."""
    name: str
    """Its description (``Coated FOGRA39 …``), the output condition's name."""
    file: str
    """Its file name."""
    digest: str
    """SHA-256 of ``data`` (part of every cache key that depends on the profile)."""


def press_profile(path: Path = PROFILE_PATH) -> Profile:
    """Read the CMYK output profile; ``ProfileMissing`` (in Chinese) when absent."""
    try:
        data = path.read_bytes()
    except OSError:
        raise ProfileMissing(
            f"找不到印刷用的 CMYK 色彩配置文件 {path}：它随程序一起安装，"
            "请重新运行 make（或 pip install -e .）"
        ) from None
    return _read_profile(data, path.name)


@functools.cache
def _read_profile(data: bytes, file: str) -> Profile:
    info = ImageCms.ImageCmsProfile(io.BytesIO(data)).profile
    if info.xcolor_space.strip() != "CMYK":
        raise ProfileMissing(f"色彩配置文件 {file} 不是 CMYK 配置文件")
    name = (info.profile_description or file).strip()
    return Profile(data, name, file, hashlib.sha256(data).hexdigest())


@functools.cache
def _srgb() -> bytes:
    """WeasyPrint's sRGB profile (what the cleaned, untagged photos are)."""
    return (files("weasyprint.pdf") / "sRGB2014.icc").read_bytes()


@functools.cache
def _transform(profile: Profile) -> Any:
    """sRGB → the output profile, with the profile's own rendering intent."""
    target = ImageCms.ImageCmsProfile(io.BytesIO(profile.data))
    intent = ImageCms.Intent(target.profile.rendering_intent)
    source = ImageCms.ImageCmsProfile(io.BytesIO(_srgb()))
    return ImageCms.buildTransform(source, target, "RGB", "CMYK", renderingIntent=intent)


def to_cmyk(image: Image.Image, profile: Profile) -> Image.Image:
    """An RGB photo in CMYK through ``profile`` (grey and CMYK images stay as they are)."""
    if image.mode != "RGB":
        return image
    converted = ImageCms.applyTransform(image, _transform(profile))
    assert converted is not None
    return converted


def to_cmyk_with(data: bytes, image: Image.Image) -> Image.Image:
    """An RGB image in CMYK through the profile ``data`` (taken from a PDF's output intent)."""
    return to_cmyk(image, _read_profile(data, "output-intent.icc"))


def mark(pdf: bytes, standard: Standard, profile: Profile) -> bytes:
    """The press PDF with its CMYK output intent, version key and ``Trapped``."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (
        ArrayObject,
        ByteStringObject,
        DecodedStreamObject,
        DictionaryObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    pdf, digest = _stable(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    writer.pdf_header = reader.pdf_header  # WeasyPrint's version (1.6 for X-4, 1.4 for X-1a)

    def icc(data: bytes, components: int) -> Any:
        stream = DecodedStreamObject()
        stream.set_data(data)
        stream[NameObject("/N")] = NumberObject(components)
        return writer._add_object(stream.flate_encode())

    intent = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/OutputIntent"),
            NameObject("/S"): NameObject("/GTS_PDFX"),
            NameObject("/OutputConditionIdentifier"): TextStringObject(PROFILE_IDENTIFIER),
            NameObject("/OutputCondition"): TextStringObject(profile.name),
            NameObject("/Info"): TextStringObject(profile.name),
            NameObject("/RegistryName"): TextStringObject("http://www.color.org"),
            NameObject("/DestOutputProfile"): icc(profile.data, 4),
        }
    )
    writer._root_object[NameObject("/OutputIntents")] = ArrayObject([intent])
    info = writer._info.get_object() if writer._info is not None else None
    if isinstance(info, DictionaryObject):
        info[NameObject("/GTS_PDFXVersion")] = TextStringObject(standard.version)
        info[NameObject("/Trapped")] = NameObject("/False")
    _settle_images(writer, lambda: icc(_srgb(), 3), tag_rgb=not standard.cmyk_photos)
    if writer._ID:  # WeasyPrint's second ID hashes the random DocumentID
        writer._ID = ArrayObject([writer._ID[0], ByteStringObject(digest)])
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


_DOCUMENT_ID = re.compile(rb"xmp\.did:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

_STRING = rb"(?:<[0-9a-fA-F]*>|\((?:\\.|[^\\)])*\))"
_FILE_ID = re.compile(rb"/ID\s*\[\s*" + _STRING + rb"\s*" + _STRING + rb"\s*\]")


def _stable(pdf: bytes) -> tuple[bytes, bytes]:
    """The PDF with WeasyPrint's random XMP ``DocumentID`` replaced, and its digest.

    The ID is derived from everything else in the file (same length, so the offsets of
    the cross-reference table stay right); the digest serves as the second ``/ID``.
    """
    # Neither the random ID nor WeasyPrint's second /ID (a hash that includes it) counts.
    digest = hashlib.sha256(
        _FILE_ID.sub(b"", _DOCUMENT_ID.sub(b"xmp.did:" + b"0" * 36, pdf))
    ).digest()
    stable = f"xmp.did:{uuid.UUID(bytes=digest[:16])}".encode()
    return _DOCUMENT_ID.sub(stable, pdf), digest[16:32]


def _settle_images(writer: Any, srgb: Any, tag_rgb: bool) -> None:
    """No image asks for interpolation (PDF/X forbids it); with ``tag_rgb`` every
    ``DeviceRGB`` image gets the sRGB profile (``ICCBased``), one stream for all."""
    from pypdf.generic import ArrayObject, BooleanObject, NameObject, StreamObject

    space: list[Any] = []
    for number in range(len(writer._objects)):
        obj = writer._objects[number]
        if not isinstance(obj, StreamObject) or obj.get("/Subtype") != "/Image":
            continue
        if "/Interpolate" in obj:
            obj[NameObject("/Interpolate")] = BooleanObject(False)
        if tag_rgb and obj.get("/ColorSpace") == "/DeviceRGB":
            if not space:
                space.append(ArrayObject([NameObject("/ICCBased"), srgb()]))
            obj[NameObject("/ColorSpace")] = space[0]
