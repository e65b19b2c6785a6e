"""Shared fixtures."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from generators.catalogue import Catalogue, load_or_raise

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass
class SiteBuild:
    """The sample site built once per test session (see ``lamplight_site``)."""

    root: Path
    cat: Catalogue
    site: Path
    dist: Path
    seconds: float
    hidden: dict[str, list[str]] = field(default_factory=dict)
    """Items made unpublishable for the build: kind -> ids (draft, withdrawn, print only)."""
    epoch: int = 0
    """SOURCE_DATE_EPOCH used for the build (pinned, so later commits do not change it)."""


@contextmanager
def source_date_epoch(seconds: int) -> Iterator[None]:
    """Run the block with SOURCE_DATE_EPOCH set to ``seconds``."""
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(seconds)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


def site_catalogue() -> tuple[Catalogue, dict[str, list[str]]]:
    """The sample catalogue with one skill made a draft, one story withdrawn, one elder print-only."""
    cat = load_or_raise(PROJECT_ROOT)
    hidden: dict[str, list[str]] = {"skill": [], "showcase": [], "elder": []}
    skills = sorted(s.id for s in cat.published_skills())
    if len(skills) > 1:
        cat.skills[skills[-1]].status = "draft"
        hidden["skill"].append(skills[-1])
    stories = sorted(s.id for s in cat.published_showcases("web"))
    keep = [
        s
        for s in stories
        if cat.converter.hans(cat.body(cat.showcases[s])) != cat.body(cat.showcases[s])
    ]
    candidates = [s for s in stories if s not in keep[:1]]
    if len(stories) > 1 and candidates:
        cat.showcases[candidates[-1]].status = "withdrawn"
        hidden["showcase"].append(candidates[-1])
    elders = sorted(e.id for e in cat.published_elders("web"))
    if len(elders) > 1:
        consent = cat.elders[elders[-1]].consent
        assert consent is not None
        consent.scope = ["print"]
        hidden["elder"].append(elders[-1])
    return cat, hidden


@pytest.fixture(scope="session")
def lamplight_site(tmp_path_factory: pytest.TempPathFactory) -> SiteBuild:
    """Build the sample site (both scripts, offline zip) once into a temporary folder."""
    from generators.site.build import build_site
    from generators.site.build import source_date_epoch as epoch_for

    cat, hidden = site_catalogue()
    out = tmp_path_factory.mktemp("lamplight-site")
    epoch = epoch_for(PROJECT_ROOT, cat)
    start = time.monotonic()
    with source_date_epoch(epoch):
        site = build_site(cat, PROJECT_ROOT, site_dir=out / "site", dist_dir=out / "dist")
    seconds = time.monotonic() - start
    return SiteBuild(PROJECT_ROOT, cat, site, out / "dist", seconds, hidden, epoch)
