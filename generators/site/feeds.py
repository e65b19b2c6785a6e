"""Atom and RSS 2.0 feeds of what is new (notices, answers, stories, tutorials), per script."""

from __future__ import annotations

import datetime as dt
from email.utils import format_datetime
from pathlib import Path
from xml.etree import ElementTree as ET

from .. import urls
from ..content import Catalogue
from ..content.consultation import today
from ..content.digest import NewItem, new_items
from ..fsutil import write_atomic

ATOM = "http://www.w3.org/2005/Atom"
FEED = "feed.xml"
RSS = "rss.xml"
#: The newest this many items are in a feed.
FEED_SIZE = 50


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _items(cat: Catalogue, on: dt.date) -> list[NewItem]:
    """The newest :data:`FEED_SIZE` items, newest first."""
    items = new_items(cat, dt.date.min, on)
    return sorted(items, key=lambda i: (-i.date.toordinal(), i.kind, i.ident))[:FEED_SIZE]


def rss_xml(cat: Catalogue, base_url: str, script: str, on: dt.date) -> str:
    """The RSS 2.0 feed of one script's site at ``base_url`` (for readers without Atom)."""
    conv = cat.converter.hant if script == "hant" else cat.converter.hans
    rss = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(rss, "channel")
    ET.SubElement(channel, "title").text = conv("一盏灯：新通知、新解答、新故事、新教程")
    ET.SubElement(channel, "link").text = base_url
    ET.SubElement(channel, "description").text = conv(
        "五老传技能、讲榜样：最新的通知、问答、故事和教程"
    )
    ET.SubElement(channel, "language").text = "zh-TW" if script == "hant" else "zh-CN"
    for item in _items(cat, on):
        link = urls.absolute(base_url, item.path)
        node = ET.SubElement(channel, "item")
        ET.SubElement(node, "title").text = conv(item.title)
        ET.SubElement(node, "link").text = link
        ET.SubElement(node, "guid", {"isPermaLink": "true"}).text = link
        stamp = dt.datetime(item.date.year, item.date.month, item.date.day, tzinfo=dt.UTC)
        ET.SubElement(node, "pubDate").text = format_datetime(stamp, usegmt=True)
        ET.SubElement(node, "category").text = item.kind
        ET.SubElement(node, "description").text = conv("\n".join(item.lines))
    ET.indent(rss)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(rss, encoding="unicode") + "\n"


def feed_xml(cat: Catalogue, base_url: str, script: str, on: dt.date) -> str:
    """The Atom feed of one script's site at ``base_url`` (that script's root)."""
    conv = cat.converter.hant if script == "hant" else cat.converter.hans
    items = _items(cat, on)
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "zh-Hant" if script == "hant" else "zh-Hans"})
    ET.SubElement(feed, f"{{{ATOM}}}title").text = conv("一盏灯：新通知、新解答、新故事、新教程")
    ET.SubElement(feed, f"{{{ATOM}}}id").text = urls.absolute(base_url, FEED)
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": urls.absolute(base_url, FEED)})
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "href": base_url})
    newest = max((i.date for i in items), default=on)
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = _stamp(newest)
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = conv("一盏灯编辑组")
    for item in items:
        link = urls.absolute(base_url, item.path)
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}title").text = conv(item.title)
        ET.SubElement(entry, f"{{{ATOM}}}id").text = link
        ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "href": link})
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _stamp(item.date)
        ET.SubElement(entry, f"{{{ATOM}}}category", {"term": item.kind})
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = conv("\n".join(item.lines))
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def write_feeds(site: Path, cat: Catalogue, base_url: str, on: dt.date | None = None) -> None:
    """``feed.xml`` (Atom) and ``rss.xml`` (RSS 2.0) at the root of the Simplified site and
    of its Traditional mirror."""
    on = on or today()
    mirror = "zh-hant/"
    for path, xml in (
        (site / FEED, feed_xml(cat, base_url, "hans", on)),
        (site / mirror / FEED, feed_xml(cat, base_url + mirror, "hant", on)),
        (site / RSS, rss_xml(cat, base_url, "hans", on)),
        (site / mirror / RSS, rss_xml(cat, base_url + mirror, "hant", on)),
    ):
        write_atomic(path, xml)
        path.chmod(0o644)  # served by a web server like every other file
