"""The PDF/X checks of preflight, measured from the press PDF.

- 输出意图: a ``/GTS_PDFX`` output intent whose embedded profile is CMYK (``N 4``) — FAIL
  otherwise.
- PDF/X 标准: ``GTS_PDFXVersion`` in the info dictionary and in the XMP metadata names the
  standard, and the PDF version is one the standard allows (1.4 for X-1a, ≤ 1.6 for X-4) —
  FAIL otherwise.
- 陷印标记: ``Trapped`` in the info dictionary is ``/True`` or ``/False`` — FAIL otherwise.
- RGB 图片 (X-1a only): no image in an RGB colour space (``DeviceRGB``, ``ICCBased`` with
  3 components, indexed over RGB) — FAIL otherwise.
- 图片插值: no image with ``/Interpolate true`` (PDF/X forbids it) — FAIL otherwise.
- 总墨量: total ink coverage (C+M+Y+K) of every photo, computed here (no Ghostscript):
  each image is decoded with Pillow; RGB photos are converted with the output intent's
  profile first (Pillow ``ImageCms``, the profile's rendering intent — what the shop's RIP
  does); the value is the 99.9th percentile over the pixels (a few JPEG ringing pixels do
  not count), FAIL above ``pdfx.MAX_INK`` %.
"""

from __future__ import annotations

import io
from typing import Any

from PIL import Image, ImageMath
from pypdf import PdfReader
from pypdf.generic import DictionaryObject, StreamObject

from ..cache import Store, key
from .pdfinspect import Scan, resolve
from .pdfx import MAX_INK, Standard, to_cmyk_with
from .report import Preflight, pages_label

_COMPONENTS = {"/DeviceRGB": 3, "/DeviceCMYK": 4, "/DeviceGray": 1, "/CalRGB": 3, "/CalGray": 1}

_MAX_VERSION = {True: "1.4", False: "1.6"}
"""Highest PDF version each standard allows, by ``Standard.cmyk_photos`` (X-1a, X-4)."""


def image_objects(reader: PdfReader, scan: Scan) -> list[tuple[int, StreamObject]]:
    """Every image XObject the pages draw (masks aside), once, with the first page drawing it.

    WeasyPrint lists every image in one resource dictionary shared by all pages, so the
    page comes from the content streams (``scan``), not from the resources.
    """
    found: dict[int, tuple[int, StreamObject]] = {}
    for use in scan.images:
        if use.kind != "image" or not use.object_id or use.object_id in found:
            continue
        image = resolve(reader.get_object(use.object_id))
        if isinstance(image, StreamObject):
            found[use.object_id] = (use.page, image)
    return list(found.values())


def components(space: Any) -> int:
    """How many colour components an image's ``/ColorSpace`` has (0 when unknown)."""
    space = resolve(space)
    if isinstance(space, list) and space:
        family = str(resolve(space[0]))
        if family == "/ICCBased" and len(space) > 1:
            return int(resolve(space[1]).get("/N", 0))
        if family in ("/Indexed", "/I") and len(space) > 1:
            return components(space[1])
        return _COMPONENTS.get(family, 0)
    return _COMPONENTS.get(str(space), 0)


def check_pdfx(report: Preflight, reader: PdfReader, standard: Standard) -> bytes | None:
    """输出意图, PDF/X 标准, 陷印标记; returns the output profile's bytes (when CMYK)."""
    root: Any = resolve(reader.trailer["/Root"])
    intents = [resolve(i) for i in resolve(root.get("/OutputIntents")) or []]
    intent = next((i for i in intents if i.get("/S") == "/GTS_PDFX"), None)
    profile = resolve(intent.get("/DestOutputProfile")) if intent is not None else None
    data: bytes | None = None
    if profile is None:
        report.add(
            "FAIL", "输出意图", "没有 PDF/X 输出意图（OutputIntents），印刷厂不知道按什么条件印"
        )
    elif int(profile.get("/N", 0)) != 4:
        report.add("FAIL", "输出意图", f"输出意图的色彩配置不是 CMYK（N={profile.get('/N')}）")
    else:
        data = profile.get_data()
        report.add(
            "OK",
            "输出意图",
            f"CMYK 输出意图（N=4）：{intent.get('/OutputConditionIdentifier')}"  # type: ignore[union-attr]
            f"（{intent.get('/OutputCondition')}），ICC 配置文件已嵌入（{len(data)} 字节）",  # type: ignore[union-attr]
        )
    info = reader.trailer.get("/Info")
    info = resolve(info) if info is not None else DictionaryObject()
    version = str(info.get("/GTS_PDFXVersion", ""))
    xmp = root.get("/Metadata")
    xmp_text = resolve(xmp).get_data() if xmp is not None else b""
    header = reader.pdf_header.removeprefix("%PDF-")
    problems = []
    if version != standard.version:
        problems.append(f"信息字典的 GTS_PDFXVersion 是“{version or '（没有）'}”")
    if f">{standard.version}<".encode() not in xmp_text:
        problems.append("XMP 元数据里没有 GTS_PDFXVersion")
    if header > _MAX_VERSION[standard.cmyk_photos]:
        problems.append(f"PDF 版本 {header} 高于标准允许的 {_MAX_VERSION[standard.cmyk_photos]}")
    if problems:
        report.add("FAIL", "PDF/X 标准", f"不符合 {standard.version}：" + "；".join(problems))
    else:
        report.add(
            "OK",
            "PDF/X 标准",
            f"{standard.version}（信息字典与 XMP 都有 GTS_PDFXVersion，PDF {header}）",
        )
    trapped = str(info.get("/Trapped", ""))
    if trapped in ("/True", "/False"):
        report.add("OK", "陷印标记", f"Trapped = {trapped.lstrip('/')}（已注明是否做过陷印）")
    else:
        report.add("FAIL", "陷印标记", "信息字典没有 Trapped（PDF/X 要求注明是否做过陷印）")
    return data


def check_rgb_images(
    report: Preflight, images: list[tuple[int, StreamObject]], standard: Standard
) -> None:
    """RGB 图片: PDF/X-1a allows no RGB image."""
    if not standard.cmyk_photos:
        return
    rgb = [page for page, image in images if components(image.get("/ColorSpace")) == 3]
    if rgb:
        report.add(
            "FAIL",
            "RGB 图片",
            f"{pages_label(rgb)}有 RGB 图片（{standard.version} 只允许 CMYK 和灰度）",
        )
    else:
        report.add("OK", "RGB 图片", f"没有 RGB 图片（{len(images)} 张图片都是 CMYK 或灰度）")


def check_interpolation(report: Preflight, images: list[tuple[int, StreamObject]]) -> None:
    """图片插值: PDF/X forbids images that ask the RIP to interpolate."""
    asked = [page for page, image in images if getattr(image.get("/Interpolate"), "value", False)]
    if asked:
        report.add(
            "FAIL", "图片插值", f"{pages_label(asked)}的图片要求插值（PDF/X 不允许 Interpolate）"
        )
    else:
        report.add("OK", "图片插值", "没有图片要求插值")


def _decode(image: StreamObject) -> Image.Image:
    """The image's pixels (JPEG data straight to Pillow, which undoes Adobe's inversion)."""
    filters = resolve(image.get("/Filter"))
    if filters == "/DCTDecode" or (isinstance(filters, list) and filters == ["/DCTDecode"]):
        return Image.open(io.BytesIO(image._data))
    decoded = image.decode_as_image()  # type: ignore[attr-defined]
    assert decoded is not None
    return decoded


def ink_coverage(image: Image.Image, profile: bytes | None) -> float | None:
    """Total ink (C+M+Y+K, %) of a CMYK or RGB image: the 99.9th percentile over its pixels.

    RGB is converted through ``profile`` (the output intent) first; ``None`` for grey
    images or RGB without a CMYK profile.
    """
    if image.mode == "RGB" and profile is not None:
        image = to_cmyk_with(profile, image)
    if image.mode != "CMYK":
        return None
    c, m, y, k = image.split()
    # The sum ÷ 4 fits one byte: bin v stands for v × 4 / 255 × 100 % (steps of 1.6 %).
    quarter = ImageMath.lambda_eval(
        lambda a: a["convert"]((a["c"] + a["m"] + a["y"] + a["k"]) / 4, "L"), c=c, m=m, y=y, k=k
    )
    histogram = quarter.histogram()
    allowed = sum(histogram) * 0.001
    beyond = 0
    for value in range(255, -1, -1):
        beyond += histogram[value]
        if beyond > allowed:
            return round(value * 4 / 255 * 100, 1)
    return 0.0


def check_ink(
    report: Preflight,
    images: list[tuple[int, StreamObject]],
    profile: bytes | None,
    store: Store | None,
) -> None:
    """总墨量: the total ink coverage of every colour photo, at most ``MAX_INK`` %."""
    measured: list[tuple[int, float]] = []
    for page, image in images:
        if components(image.get("/ColorSpace")) not in (3, 4):
            continue

        def measure(image: StreamObject = image) -> str:
            value = ink_coverage(_decode(image), profile)
            return "" if value is None else str(value)

        stamp = key("ink", image._data, profile or b"", str(image.get("/ColorSpace")))
        value = (store or Store(None)).text(f"ink-{stamp}.txt", measure)
        if value:
            measured.append((page, float(value)))
    if not measured:
        report.add("OK", "总墨量", "没有彩色照片")
        return
    over = [(page, value) for page, value in measured if value > MAX_INK]
    how = "RGB 照片先按输出意图换算成 CMYK，再逐像素计算 C+M+Y+K，用 Pillow 自算，取 99.9 百分位"
    if over:
        report.add(
            "FAIL",
            "总墨量",
            f"{pages_label([p for p, _ in over])}的照片总墨量超过 {MAX_INK}%"
            f"（最高 {max(v for _, v in over):.0f}%；{how}）",
        )
    else:
        top = max(v for _, v in measured)
        report.add(
            "OK",
            "总墨量",
            f"{len(measured)} 张照片总墨量最高 {top:.0f}%，不超过 {MAX_INK}%（{how}）",
        )
