"""Both scripts from one source: protected terms survive, everything else converts."""

from __future__ import annotations

import re
from pathlib import Path

from generators.content import load_or_raise
from generators.site.build import build_scripts, config_file
from generators.site.session import SiteSession
from generators.urls import site_url

from .conftest import PROJECT_ROOT, SiteBuild


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


def test_a_traditional_story_reads_in_simplified_at_the_root(
    lamplight_site: SiteBuild,
) -> None:
    root = (lamplight_site.site / "stories/liu-da-ge-yang-zhu/index.html").read_text(
        encoding="utf-8"
    )
    mirror = (lamplight_site.site / "zh-hant/stories/liu-da-ge-yang-zhu/index.html").read_text(
        encoding="utf-8"
    )
    # the household's name follows the page's script, in the facts and in the story
    assert "<strong>人家：</strong>「刘大哥一家」</li>" in root
    assert "「劉大哥一家」" not in root
    assert "<strong>人家：</strong>「劉大哥一家」</li>" in mirror
    assert "「刘大哥一家」" not in mirror
    assert "养猪" in _main_text(root) and "養豬" in _main_text(mirror)
    assert "电商" not in _main_text(mirror)


def test_lang_attribute_follows_the_script(lamplight_site: SiteBuild) -> None:
    root = (lamplight_site.site / "index.html").read_text(encoding="utf-8")
    mirror = (lamplight_site.site / "zh-hant/index.html").read_text(encoding="utf-8")
    assert re.search(r'<html[^>]+lang="zh-(Hans|CN)"', root)
    assert re.search(r'<html[^>]+lang="zh-(Hant|TW)"', mirror)


def _switch_link(html: str, lang: str) -> str:
    match = re.search(rf'<a href="([^"]*)" lang="{lang}" hreflang="{lang}">', html)
    assert match, f"no {lang} switch link"
    return match.group(1)


def test_the_404_pages_switch_to_the_other_scripts_root(lamplight_site: SiteBuild) -> None:
    root = (lamplight_site.site / "404.html").read_text(encoding="utf-8")
    mirror = (lamplight_site.site / "zh-hant/404.html").read_text(encoding="utf-8")
    assert _switch_link(root, "zh-Hant") == "/zh-hant/"
    assert _switch_link(mirror, "zh-Hans") == "/"
    # ordinary pages keep relative links to the same page in the other script
    page = (lamplight_site.site / "stories/index.html").read_text(encoding="utf-8")
    assert _switch_link(page, "zh-Hant") == "../zh-hant/stories/"
    page = (lamplight_site.site / "zh-hant/stories/index.html").read_text(encoding="utf-8")
    assert _switch_link(page, "zh-Hans") == "../../stories/"


def test_display_names_follow_the_script_unless_protected(tmp_path: Path) -> None:
    """A name written in Traditional shows in Simplified at the root, in Traditional in the
    mirror, on story and elder pages alike."""
    cat = load_or_raise(PROJECT_ROOT)
    story = cat.showcases[STORY]
    story.display_name = "「劉大姐一家」"  # not in content/protected_terms.yaml
    elder_id = next(e for e in story.elders if e in {x.id for x in cat.published_elders("web")})
    elder = cat.elders[elder_id]
    elder.display_name = "王老專家"
    session = SiteSession(cat)
    config = config_file(PROJECT_ROOT)
    url = site_url(PROJECT_ROOT)
    build_scripts(session, config, tmp_path / "site", url, directory_urls=True)
    for folder, name, elder_name in (
        (tmp_path / "site", "「刘大姐一家」", "王老专家"),
        (tmp_path / "site/zh-hant", "「劉大姐一家」", "王老專家"),
    ):
        page = (folder / f"stories/{STORY}/index.html").read_text(encoding="utf-8")
        assert f"<strong>人家：</strong>{name}</li>" in page, folder
        assert elder_name in _main_text(page)
        elder_page = (folder / f"elders/{elder_id}/index.html").read_text(encoding="utf-8")
        assert f"<h1>{elder_name}</h1>" in elder_page
        assert f"<title>{elder_name} - " in elder_page
    root = (tmp_path / "site" / f"stories/{STORY}/index.html").read_text(encoding="utf-8")
    assert "劉大姐" not in root and "王老專家" not in root
    assert "「刘大哥一家」" in _main_text(root)  # the household named in the story's body


STORY = "liu-da-ge-yang-zhu"
