"""The public website: pages, links, scripts, privacy of the output, determinism, failure."""

from __future__ import annotations

import hashlib
import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from PIL import Image

from generators import urls
from generators.content import KINDS
from generators.errors import SiteError
from generators.pipeline import build_site
from generators.qr import qr_svg
from generators.site.charts import fmt_number
from generators.site.plan import plan_site
from generators.site.structure import SAMPLE_NOTICE, Options, paginate

from .conftest import PROJECT_ROOT, SiteBuild, site_catalogue, source_date_epoch

SITE_URL = "https://lamplight.example.org/"
XML_NAMESPACES = {
    "http://www.w3.org/2000/svg",
    "http://www.w3.org/1999/xlink",
    "http://www.w3.org/1999/xhtml",
}
HREF_RE = re.compile(r'href="([^"]*)"')
URL_RE = re.compile(r"https?://[^\s\"'<>()`\\]+")
#: Pagefind's bundle parses relative URLs against this RFC 2606 placeholder host (never fetched).
PAGEFIND_PLACEHOLDER = "https://example.com${"

pytestmark = pytest.mark.slow


def page(site: Path, src: str) -> Path:
    """Built file of a page source in a directory-URL site."""
    return site / urls.dest_url(src, True) / "index.html"


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def text(path: Path) -> str:
    """Page HTML with entities decoded (for looking for content strings)."""
    return html.unescape(read(path))


def local_links(path: Path) -> set[Path]:
    """Files the page links to inside the site."""
    found = set()
    for href in HREF_RE.findall(read(path)):
        href = html.unescape(href)
        if not href or href.startswith(("#", "tel:", "mailto:", "http:", "https:")):
            continue
        href = href.split("#")[0]
        target = Path(os.path.normpath(path.parent / href))
        if href.endswith("/") or href in (".", ".."):
            target = target / "index.html"
        found.add(target)
    return found


def list_pages(site: Path, base: str) -> list[Path]:
    first = page(site, urls.list_src(base, 1))
    return [first, *sorted((first.parent / "page").glob("*/index.html"))]


def tree_hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# ---------------------------------------------------------------------------- pages


def test_a_page_for_every_published_item_and_none_for_the_rest(lamplight_site: SiteBuild) -> None:
    cat, site = lamplight_site.cat, lamplight_site.site
    published = {
        "skill": {s.id for s in cat.published_skills()},
        "showcase": {s.id for s in cat.published_showcases("web")},
        "elder": {e.id for e in cat.published_elders("web")},
    }
    sources = {kind: KINDS[kind].page_src for kind in ("skill", "showcase", "elder")}
    pools = {"skill": cat.skills, "showcase": cat.showcases, "elder": cat.elders}
    assert all(published.values()), "the sample should publish at least one item of each kind"
    for kind, pool in pools.items():
        for ident in pool:
            for root in (site, site / "zh-hant"):
                exists = page(root, sources[kind](ident)).exists()
                assert exists == (ident in published[kind]), (kind, ident, root.name)
    for kind, idents in lamplight_site.hidden.items():
        for ident in idents:
            assert not page(site, sources[kind](ident)).exists()
            assert not any(ident in p.name for p in site.rglob("*"))


def test_index_pages_link_every_published_item(lamplight_site: SiteBuild) -> None:
    cat, site = lamplight_site.cat, lamplight_site.site
    for base, src, items in (
        ("skills", KINDS["skill"].page_src, cat.published_skills()),
        ("stories", KINDS["showcase"].page_src, cat.published_showcases("web")),
        ("elders", KINDS["elder"].page_src, cat.published_elders("web")),
    ):
        linked: set[Path] = set()
        for index in list_pages(site, base):
            linked |= local_links(index)
        for item in items:
            assert page(site, src(item.id)) in linked, (base, item.id)
    hidden = lamplight_site.hidden
    for index in site.rglob("index.html"):
        body = read(index)
        for ident in hidden["skill"]:
            assert f"skills/{ident}/" not in body, index
        for ident in hidden["showcase"]:
            assert f"stories/{ident}/" not in body, index


def test_browse_pages_reach_every_item(lamplight_site: SiteBuild) -> None:
    cat, site = lamplight_site.cat, lamplight_site.site
    browse = page(site, "browse/index.md")
    reached: set[Path] = set()
    for facet_page in local_links(browse):
        if "browse" in facet_page.parts and facet_page.exists():
            reached |= local_links(facet_page)
    for showcase in cat.published_showcases("web"):
        assert page(site, KINDS["showcase"].page_src(showcase.id)) in reached
    for skill in cat.published_skills():
        assert page(site, KINDS["skill"].page_src(skill.id)) in reached


def test_pagination_splits_lists_and_keeps_every_item(lamplight_site: SiteBuild) -> None:
    assert paginate(list(range(45)), 20) == [
        list(range(20)),
        list(range(20, 40)),
        list(range(40, 45)),
    ]
    assert paginate([], 20) == [[]]
    cat = lamplight_site.cat
    plan = plan_site(
        cat, Options(per_page=2, cache_dir=PROJECT_ROOT / ".lamplight-cache" / "images")
    )
    skill_lists = [
        p for p in plan.pages if p.src.startswith("skills/") and p.template == "list.html"
    ]
    assert len(skill_lists) == max(1, -(-len(cat.published_skills()) // 2))
    listed = [e.src for p in skill_lists for e in p.context["entries"]]
    assert sorted(listed) == sorted(KINDS["skill"].page_src(s.id) for s in cat.published_skills())
    assert len(plan.nav) <= 8
    assert all(isinstance(next(iter(item.values())), (str, list)) for item in plan.nav)


def test_skill_page_shows_its_key_fields(lamplight_site: SiteBuild) -> None:
    cat, site = lamplight_site.cat, lamplight_site.site
    hans = cat.converter.hans
    for skill in cat.published_skills():
        body = text(page(site, KINDS["skill"].page_src(skill.id)))
        for value in (
            skill.title,
            skill.summary,
            skill.problem,
            skill.climate,
            skill.expected_return.assumptions,
        ):
            assert hans(value) in body, (skill.id, value)
        for material in skill.materials:
            assert hans(material.name) in body
        total = round(sum(m.quantity * m.price for m in skill.materials), 2)
        assert f"<strong>{fmt_number(total)}</strong>" in body
        for step in skill.steps:
            assert hans(step.text) in body
        for entry in skill.calendar:
            assert hans(entry.task) in body
        for item in (*skill.safety, *skill.where_to_sell):
            assert hans(item) in body
        for mistake in skill.mistakes:
            assert hans(mistake.mistake) in body and hans(mistake.fix) in body
        if skill.who_to_ask.hotline:
            assert f'href="tel:{skill.who_to_ask.hotline}"' in body
        for elder in cat.published_elders("web"):
            if elder.id in skill.who_to_ask.elders:
                assert f"elders/{elder.id}/" in body
        assert f"{fmt_number(skill.expected_return.net)} 元" in body
        assert body.count('class="ll-month ll-month--on"') == sum(
            (c.to_month - c.from_month) % 12 + 1 for c in skill.calendar
        )


def test_showcase_page_shows_its_key_fields(lamplight_site: SiteBuild) -> None:
    cat, site = lamplight_site.cat, lamplight_site.site
    hans = cat.converter.hans
    for showcase in cat.published_showcases("web"):
        body = text(page(site, KINDS["showcase"].page_src(showcase.id)))
        for value in (
            showcase.title,
            showcase.summary,
            showcase.display_name,
            *showcase.replicability,
        ):
            assert hans(value) in body, (showcase.id, value)
        for section in ("基本情况", "主要做法", "取得成效", "经验启示"):
            assert f"<h2>{section}</h2>" in body or f'">{section}</h2>' in body, (
                showcase.id,
                section,
            )
        for photo in showcase.photos:
            assert hans(photo.caption) in body
        for skill_id in showcase.skills:
            if cat.skills[skill_id].status == "published":
                assert f"skills/{skill_id}/" in body
        for elder_id in showcase.elders:
            if elder_id in {e.id for e in cat.published_elders("web")}:
                assert f"elders/{elder_id}/" in body
        assert "data-pagefind-body" in body
        assert '<span data-pagefind-meta="kind" hidden>榜样</span>' in body
        assert (
            f'<span data-pagefind-meta="region" hidden>{hans(showcase.region.label())}</span>'
            in body
        )


def test_chart_numbers_equal_the_yaml(lamplight_site: SiteBuild) -> None:
    cat, site = lamplight_site.cat, lamplight_site.site
    for showcase in cat.published_showcases("web"):
        raw = yaml.safe_load((cat.folder(showcase) / "showcase.yaml").read_text(encoding="utf-8"))
        before = fmt_number(raw["key_figures"]["income_before"]["amount"])
        after = fmt_number(raw["key_figures"]["income_after"]["amount"])
        body = read(page(site, KINDS["showcase"].page_src(showcase.id)))
        svg = re.search(r"<svg[^>]*class=\"ll-chart\"[^>]*>.*?</svg>", body, re.S)
        assert svg is not None, showcase.id
        assert f'data-before="{before}"' in svg.group(0) and f'data-after="{after}"' in svg.group(0)
        assert f">{before} 元</text>" in svg.group(0) and f">{after} 元</text>" in svg.group(0)
        assert f'data-field="income_before">{before}</strong>' in body
        assert f'data-field="income_after">{after}</strong>' in body


def test_elder_page_lists_skills_and_stories(lamplight_site: SiteBuild) -> None:
    cat, site = lamplight_site.cat, lamplight_site.site
    for elder in cat.published_elders("web"):
        body = text(page(site, KINDS["elder"].page_src(elder.id)))
        assert cat.converter.hans(elder.contact.name) in body
        for showcase in cat.showcases_for_elder(elder.id):
            assert f"stories/{showcase.id}/" in body
        for skill in cat.skills_by_elder(elder.id):
            assert f"skills/{skill.id}/" in body
        assert elder.consent is not None and elder.consent.ref not in body


def test_sample_notice_qr_and_read_aloud_on_every_skill_and_story(
    lamplight_site: SiteBuild,
) -> None:
    cat, site = lamplight_site.cat, lamplight_site.site
    sources = [KINDS["skill"].page_src(s.id) for s in cat.published_skills()]
    sources += [KINDS["showcase"].page_src(s.id) for s in cat.published_showcases("web")]
    for src in sources:
        body = read(page(site, src))
        assert (SAMPLE_NOTICE in body) == cat.sample
        assert 'class="ll-qr-code"' in body and SITE_URL + urls.dest_url(src, True) in body
        assert 'class="ll-read"' in body and 'data-ll-read="ll-article"' in body
    svg = qr_svg(SITE_URL)
    assert (
        svg.startswith("<svg")
        and 'xmlns="http://www.w3.org/2000/svg"' in svg
        and svg == qr_svg(SITE_URL)
    )


def test_pairings_page_shows_counts_only(lamplight_site: SiteBuild) -> None:
    cat, site = lamplight_site.cat, lamplight_site.site
    body = text(page(site, "pairings/index.md"))
    assert f"<strong>{len(cat.pairings)}</strong>" in body
    for pairing in cat.pairings.values():
        assert pairing.id not in body
        if pairing.household.code:
            assert pairing.household.code not in body
        for goal in pairing.goals:
            assert cat.converter.hans(goal) not in body
        for visit in pairing.visits:
            assert cat.converter.hans(visit.topic) not in body
    assert sorted(p.name for p in (site / "pairings").iterdir()) == ["index.html"]


def test_every_page_has_header_hooks_and_language(lamplight_site: SiteBuild) -> None:
    site = lamplight_site.site
    search_js = (PROJECT_ROOT / "generators" / "search" / "assets" / "lamplight-search.js").exists()
    for path in site.rglob("*.html"):
        if "pagefind" in path.parts:
            continue
        body = read(path)
        mirror = "zh-hant" in path.relative_to(site).parts
        assert f'<html lang="{"zh-Hant" if mirror else "zh-Hans"}"' in body, path
        assert '<form class="ll-search" role="search" action="' in body
        assert 'id="ll-search-input"' in body and 'aria-label="搜索"' in body
        assert 'class="ll-size"' in body
        assert ("lamplight-search.js" in body and " defer" in body) == search_js
        assert "fonts.googleapis" not in body and "bundle." not in body
    assert '<div id="ll-search-results"></div>' in read(page(site, "search/index.md"))
    if search_js:
        assert (site / "assets" / "javascripts" / "lamplight-search.js").is_file()


# ---------------------------------------------------------------------------- output hygiene


def test_no_reference_to_any_other_host(lamplight_site: SiteBuild) -> None:
    bad = []
    for path in sorted(lamplight_site.site.rglob("*")):
        if path.suffix not in (".html", ".css", ".js", ".mjs", ".svg") or not path.is_file():
            continue
        for url in URL_RE.findall(read(path)):
            if url.startswith(SITE_URL) or url in XML_NAMESPACES:
                continue
            if "pagefind" in path.relative_to(lamplight_site.site).parts and url.startswith(
                PAGEFIND_PLACEHOLDER
            ):
                continue
            bad.append(f"{path.relative_to(lamplight_site.site)}: {url}")
    assert not bad, "\n".join(bad[:20])


def test_no_yaml_source_is_copied_into_the_site(lamplight_site: SiteBuild) -> None:
    sources = set()
    for folder in ("content", "showcases", "skills_library"):
        for path in (PROJECT_ROOT / folder).rglob("*"):
            if path.suffix in (".yaml", ".yml", ".md") and path.is_file():
                sources.add(hashlib.sha256(path.read_bytes()).hexdigest())
    for path in lamplight_site.site.rglob("*"):
        if path.is_file():
            assert path.suffix not in (".yaml", ".yml"), path
            assert hashlib.sha256(path.read_bytes()).hexdigest() not in sources, path
    cat = lamplight_site.cat
    refs = {r.consent.ref for r in (*cat.showcases.values(), *cat.elders.values()) if r.consent}
    refs |= {p.consent_ref for s in cat.showcases.values() for p in s.photos if p.consent_ref}
    for path in lamplight_site.site.rglob("*.html"):
        body = read(path)
        assert not [ref for ref in refs if ref in body], path


def test_photos_have_no_metadata(lamplight_site: SiteBuild) -> None:
    photos = [
        p
        for p in lamplight_site.site.rglob("*")
        if p.suffix.lower() in (".jpg", ".jpeg", ".png", ".webp")
    ]
    assert any(p.suffix == ".jpg" for p in photos)
    for path in photos:
        data = path.read_bytes()
        assert b"Exif\x00\x00" not in data and b"http://ns.adobe.com/xap" not in data, path
        with Image.open(io.BytesIO(data)) as image:
            assert len(image.getexif()) == 0, path
            assert "exif" not in image.info and "xmp" not in image.info, path


def test_story_page_uses_responsive_lazy_images(lamplight_site: SiteBuild) -> None:
    cat, site = lamplight_site.cat, lamplight_site.site
    for showcase in cat.published_showcases("web"):
        body = read(page(site, KINDS["showcase"].page_src(showcase.id)))
        for tag in re.findall(r"<img\b[^>]*>", body):
            for attr in ("srcset=", "sizes=", 'loading="lazy"', "width=", "height="):
                assert attr in tag, tag


# ---------------------------------------------------------------------------- scripts


def test_traditional_mirror_has_a_twin_for_every_page_and_switch_links_both_ways(
    lamplight_site: SiteBuild,
) -> None:
    site = lamplight_site.site
    mirror = site / "zh-hant"
    pages = [
        p
        for p in site.rglob("*.html")
        if not {"zh-hant", "pagefind", "assets"} & set(p.relative_to(site).parts)
    ]
    assert len(pages) > 10
    for path in pages:
        rel = path.relative_to(site)
        twin = mirror / rel
        assert twin.is_file(), rel
        if rel.name == "404.html":
            continue
        there = re.search(r'<a href="([^"]+)" lang="zh-Hant" hreflang="zh-Hant">', read(path))
        back = re.search(r'<a href="([^"]+)" lang="zh-Hans" hreflang="zh-Hans">', read(twin))
        assert there and back, rel
        assert (
            Path(os.path.normpath(path.parent / there.group(1))) / "index.html" == twin
            or Path(os.path.normpath(path.parent / there.group(1))) == twin.parent
        ), rel
        assert Path(os.path.normpath(twin.parent / back.group(1))) == path.parent, rel


def test_traditional_story_is_simplified_at_the_root_and_traditional_in_the_mirror(
    lamplight_site: SiteBuild,
) -> None:
    cat, site = lamplight_site.cat, lamplight_site.site
    conv = cat.converter
    written_hant = [
        s for s in cat.published_showcases("web") if conv.hans(cat.body(s)) != cat.body(s)
    ]
    assert written_hant, "the sample should contain a story written in Traditional characters"
    for showcase in written_hant:
        root_page = text(page(site, KINDS["showcase"].page_src(showcase.id)))
        mirror_page = text(page(site / "zh-hant", KINDS["showcase"].page_src(showcase.id)))
        lines = [
            line
            for line in cat.body(showcase).splitlines()
            if line and not line.startswith(("#", ">"))
        ]
        sample = lines[0][:30]
        assert conv.hans(sample) in root_page and conv.hant(sample) in mirror_page
        assert conv.hans(showcase.title) in root_page and conv.hant(showcase.title) in mirror_page
        if conv.hans(showcase.title) != showcase.title:
            assert showcase.title not in root_page
        assert "看榜样" in root_page and "看榜樣" in mirror_page
    for path in (site / "zh-hant").rglob("*.html"):
        if "pagefind" in path.parts:
            continue
        body = read(path)
        for simplified in ("榜样", "学技能", "字号", "内容版本", "找老师"):
            assert simplified not in body, (path, simplified)


# ---------------------------------------------------------------------------- build behaviour


def test_offline_zip_uses_html_links(lamplight_site: SiteBuild) -> None:
    archive = zipfile.ZipFile(lamplight_site.dist / "lamplight-offline.zip")
    names = set(archive.namelist())
    story = sorted(s.id for s in lamplight_site.cat.published_showcases("web"))[0]
    for prefix in ("", "zh-hant/"):
        for name in (
            f"{prefix}index.html",
            f"{prefix}stories/{story}/index.html",
            f"{prefix}skills/index.html",
        ):
            assert name in names
            body = archive.read(name).decode("utf-8")
            for href in HREF_RE.findall(body):
                if href.startswith(("#", "tel:", "mailto:", SITE_URL)):
                    continue
                assert not href.endswith("/") and href not in (".", ".."), (name, href)
                target = os.path.normpath(os.path.join(os.path.dirname(name), href.split("#")[0]))
                assert target in names, (name, href)


def test_page_budget_is_recorded(lamplight_site: SiteBuild) -> None:
    budget = json.loads((lamplight_site.dist / "page-budget.json").read_text(encoding="utf-8"))
    assert budget["page"].startswith("stories/")
    assert 0 < budget["total"] < 80 * 1024
    print(f"story page budget: {budget['total_kb']} KB gzip; build {lamplight_site.seconds:.1f} s")


def test_mkdocs_build_strict_from_the_project_root(tmp_path: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--quiet",
            "--site-dir",
            str(tmp_path / "out"),
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert (tmp_path / "out" / "index.html").is_file()
    assert not (tmp_path / "out" / "zh-hant").exists()


def test_a_failed_build_leaves_the_previous_site_untouched(
    lamplight_site: SiteBuild, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    shutil.copytree(lamplight_site.site, site)
    before = tree_hashes(site)
    cat, _hidden = site_catalogue()
    showcase = next(s for s in cat.published_showcases("web") if s.photos)
    showcase.photos[0].file = "photos/no-such-photo.jpg"
    with pytest.raises(SiteError) as failure:
        build_site(cat, PROJECT_ROOT, site_dir=site, dist_dir=tmp_path / "dist")
    message = str(failure.value)
    assert showcase.id in message and "no-such-photo.jpg" in message and "图片" in message
    assert tree_hashes(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_broken_template_fails_with_a_chinese_message(monkeypatch: pytest.MonkeyPatch) -> None:
    import jinja2

    from generators.site import render

    env = jinja2.Environment(
        loader=jinja2.DictLoader({"bad.html": "第一行\n{% if %}"}), autoescape=True
    )
    monkeypatch.setattr(render, "environment", lambda: env)
    with pytest.raises(SiteError) as failure:
        render.render("bad.html", "技能教程“测试”（skills_library/x）")
    assert "bad.html" in str(failure.value) and "第 2 行" in str(failure.value)
    assert "skills_library/x" in str(failure.value)


def test_same_input_gives_the_same_bytes(lamplight_site: SiteBuild, tmp_path: Path) -> None:
    cat, _hidden = site_catalogue()
    with source_date_epoch(lamplight_site.epoch):
        again = build_site(
            cat, PROJECT_ROOT, site_dir=tmp_path / "site", dist_dir=tmp_path / "dist"
        )
    assert tree_hashes(again) == tree_hashes(lamplight_site.site)
    assert tree_hashes(tmp_path / "dist") == tree_hashes(lamplight_site.dist)
