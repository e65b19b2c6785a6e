"""Build caches of the site: converted pages and QR codes are reused, never wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from generators import qr
from generators.cache import Store
from generators.scripts import Converter
from generators.site.convcache import ConversionCache


def test_converted_pages_are_read_back_and_pruned(tmp_path: Path) -> None:
    calls: list[str] = []
    conv = Converter(["劉大哥一家"])

    def _to_hant(text: str) -> str:
        calls.append(text)
        return conv.convert(text, "hant")

    cache = ConversionCache(tmp_path / "c", _to_hant, conv.protected)
    page = "<p>刘大哥一家养猪，劉大哥一家的猪圈。</p>"
    first = cache.convert(page)
    assert first == conv.convert(page, "hant") and "劉大哥一家" in first
    again = ConversionCache(tmp_path / "c", _to_hant, conv.protected)
    assert again.convert(page) == first
    assert calls == [page]  # the second build read the converted page back
    other = ConversionCache(tmp_path / "c", _to_hant, ("别的词",))
    other.convert(page)
    assert len(calls) == 2  # other protected terms: a different entry

    again.convert("<p>新的一页</p>")
    again.prune()
    names = {p.name for p in (tmp_path / "c").rglob("*") if p.is_file()}
    assert len(names) == 2 and names == again.used


def test_qr_codes_are_cached_on_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = "https://lamplight.example.org/stories/test-cache/"
    store = Store(tmp_path)
    svg = qr.qr_svg(url, store=store)
    assert svg.startswith("<svg") and "ll-qr-code" in svg
    assert len(list(tmp_path.glob("*.svg"))) == 1

    def _no_drawing(_url: str) -> str:
        raise AssertionError("drawn again")

    with monkeypatch.context() as patch:
        patch.setattr(qr, "_draw", _no_drawing)
        assert qr.qr_svg(url, store=store) == svg
    # a damaged cache file is drawn again
    next(tmp_path.glob("*.svg")).write_text("garbage", encoding="utf-8")
    assert qr.qr_svg(url, store=store) == svg
