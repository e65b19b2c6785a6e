"""``lamplight booklet``: render each booklet into ``<out>/<slug>/``.

For every booklet: ``<slug>-press.pdf`` (trim + 3 mm bleed, for the print shop),
``<slug>-a4-booklet.pdf`` (two-up saddle-stitch imposition for office printers),
``<slug>-ticket.json`` / ``.txt`` (job ticket) and ``<slug>-preflight.txt``.
Everything is written into a temporary folder beside the target and moved into place only
when complete. Several booklets are rendered in parallel processes.
"""

from __future__ import annotations

import io
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader

from ..cache import Store
from ..content import Catalogue
from ..content.booklet_selection import picks_changes
from ..fsutil import swap_in
from ..models import Booklet
from ..urls import site_url
from . import preflight as pf
from . import reuse
from .assets import store_of
from .context import content_date
from .fonts import FontMissing
from .impose import impose
from .instructions import instructions as render_instructions
from .pdfx import ProfileMissing
from .render import render_press
from .select import BookletRefused, select
from .ticket import ticket, write_ticket
from .workers import in_workers


@dataclass
class Outcome:
    """What happened to one booklet (picklable, returned by worker processes)."""

    slug: str
    """The booklet's id."""
    ok: bool
    """Whether it was written and passed preflight."""
    messages: list[str] = field(default_factory=list)
    """Chinese lines for the editor."""
    pages: int = 0
    """Page count of the press PDF."""
    seconds: float = 0.0
    """How long it took."""
    files: dict[str, int] = field(default_factory=dict)
    """File name → size in bytes."""
    warnings: int = 0
    """Number of preflight WARN findings."""
    reused: bool = False
    """Whether the files were copied from the previous build instead of rendered."""


def _shown(path: Path, root: Path) -> str:
    """Path as the editor will find it: relative to the project, without the staging folder."""
    try:
        rel = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
    return re.sub(r"^\.lamplight-staging-[^/]+/", "", rel)


def build_one(
    cat: Catalogue,
    root: Path,
    slug: str,
    out: Path,
    marks: bool = False,
    base_url: str | None = None,
    pdf_x: str = "4",
    version: str | None = None,
) -> Outcome:
    """Render one booklet; never raises for content problems (they become messages).

    ``base_url`` (the site's address) defaults to mkdocs.yml's ``site_url``; ``pdf_x``
    is the press file's PDF/X standard (``4`` or ``1a``); ``version`` is the content
    version it prints (by default the digest of its own content, see ``reuse``).
    """
    started = time.perf_counter()
    booklet = cat.booklets.get(slug)
    if booklet is None:
        known = "、".join(sorted(cat.booklets)) or "（还没有）"
        return Outcome(slug, False, [f"找不到小册子“{slug}”；已有的小册子：{known}"])
    title = cat.converter.convert(booklet.title, booklet.script)
    subtitle = cat.converter.convert(booklet.subtitle, booklet.script) if booklet.subtitle else None
    name = _name(cat, booklet)
    try:
        selection = select(cat, booklet)
    except BookletRefused as exc:
        return Outcome(slug, False, [str(exc)])
    if version is None:
        version = reuse.booklet_version(cat, root, booklet, selection)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out, prefix=f".{slug}-") as tmp:
        work = Path(tmp) / "work"
        folder = Path(tmp) / slug
        work.mkdir()
        folder.mkdir()
        try:
            press = render_press(
                cat,
                root,
                booklet,
                selection,
                work,
                marks=marks,
                base_url=base_url,
                pdf_x=pdf_x,
                content_version=version,
            )
        except (FontMissing, ProfileMissing) as exc:
            return Outcome(slug, False, [f"{name}无法生成：{exc}"])
        except OSError as exc:
            return Outcome(slug, False, [f"{name}无法生成：读取图片或字体失败（{exc}）"])
        date = content_date(cat, booklet, selection)
        created = f"{date.isoformat()}T00:00:00Z"
        press_path = folder / f"{slug}-press.pdf"
        press_path.write_bytes(press.pdf)
        # One parse of the press PDF serves the imposition and the preflight.
        reader = PdfReader(io.BytesIO(press.pdf))
        a4_path = folder / f"{slug}-a4-booklet.pdf"
        instructions = render_instructions(cat, root, booklet, press, title, created)
        a4_path.write_bytes(impose(reader, instructions))
        report = pf.run(
            reader,
            press,
            slug=slug,
            title=title,
            script=booklet.script,
            notes=selection.notes,
            store=store_of(root),
        )
        (folder / f"{slug}-preflight.txt").write_text(report.text(), "utf-8")
        if not report.failed:
            data = ticket(
                booklet,
                press,
                {"印刷文件": press_path, "A4 打印文件": a4_path},
                content_version=version,
                date=date.isoformat(),
                title=title,
                subtitle=subtitle,
                shop_notes=cat.converter.convert(booklet.shop_notes, booklet.script)
                if booklet.shop_notes
                else None,
            )
            write_ticket(folder, slug, data)
        files = {p.name: p.stat().st_size for p in sorted(folder.iterdir())}
        target = out / slug
        swap_in(folder, target)
    seconds = time.perf_counter() - started
    messages: list[str] = []
    where = _shown(target / f"{slug}-preflight.txt", root)
    if report.failed:
        messages.append(f"{name}印前检查未通过，不能送印（没有生成印刷工单）：")
        messages += [f"  FAIL {f.check}：{f.detail}" for f in report.findings if f.level == "FAIL"]
        messages.append(f"  完整报告见 {where}")
    warns = report.count("WARN")
    if not report.failed:
        messages.append(_written(name, press.pages, target, root, warns))
    return Outcome(slug, not report.failed, messages, press.pages, seconds, files, warns)


def _name(cat: Catalogue, booklet: Booklet) -> str:
    """How messages name a booklet (its title in its own script, and its id)."""
    return f"小册子“{cat.converter.convert(booklet.title, booklet.script)}”（{booklet.id}）"


def _written(name: str, pages: int, target: Path, root: Path, warns: int) -> str:
    """The summary line of a booklet that passed preflight."""
    where = _shown(target / f"{target.name}-preflight.txt", root)
    return f"{name}：{pages} 页，已写入 {_shown(target, root)}" + (
        f"（印前检查有 {warns} 项提醒，见 {Path(where).name}）" if warns else "（印前检查全部通过）"
    )


def render_booklets(
    cat: Catalogue,
    root: Path,
    slugs: list[str],
    out: Path,
    *,
    marks: bool = False,
    base_url: str | None = None,
    pdf_x: str = "4",
    previous: Path | None = None,
) -> bool:
    """Render the named booklets (all when ``slugs`` is empty); True when all passed.

    ``base_url`` (the site's address) defaults to mkdocs.yml's ``site_url``; ``pdf_x``
    is the press files' PDF/X standard (``4`` or ``1a``). ``previous`` holds the booklet
    folders of the last build (default ``out``): a booklet made from exactly the same
    inputs as its last successful build there is copied from it instead of rendered.
    """
    url = site_url(root) if base_url is None else base_url
    wanted = list(dict.fromkeys(slugs)) or sorted(cat.booklets)
    if not wanted:
        print(
            "没有小册子定义（content/booklets/*.yaml）；可以用 lamplight new booklet 新建。",
            file=sys.stderr,
        )
        return True
    env_parts = reuse.environment_parts(base_url=url, marks=marks, pdf_x=pdf_x)
    plans = {s: p for s in wanted if (p := reuse.plan(cat, root, s, env_parts)) is not None}
    store = store_of(root)
    results: dict[str, Outcome] = {}
    for slug, plan in plans.items():
        copied = _reuse(cat, root, slug, plan.fingerprint, store, previous or out, out)
        if copied is not None:
            results[slug] = copied
    versions = {slug: plan.version for slug, plan in plans.items()}
    job = _Job(cat, root, out, marks, url, pdf_x, versions)
    todo = [s for s in wanted if s not in results]
    results.update(in_workers(cat, _build_in_worker, job, todo))
    outcomes = [results[slug] if slug in results else job.build(slug) for slug in wanted]
    for outcome in outcomes:
        if outcome.ok and not outcome.reused and outcome.slug in plans:
            fp = plans[outcome.slug].fingerprint
            reuse.record(store, fp, out / outcome.slug, outcome.pages, outcome.warnings)
        for line in outcome.messages + picks_changes(cat, outcome.slug, written=outcome.ok):
            print(line, file=sys.stderr)
    return all(o.ok for o in outcomes)


def _reuse(
    cat: Catalogue, root: Path, slug: str, fp: str, store: Store, previous: Path, out: Path
) -> Outcome | None:
    """Booklet ``slug`` copied from ``previous`` when its last build there had fingerprint
    ``fp`` and its files are unchanged; ``None`` when it must be rendered."""
    started = time.perf_counter()
    target = out / slug
    built = reuse.copy_previous(store, fp, previous / slug, target)
    if built is None:
        return None
    line = _written(_name(cat, cat.booklets[slug]), built.pages, target, root, built.warnings)
    seconds = time.perf_counter() - started
    messages = [line + "；未改动，沿用上次的文件"]
    return Outcome(slug, True, messages, built.pages, seconds, built.sizes, built.warnings, True)


@dataclass(frozen=True)
class _Job:
    """What every booklet of one ``render_booklets`` call shares."""

    cat: Catalogue
    """The loaded content."""
    root: Path
    """The project."""
    out: Path
    """Where each booklet's folder goes."""
    marks: bool
    """Whether to draw crop marks."""
    base_url: str
    """The site's address, for links and QR codes."""
    pdf_x: str = "4"
    """The press files' PDF/X standard."""
    versions: dict[str, str] = field(default_factory=dict)
    """Booklet id → the content version it prints (computed when absent)."""

    def build(self, slug: str) -> Outcome:
        """Render booklet ``slug``."""
        return build_one(
            self.cat,
            self.root,
            slug,
            self.out,
            self.marks,
            self.base_url,
            self.pdf_x,
            self.versions.get(slug),
        )


def _build_in_worker(job: _Job, slug: str) -> Outcome:
    return job.build(slug)
