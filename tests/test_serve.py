"""``lamplight serve``: the live preview shows edits (also in lists and on the Traditional
mirror), shows an error in the browser and keeps the last good pages, drops an unpublished story."""

from __future__ import annotations

import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from .helpers import SHOWCASE, STORY, copy_project

LAMPLIGHT = Path(sys.executable).with_name("lamplight")
#: Liveness bounds only (the suite never asserts speed): a shared 2-core machine can be slow.
START_WITHIN = 300.0
REBUILD_WITHIN = 120.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - 127.0.0.1 only
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", errors="replace")
    except (urllib.error.URLError, OSError):
        return 0, ""


def _get_bytes(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - 127.0.0.1 only
            return response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        return exc.code, b"", ""


def _wait_for(url: str, predicate: object, within: float) -> tuple[int, str]:
    deadline = time.monotonic() + within
    last = (0, "")
    while time.monotonic() < deadline:
        last = _get(url)
        if predicate(*last):  # type: ignore[operator]
            return last
        time.sleep(0.2)
    pytest.fail(f"{url}: condition not met within {within:.0f} s (last status {last[0]})")


pytestmark = pytest.mark.slow  # builds the sample site and serves it


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    root = copy_project(tmp_path / "p")
    port = _free_port()
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen(
        [str(LAMPLIGHT), "serve", "--root", str(root), "--addr", f"127.0.0.1:{port}"],
        cwd=root,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        _wait_for(base, lambda status, _body: status == 200, START_WITHIN)
        yield base, root
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()
    output = (tmp_path / "serve.log").read_text(encoding="utf-8")
    assert "Traceback" not in output
    assert "'dirty' build" not in output


def test_preview_follows_edits_and_unpublishing(preview: tuple[str, Path], tmp_path: Path) -> None:
    base, root = preview
    story_url = base + "stories/liu-da-ge-yang-zhu/"
    other_url = base + "skills/sheng-tai-yang-zhu/"
    status, before = _get(story_url)
    assert status == 200 and "刘大哥" in before
    other_status, other_before = _get(other_url)
    assert other_status == 200
    # the Traditional mirror is served too, as `lamplight build` makes it
    hant_url = base + "zh-hant/stories/liu-da-ge-yang-zhu/"
    hant_status, hant_before = _get(hant_url)
    assert hant_status == 200 and "劉大哥" in hant_before and 'lang="zh-Hant"' in hant_before
    # the share poster a page links to is drawn when asked for; the feeds are written
    poster = re.search(r'href="([^"]*posters/showcase-liu-da-ge-yang-zhu\.png)"', before)
    assert poster, "the story page links to its share poster"
    status, png, kind = _get_bytes(story_url + poster.group(1))
    assert status == 200 and png.startswith(b"\x89PNG") and kind == "image/png"
    assert Image.open(io.BytesIO(png)).size == (1080, 1500)
    assert _get_bytes(base + "posters/showcase-no-such-story.png")[0] == 404
    hant_poster = _get_bytes(base + "zh-hant/posters/showcase-liu-da-ge-yang-zhu.png")
    assert hant_poster[0] == 200 and hant_poster[1] != png  # drawn in Traditional
    feed_status, feed = _get(base + "feed.xml")
    assert feed_status == 200 and "<feed" in feed and "刘大哥" in feed
    assert _get(base + "zh-hant/rss.xml")[0] == 200

    story = root / STORY
    story.write_text(
        story.read_text(encoding="utf-8") + "\n补记：预览里应当马上看到这一句。\n", "utf-8"
    )
    _, after = _wait_for(
        story_url, lambda s, body: s == 200 and "预览里应当马上看到这一句" in body, REBUILD_WITHIN
    )
    assert "刘大哥" in after
    _wait_for(hant_url, lambda s, body: s == 200 and "馬上看到這一句" in body, REBUILD_WITHIN)
    # pages that did not change are still served, with their content
    assert _get(other_url)[0] == 200
    assert _get(base)[0] == 200

    # a new title reaches the lists that show the story, not only its own page
    showcase = root / SHOWCASE
    showcase.write_text(
        showcase.read_text(encoding="utf-8").replace("title: ", "title: 预览标题：", 1), "utf-8"
    )
    _wait_for(base + "stories/", lambda s, body: s == 200 and "预览标题：" in body, REBUILD_WITHIN)
    _wait_for(story_url, lambda s, body: s == 200 and "预览标题：" in body, REBUILD_WITHIN)
    _wait_for(base + "feed.xml", lambda s, body: s == 200 and "预览标题：" in body, REBUILD_WITHIN)

    # an edit that brings an error is reported and leaves the last good pages; its fix shows
    story.write_text(story.read_text(encoding="utf-8") + "\n联系电话 13812345678。\n", "utf-8")
    log = tmp_path / "serve.log"
    deadline = time.monotonic() + REBUILD_WITHIN
    while "E502" not in log.read_text(encoding="utf-8") and time.monotonic() < deadline:
        time.sleep(0.2)
    assert "E502" in log.read_text(encoding="utf-8")
    # the browser shows the problem (Chinese, file:line) instead of the page, on both scripts
    phone_line = next(
        n
        for n, text in enumerate(story.read_text(encoding="utf-8").splitlines(), 1)
        if "13812345678" in text
    )
    for url in (story_url, hant_url, base):
        _, shown = _wait_for(url, lambda s, body: "预览没有更新" in body, REBUILD_WITHIN)
        assert f"{STORY}:{phone_line}:" in shown and "E502" in shown, shown
        assert "疑似手机号码" in shown and "13812345678" not in shown
        assert "livereload" in shown  # the page reloads by itself once the file is fixed
    story.write_text(
        story.read_text(encoding="utf-8").replace("联系电话 13812345678。", "电话已删去。"), "utf-8"
    )
    _wait_for(story_url, lambda s, body: s == 200 and "电话已删去" in body, REBUILD_WITHIN)
    assert "预览没有更新" not in _get(hant_url)[1]

    showcase.write_text(
        showcase.read_text(encoding="utf-8").replace("status: published", "status: draft"),
        "utf-8",
    )
    _wait_for(story_url, lambda s, _body: s == 404, REBUILD_WITHIN)
    _, listing = _wait_for(
        base + "stories/",
        lambda s, body: s == 200 and "liu-da-ge-yang-zhu" not in body,
        REBUILD_WITHIN,
    )
    assert "stories/" in listing
