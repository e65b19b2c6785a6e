"""Group messages, `lamplight digest --since` in both scripts, and the Atom feeds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import feedparser
import pytest

from generators import urls
from generators.content import load_or_raise
from generators.content.digest import LINE_LIMIT, group_message, new_items
from generators.site.feeds import feed_xml, write_feeds

from .helpers import ROOT, run

ON = dt.date(2026, 12, 3)
BASE = "https://lamplight.example.org/"


@pytest.fixture(autouse=True)
def pinned_day(monkeypatch: pytest.MonkeyPatch) -> None:
    stamp = int(dt.datetime(ON.year, ON.month, ON.day, tzinfo=dt.UTC).timestamp())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(stamp))


def test_digest_prints_the_expected_messages_in_both_scripts() -> None:
    result = run("digest", "--since", "2026-11-20", root=ROOT)
    assert result.exit_code == 0, result.output
    expected = (
        "一盏灯：2026-11-20 以来的新内容（共 4 条）\n\n"
        "【行情】雷山县生猪收购价\n"
        "本月生猪出栏收购价，生态散养猪另议。\n"
        "生猪（外三元，出栏毛重）：7.2–7.8 元/斤（2026-11-28，雷山县农业农村局生猪价格监测（虚构））\n"
        f"详情：{BASE}notices/sheng-zhu-hang-qing/\n\n"
        "【培训】秋茶采摘和鲜叶交售培训\n"
    )
    assert result.stdout.startswith(expected), result.stdout
    ids = ["sheng-zhu-hang-qing", "qiu-cha-cai-zhai-pei-xun", "gan-mu-er-hang-qing"]
    ids.append("xia-ji-yang-zhu-fang-bing-pei-xun")
    assert [line.rsplit("/", 2)[-2] for line in result.stdout.splitlines() if "详情" in line] == ids
    hant = run("digest", "--since", "2026-11-20", "--script", "hant", root=ROOT)
    assert hant.exit_code == 0
    assert hant.stdout.startswith("一盞燈：2026-11-20 以來的新內容（共 4 條）")
    assert "【行情】雷山縣生豬收購價" in hant.stdout
    assert f"詳情：{BASE}zh-hant/notices/sheng-zhu-hang-qing/" in hant.stdout


def test_digest_since_covers_answers_and_leaves_expired_notices_out() -> None:
    cat = load_or_raise(ROOT)
    items = new_items(cat, dt.date(2026, 1, 1))
    kinds = [i.kind for i in items]
    assert kinds == sorted(kinds, key=["notice", "question", "showcase", "skill"].index)
    notices = {i.ident for i in items if i.kind == "notice"}
    assert "xiang-gu-hang-qing-2026-chun" not in notices  # expired on 2026-05-10
    assert "gan-mu-er-hang-qing" in notices
    assert {i.ident for i in items if i.kind == "question"} >= {"zhu-la-xi-zen-me-ban"}
    assert all(i.date >= dt.date(2026, 1, 1) for i in items)


def test_each_message_fits_a_group_post() -> None:
    cat = load_or_raise(ROOT)
    for script in ("hans", "hant"):
        for item in new_items(cat, dt.date.min):
            message = group_message(cat, item, BASE, script)
            lines = message.splitlines()
            assert len(lines) == 4, message
            assert all(len(line) <= LINE_LIMIT for line in lines[1:3]), message
            prefix = "zh-hant/" if script == "hant" else ""
            assert lines[3].endswith("：" + urls.absolute(BASE, prefix + item.path))
            assert len(message) <= 300


def test_digest_rejects_a_bad_date() -> None:
    result = run("digest", "--since", "2026-13-01", root=ROOT)
    assert result.exit_code == 1
    assert "YYYY-MM-DD" in result.output


def test_feed_is_valid_atom_with_entries_dates_and_links(tmp_path: Path) -> None:
    cat = load_or_raise(ROOT)
    write_feeds(tmp_path, cat, BASE, ON)
    for script, path, prefix in (
        ("hans", tmp_path / "feed.xml", BASE),
        ("hant", tmp_path / "zh-hant" / "feed.xml", BASE + "zh-hant/"),
    ):
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, parsed.bozo_exception
        assert parsed.version == "atom10"
        entries = parsed.entries
        expected = new_items(cat, dt.date.min, ON)
        assert len(entries) == min(50, len(expected))
        dates = [e.updated_parsed[:3] for e in entries]
        assert dates == sorted(dates, reverse=True)
        assert all(e.link.startswith(prefix) and e.id == e.link for e in entries)
        kinds = {e.tags[0].term for e in entries}
        assert {"notice", "question"} <= kinds
        titles = {e.title for e in entries}
        if script == "hans":
            assert "小猪拉稀怎么办" in titles
        else:
            assert "小豬拉稀怎麼辦" in titles
        expired = f"{prefix}notices/xiang-gu-hang-qing-2026-chun/"
        assert expired not in {e.link for e in entries}
    assert feed_xml(cat, BASE, "hans", ON) == feed_xml(cat, BASE, "hans", ON)


def test_rss_feed_parses_with_the_same_entries(tmp_path: Path) -> None:
    cat = load_or_raise(ROOT)
    write_feeds(tmp_path, cat, BASE, ON)
    atom = feedparser.parse((tmp_path / "feed.xml").read_bytes())
    for path, prefix in (
        (tmp_path / "rss.xml", BASE),
        (tmp_path / "zh-hant/rss.xml", BASE + "zh-hant/"),
    ):
        rss = feedparser.parse(path.read_bytes())
        assert not rss.bozo, rss.bozo_exception
        assert rss.version == "rss20"
        assert [e.link.removeprefix(prefix) for e in rss.entries] == [
            e.link.removeprefix(BASE) for e in atom.entries
        ]
        assert [e.published_parsed[:3] for e in rss.entries] == [
            e.updated_parsed[:3] for e in atom.entries
        ]
