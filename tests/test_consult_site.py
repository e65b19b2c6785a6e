"""The consultation and information lines on the built sample site: question, team and
notice pages in both scripts, their lists and filters, the archive and the links to them."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from pathlib import Path

import pytest

from generators import urls
from generators.content import KINDS
from generators.content.consultation import is_current, published_notices, published_questions

from .conftest import PROJECT_ROOT, SiteBuild, source_date_epoch
from .test_site import SITE_URL, page, text

pytestmark = pytest.mark.slow


def _on(build: SiteBuild) -> dt.date:
    return dt.datetime.fromtimestamp(build.epoch, tz=dt.UTC).date()


def _item_links(body: str, folder: str, at: str = "") -> list[str]:
    """Ids of the ``folder`` items a page at site path ``at`` links to, in page order."""
    found = []
    for href in re.findall(r'href="([^"#]*)"', body):
        target = posixpath.normpath(posixpath.join("/" + at, href))
        match = re.fullmatch(rf"/{folder}/([a-z0-9-]+)", target)
        if match and match.group(1) not in ("archive", "sort", "county", "industry", "skill"):
            found.append(match.group(1))
    return found


def _main(body: str) -> str:
    """The page's own content (without navigation and footer)."""
    return body[body.index('id="ll-main"') :].split("</article>")[0].split("<footer")[0]


def _list_body(site: Path, src: str) -> str:
    body = text(page(site, src))
    return body[body.index('id="ll-main"') :].split("md-footer")[0]


def _listed(site: Path, src: str, folder: str) -> list[str]:
    """The ``folder`` items a list page links to, in order."""
    return _item_links(_list_body(site, src), folder, urls.dest_url(src, True))


def test_question_pages_in_both_scripts(lamplight_site: SiteBuild) -> None:
    cat, site = lamplight_site.cat, lamplight_site.site
    questions = published_questions(cat, "web")
    assert len(questions) >= 12
    hidden_skills = set(lamplight_site.hidden["skill"])
    hidden_elders = set(lamplight_site.hidden["elder"])
    for question in questions:
        src = KINDS["question"].page_src(question.id)
        body = text(page(site, src))
        assert cat.converter.hans(question.question) in body
        assert "data-pagefind-body" in body and ">问答</span>" in body
        linked_skills = set(_item_links(body, "skills", urls.dest_url(src, True)))
        assert linked_skills == set(question.skills) - hidden_skills
        linked_elders = set(_item_links(body, "elders", urls.dest_url(src, True)))
        assert linked_elders >= set(question.answered_by.elders) - hidden_elders
        assert not linked_elders & hidden_elders
        if question.answered_by.team:
            assert question.answered_by.team in _item_links(body, "teams", urls.dest_url(src, True))
        if question.consent is not None:
            assert question.consent.ref not in body
        hant = text(page(site / "zh-hant", src))
        assert cat.converter.hant(question.title) in hant
        assert ">問答</span>" in hant


def test_question_lists_newest_first_per_industry_and_per_skill(lamplight_site: SiteBuild) -> None:
    cat, site = lamplight_site.cat, lamplight_site.site
    questions = published_questions(cat, "web")
    newest = _listed(site, "questions/index.md", "questions")
    assert newest == [q.id for q in questions][: len(newest)] and len(newest) >= 12
    for industry in {q.industry for q in questions}:
        src = urls.list_src(f"questions/industry/{urls.slug(industry)}", 1)
        listed = _listed(site, src, "questions")
        assert listed == [q.id for q in questions if q.industry == industry]
    skill = cat.skills["sheng-tai-yang-zhu"]
    asked = [q.id for q in questions if skill.id in q.skills]
    assert len(asked) >= 2
    listed = _listed(site, f"questions/skill/{skill.id}/index.md", "questions")
    assert listed == asked
    skill_at = urls.dest_url(KINDS["skill"].page_src(skill.id), True)
    skill_page = text(page(site, KINDS["skill"].page_src(skill.id)))
    faq = skill_page.split('id="faq"')[1].split("<h2")[0]
    assert "常见问题" in skill_page and _item_links(faq, "questions", skill_at) == asked
    assert "lei-shan-yang-zhi" in _item_links(skill_page, "teams", skill_at)


def test_team_pages_and_their_links(lamplight_site: SiteBuild) -> None:
    cat, site = lamplight_site.cat, lamplight_site.site
    hidden_elders = set(lamplight_site.hidden["elder"])
    finder = text(page(site, "elders/index.md"))
    for team in cat.teams.values():
        src = KINDS["team"].page_src(team.id)
        body = _main(text(page(site, src)))
        assert cat.converter.hans(team.schedule) in body
        assert team.contact.hotline and f'href="tel:{team.contact.hotline}"' in body
        for tech in team.technicians:
            assert cat.converter.hans(tech.role) in body
        assert (
            set(_item_links(body, "elders", urls.dest_url(src, True)))
            == set(team.elders) - hidden_elders
        )
        answered = [q.id for q in published_questions(cat) if q.answered_by.team == team.id]
        assert set(answered) <= set(_item_links(body, "questions", urls.dest_url(src, True)))
        assert team.id in _item_links(finder, "teams", "elders/")  # the 找老师 entrance
        for elder_id in set(team.elders) - hidden_elders:
            elder_page = text(page(site, KINDS["elder"].page_src(elder_id)))
            assert team.id in _item_links(elder_page, "teams", f"elders/{elder_id}/")
        assert (page(site / "zh-hant", src)).exists()
    # a team whose only elder is not on the web shows no elder link, and no personal data
    zhao = text(page(site, "teams/cang-xi-guo-shu.md"))
    assert "zhao-lao-bing" in hidden_elders and "elders/zhao-lao-bing/" not in zhao


def test_notices_current_in_lists_expired_in_the_archive(lamplight_site: SiteBuild) -> None:
    cat, site = lamplight_site.cat, lamplight_site.site
    on = _on(lamplight_site)
    notices = published_notices(cat)
    current = [n.id for n in notices if is_current(n, on)]
    expired = [n.id for n in notices if n.expires < on]
    assert current and expired
    listed = _listed(site, "notices/index.md", "notices")
    assert listed == current
    archive = _listed(site, "notices/archive/index.md", "notices")
    assert archive == expired
    home = text(site / "index.html")
    block = home.split("最新通知")[1].split("<h2")[0]
    assert _item_links(block, "notices") == current[:5]
    assert not set(_item_links(home, "notices")) & set(expired)
    for notice in notices:
        body = text(page(site, KINDS["notice"].page_src(notice.id)))
        assert ("已于" in body and "过期" in body) == (notice.id in expired)
        hant = text(page(site / "zh-hant", KINDS["notice"].page_src(notice.id)))
        assert ("已於" in hant) == (notice.id in expired)


def test_notice_filters_by_sort_and_county(lamplight_site: SiteBuild) -> None:
    cat, site = lamplight_site.cat, lamplight_site.site
    on = _on(lamplight_site)
    current = [n for n in published_notices(cat) if is_current(n, on)]
    sorts = {n.sort for n in current}
    assert len(sorts) == 3
    for sort in sorts:
        src = urls.list_src(f"notices/sort/{urls.slug(sort)}", 1)
        listed = _listed(site, src, "notices")
        assert listed == [n.id for n in current if n.sort == sort]
    counties = {(n.region.province, n.region.county or "") for n in current}
    assert len(counties) >= 3
    for province, county in counties:
        src = urls.list_src(f"notices/county/{urls.slug(province + county)}", 1)
        listed = _listed(site, src, "notices")
        assert listed == [n.id for n in current if n.region.county == county]


def test_market_notice_shows_price_date_and_source(lamplight_site: SiteBuild) -> None:
    cat, site = lamplight_site.cat, lamplight_site.site
    notice = cat.notices["sheng-zhu-hang-qing"]
    assert notice.market is not None and notice.market.date is not None
    body = text(page(site, KINDS["notice"].page_src(notice.id)))
    assert "7.2–7.8 元/斤" in body
    assert notice.market.date.isoformat() in body
    assert cat.converter.hans(notice.market.source or "") in body


def test_pagefind_copy_has_the_new_kinds_and_no_expired_notice(
    lamplight_site: SiteBuild, tmp_path: Path
) -> None:
    from generators.search.pagefind_copy import prepare_copy

    cat, site = lamplight_site.cat, lamplight_site.site
    on = _on(lamplight_site)
    with source_date_epoch(lamplight_site.epoch):
        copied = set(prepare_copy(site, tmp_path / "copy", cat))
    for kind, folder in (("question", "questions"), ("team", "teams"), ("notice", "notices")):
        pages = sorted(p for p in copied if p.startswith(folder + "/"))
        assert pages, kind
        html = (tmp_path / "copy" / pages[0]).read_text(encoding="utf-8")
        assert f'data-pagefind-meta="ll_kind:{kind}"' in html
    for notice in published_notices(cat):
        indexed = f"notices/{notice.id}/index.html" in copied
        assert indexed == is_current(notice, on), notice.id


def test_search_script_names_every_searched_kind() -> None:
    script = (
        Path(__file__).resolve().parent.parent / "generators/search/assets/lamplight-search.js"
    ).read_text(encoding="utf-8")
    for kind in ("question", "team", "notice"):
        label = KINDS[kind].reader_label
        assert f'{kind}: "{label}"' in script


def test_the_built_site_has_a_feed_per_script(lamplight_site: SiteBuild) -> None:
    import feedparser

    site = lamplight_site.site
    for path, prefix in ((site / "feed.xml", ""), (site / "zh-hant" / "feed.xml", "zh-hant/")):
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo and parsed.entries
        for entry in parsed.entries:
            rel = entry.link.split("/", 3)[3]
            assert rel.startswith(prefix)
            assert (site / rel / "index.html").is_file(), entry.link


def test_share_posters_for_every_current_notice_and_story(lamplight_site: SiteBuild) -> None:
    import zxingcpp
    from PIL import Image

    cat, site = lamplight_site.cat, lamplight_site.site
    on = _on(lamplight_site)
    base = SITE_URL
    notices = [n.id for n in published_notices(cat) if is_current(n, on)]
    stories = [s.id for s in cat.published_showcases("web")]
    expected = {f"notice-{i}.png" for i in notices} | {f"showcase-{i}.png" for i in stories}
    for prefix in ("", "zh-hant/"):
        folder = site / prefix / "posters"
        assert {p.name for p in folder.glob("*.png")} == expected
        for name in sorted(expected):
            path = folder / name
            assert path.stat().st_size < 300_000, name
            with Image.open(path) as img:
                assert img.width == 1080
                found = zxingcpp.read_barcodes(img.convert("L"))
            kind, ident = name[: -len(".png")].split("-", 1)
            folder_name = KINDS[kind].page_folder
            assert [b.text for b in found] == [f"{base}{prefix}{folder_name}/{ident}/"], name
    for hidden in lamplight_site.hidden["showcase"]:
        assert not (site / "posters" / f"showcase-{hidden}.png").exists()


def test_notice_and_story_pages_share_to_the_groups(lamplight_site: SiteBuild) -> None:
    cat, site = lamplight_site.cat, lamplight_site.site
    on = _on(lamplight_site)
    for notice in published_notices(cat):
        body = text(page(site, KINDS["notice"].page_src(notice.id)))
        assert ("分享到群" in body) == is_current(notice, on)
    story = sorted(s.id for s in cat.published_showcases("web"))[0]
    src = KINDS["showcase"].page_src(story)
    body = text(page(site, src))
    share = body.split('id="share"')[1].split("</section>")[0]
    assert f"详情：{SITE_URL}stories/{story}/" in share
    assert f'href="../../posters/showcase-{story}.png"' in share
    hant = text(page(site / "zh-hant", src)).split('id="share"')[1].split("</section>")[0]
    assert f"詳情：{SITE_URL}zh-hant/stories/{story}/" in hant


def test_live_preview_fingerprint_covers_the_added_questions(tmp_path: Path) -> None:
    """An edited question changes its skill page's fingerprint (the skill itself unchanged)."""
    from generators.content import load_or_raise
    from generators.site.plan import plan_site
    from generators.site.session import Preview, SiteSession
    from generators.site.structure import Options

    from .helpers import copy_project, edit

    root = copy_project(tmp_path / "p")
    preview = Preview(root)
    options = Options(cache_dir=tmp_path / "cache" / "images")
    src = KINDS["skill"].page_src("sheng-tai-yang-zhu")

    def skill_key() -> str:
        plan = plan_site(load_or_raise(root), options, SiteSession(None, preview))
        return next(p.key for p in plan.pages if p.src == src)

    first = skill_key()
    assert first and skill_key() == first
    edit(
        root / "content/questions/zhu-la-xi-zen-me-ban.yaml",
        "title: 小猪拉稀怎么办",
        "title: 小猪拉肚子怎么办",
    )
    changed = skill_key()
    assert changed != first and changed.split("+")[0] == first.split("+")[0]


def test_team_with_a_group_qr_image(tmp_path: Path) -> None:
    """A team whose public channel is a group QR image: checked, resized, shown on its page."""
    import segno

    from generators.content import load_or_raise
    from generators.site.plan import plan_site
    from generators.site.render import render
    from generators.site.structure import Options

    from .helpers import copy_project, edit, run

    root = copy_project(tmp_path / "p")
    team = root / "content/teams/lei-shan-yang-zhi.yaml"
    edit(team, '  hotline: "12316"\n', "  qr_image: qr/lei-shan.png\n")
    missing = run("check", root=root)
    assert missing.exit_code == 1 and "E204" in missing.stdout
    (root / "content/teams/qr").mkdir()
    segno.make_qr("https://example.org/group").save(
        root / "content/teams/qr/lei-shan.png", scale=20
    )
    assert run("check", root=root).exit_code == 0
    plan = plan_site(load_or_raise(root), Options(cache_dir=tmp_path / "cache" / "images"))
    spec = next(p for p in plan.pages if p.src == "teams/lei-shan-yang-zhi.md")
    html = render(
        spec.template,
        spec.what,
        title=spec.title,
        link=lambda to: urls.relative(spec.src, to, True),
        asset=lambda path: urls.relative_to_path(spec.src, path, True),
        sample=True,
        sample_notice="",
        script="hans",
        **spec.context,
    )
    assert 'class="ll-group-qr"' in html and "入群二维码" in html
    assert any(name.endswith((".png", ".jpg", ".webp")) for name in plan.media)


def test_posters_drawn_in_two_processes_equal_those_drawn_in_one(tmp_path: Path) -> None:
    from generators.cache import Store
    from generators.content import load_or_raise
    from generators.site.posters import write_posters

    cat = load_or_raise(PROJECT_ROOT)
    base = urls.site_url(PROJECT_ROOT)
    one, two = tmp_path / "one", tmp_path / "two"
    store = Store(tmp_path / "cache")
    written = write_posters(one, cat, base, Store(None), jobs=1)
    assert written == write_posters(two, cat, base, store, jobs=2)  # nothing cached: all drawn
    assert len(written) > 8  # enough for the parallel path
    for rel in written:
        assert (one / rel).read_bytes() == (two / rel).read_bytes(), rel
        assert (one / rel).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(list((tmp_path / "cache").iterdir())) == len(written)  # each stored once
