"""The site build on both cores, and ``lamplight build`` after an edit reusing unchanged pages."""

from __future__ import annotations

import hashlib
import os
import shutil
import zipfile
from pathlib import Path

import pytest

from generators import parallel
from generators.content import load_or_raise
from generators.errors import BuildError, SiteError
from generators.pipeline import build_site
from generators.search import pagefind
from generators.site import build as site_build

from .helpers import copy_project

pytestmark = pytest.mark.slow


def _digests(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _build(root: Path, out: Path) -> dict[str, float]:
    timings: dict[str, float] = {}
    build_site(
        load_or_raise(root), root, site_dir=out / "site", dist_dir=out / "dist", timings=timings
    )
    return timings


def _fail_in_child(message: str) -> None:
    raise SiteError(message)


def _die() -> None:
    os._exit(3)


def test_a_user_error_in_a_forked_process_is_raised_again_with_its_message() -> None:
    with pytest.raises(SiteError) as caught:
        parallel.start("生成繁体网站", _fail_in_child, "生成繁体网站失败：某页出错").wait()
    assert caught.value.message == "生成繁体网站失败：某页出错"
    with pytest.raises(BuildError, match="生成繁体网站的进程意外退出（退出码 3）"):
        parallel.start("生成繁体网站", _die).wait()
    assert parallel.start("算", divmod, 7, 2).wait() == (3, 1)


def test_a_failed_mirror_build_stops_the_build_and_leaves_the_last_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = copy_project(tmp_path / "p")
    _build(root, root)
    before = _digests(root / "site")
    real = site_build.build_script

    def broken(session, config, folder, script, url, directory_urls):  # type: ignore[no-untyped-def]
        if script == "hant":  # runs in the forked process, which inherits this patch
            raise SiteError("生成繁体网站失败：\n模拟的模板错误")
        return real(session, config, folder, script, url, directory_urls)

    monkeypatch.setattr(site_build, "build_script", broken)
    with pytest.raises(SiteError) as caught:
        _build(root, root)
    assert caught.value.message == "生成繁体网站失败：\n模拟的模板错误"
    assert _digests(root / "site") == before
    assert not [p.name for p in root.iterdir() if ".building-" in p.name or "-zh-hant" in p.name]


def test_build_after_one_story_edit_renders_only_what_changed_and_equals_a_clean_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setattr(pagefind, "SHARD_PAGES", 10)  # the sample in six parts
    root = copy_project(tmp_path / "p")
    first = _build(root, root)
    assert first["reused_hans"] == first["reused_hant"] == 0
    parts_before = {p.name for p in (root / ".lamplight-cache/pagefind").iterdir()}
    assert len(parts_before) >= 5
    pages = len([p for p in (root / "site").rglob("*.html") if "zh-hant" not in p.parts])
    story = sorted((root / "showcases").iterdir())[0] / "story.md"
    story.write_text(
        story.read_text(encoding="utf-8") + "\n\n补记：今年又多养了两头猪。\n", "utf-8"
    )
    again = _build(root, root)
    # the story's own page changes (and pages whose related items moved); the rest is copied
    for script in ("hans", "hant"):
        assert pages * 0.8 < again[f"reused_{script}"] < pages, (script, again)
    parts_after = {p.name for p in (root / ".lamplight-cache/pagefind").iterdir()}
    # Pagefind indexed again only the part holding the story's page: the other pages whose
    # related lists moved are the same to Pagefind (those lists are left out of its copy)
    assert len(parts_after) == len(parts_before)
    assert len(parts_after - parts_before) == 1
    shutil.rmtree(root / ".lamplight-cache/pagefind")  # the clean build indexes every part
    clean = _build(root, tmp_path / "clean")
    assert clean["reused_hans"] == 0
    assert _digests(root / "site") == _digests(tmp_path / "clean" / "site")
    assert (root / "dist/lamplight-offline.zip").read_bytes() == (
        tmp_path / "clean/dist/lamplight-offline.zip"
    ).read_bytes()
    with zipfile.ZipFile(root / "dist/lamplight-offline.zip") as archive:
        page = archive.read(f"stories/{story.parent.name}/index.html").decode("utf-8")
    assert "今年又多养了两头猪" in page


def _pool_sum(values: list[int]) -> int:
    return sum(parallel.fork_map(_double, None, values, 2))


def _double(state: None, value: int) -> int:
    return 2 * value


def test_a_forked_step_may_fork_its_own_workers() -> None:
    # a cold build cuts the related-items words in a pool inside the forked mirror build
    assert parallel.start("算", _pool_sum, [1, 2, 3]).wait() == 12
