"""Both scripts from one source: protected terms survive, everything else converts."""

from __future__ import annotations

import re

from .conftest import SiteBuild


def _main_text(html: str) -> str:
    match = re.search(r"<article[^>]*>(.*)</article>", html, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1) if match else html)


def test_protected_brand_in_a_simplified_story_stays_in_the_mirror(
    lamplight_site: SiteBuild,
) -> None:
    root = (lamplight_site.site / "stories/a-xiang-zhi-bo/index.html").read_text(encoding="utf-8")
    mirror = (lamplight_site.site / "zh-hant/stories/a-xiang-zhi-bo/index.html").read_text(
        encoding="utf-8"
    )
    assert "湄江香茶铺" in _main_text(root)
    assert "湄江香茶铺" in _main_text(mirror)  # protected: not 湄江香茶鋪
    assert "湄江香茶鋪" not in mirror
    # the words around it did convert
    assert "网店" in _main_text(root) and "網店" in _main_text(mirror)


def test_protected_alias_in_a_traditional_story_stays_at_the_root(
    lamplight_site: SiteBuild,
) -> None:
    root = (lamplight_site.site / "stories/liu-da-ge-yang-zhu/index.html").read_text(
        encoding="utf-8"
    )
    mirror = (lamplight_site.site / "zh-hant/stories/liu-da-ge-yang-zhu/index.html").read_text(
        encoding="utf-8"
    )
    assert "「劉大哥一家」" in _main_text(root)
    assert "「刘大哥一家」" not in root
    assert "「劉大哥一家」" in _main_text(mirror)
    assert "养猪" in _main_text(root) and "養豬" in _main_text(mirror)
    assert "电商" not in _main_text(mirror)


def test_lang_attribute_follows_the_script(lamplight_site: SiteBuild) -> None:
    root = (lamplight_site.site / "index.html").read_text(encoding="utf-8")
    mirror = (lamplight_site.site / "zh-hant/index.html").read_text(encoding="utf-8")
    assert re.search(r'<html[^>]+lang="zh-(Hans|CN)"', root)
    assert re.search(r'<html[^>]+lang="zh-(Hant|TW)"', mirror)
