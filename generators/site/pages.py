"""Which pages the site has and the data each one shows (no HTML here except Markdown bodies)."""

from __future__ import annotations

import hashlib
import os
import pickle
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from .. import urls
from ..cache import Store
from ..content import Catalogue
from ..errors import SiteError
from ..models import Elder, Showcase, Skill
from ..qr import qr_svg
from ..scripts import fold
from . import images
from .charts import before_after_svg, fmt_number
from .render import markdown_html

SAMPLE_NOTICE = "样例内容：本页是演示用的虚构示例，人物、地点和数字都不是真实的。"
KIND_LABELS = {"skill": "技能", "showcase": "榜样", "elder": "五老"}

#: Facets with a flat list of values: (key, heading, taxonomy attribute).
FACETS: tuple[tuple[str, str, str], ...] = (
    ("industry", "按产业", "industries"),
    ("cause", "按致贫原因", "poverty_causes"),
    ("measure", "按帮扶措施", "assistance_measures"),
    ("activity", "按关工委活动", "activities"),
)


@dataclass(frozen=True)
class Options:
    """How one script's site is built."""

    script: str = "hans"
    """"hans" (Simplified, site root) or "hant" (Traditional mirror)."""
    directory_urls: bool = True
    """False for the offline bundle (links end in .html)."""
    public_url: str = "https://lamplight.example.org/"
    """Public URL of this script's site root, ending with a slash (used for QR codes)."""
    per_page: int = 20
    """Items per index page."""
    cache_dir: Path = Path(".lamplight-cache/images")
    """Where resized photos are cached."""
    related_dir: Path | None = None
    """Where related-item answers are cached between runs (None: memory only)."""
    preview: bool = False
    """Live preview: after an edit, unchanged items may keep their related items."""


@dataclass
class PageSpec:
    """One generated page."""

    src: str
    """Virtual source path, e.g. ``skills/sheng-tai-yang-zhu.md``."""
    template: str
    """Template under ``generators/templates/site/pages/``."""
    title: str
    """Page title (also the <title>)."""
    what: str
    """Human description for error messages, e.g. 技能教程“…”（sheng-tai-yang-zhu）."""
    context: dict[str, Any] = field(default_factory=dict)
    """Template data."""
    key: str = ""
    """Live preview: fingerprint of everything the page is made from ("" = not taken)."""


@dataclass
class Plan:
    """Everything the plugin adds to the MkDocs build."""

    pages: list[PageSpec]
    media: dict[str, Path]
    nav: list[dict[str, Any]]


@dataclass(frozen=True)
class Entry:
    """A line in a list of items."""

    src: str
    title: str
    summary: str
    kind: str
    meta: str = ""

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, "")


# ---------------------------------------------------------------------- helpers


def entry(record: Skill | Showcase | Elder) -> Entry:
    """The list line for a record."""
    if isinstance(record, Skill):
        return Entry(
            urls.skill_src(record.id), record.title, record.summary, "skill", record.category
        )
    if isinstance(record, Showcase):
        return Entry(
            urls.story_src(record.id),
            record.title,
            record.summary,
            "showcase",
            f"{record.region.label()} · {record.industry}",
        )
    return Entry(
        urls.elder_src(record.id),
        record.display_name,
        "、".join(record.expertise),
        "elder",
        f"{record.elder_type} · {record.region.label()}",
    )


def month_label(start: int, end: int) -> str:
    """“3月”, “4–6月” or “11月到次年2月”."""
    if start == end:
        return f"{start}月"
    if start < end:
        return f"{start}–{end}月"
    return f"{start}月到次年{end}月"


def months_active(start: int, end: int) -> list[bool]:
    """Twelve flags, January first, for a span that may wrap over the new year."""
    if start <= end:
        return [start <= m <= end for m in range(1, 13)]
    return [m >= start or m <= end for m in range(1, 13)]


def paginate(items: list[Any], per_page: int) -> list[list[Any]]:
    """Split ``items`` into pages of ``per_page`` (always at least one, possibly empty, page)."""
    per_page = max(1, per_page)
    chunks = [items[i : i + per_page] for i in range(0, len(items), per_page)]
    return chunks or [[]]


def _sorted_records(records: Iterable[Any]) -> list[Any]:
    return sorted(records, key=lambda r: r.id)


#: Live preview: item page fingerprint → (planned page, its photos), across rebuilds.
_PREVIEW_ITEMS: dict[str, tuple[PageSpec, dict[str, Path]]] = {}

#: Live preview: list lines of the previous rebuild's records (id → (record, line)).
_PREVIEW_ENTRIES: dict[int, tuple[Any, Entry]] = {}

#: Rendered Markdown bodies: (src, directory URLs, folder, cache, text) → (html, media, photos).
_BODIES: dict[
    tuple[str, bool, str, str, str],
    tuple[str, dict[str, Path], list[tuple[str, tuple[int, int] | None]]],
] = {}


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_size, stat.st_mtime_ns)


def _values_match(value: str, wanted: str) -> bool:
    return fold(value) == fold(wanted)


class _Planner:
    """Builds the page list for one script."""

    def __init__(self, cat: Catalogue, options: Options):
        self.cat = cat
        self.opt = options
        self.root = cat.root.resolve()
        self.media: dict[str, Path] = {}
        self.pages: list[PageSpec] = []
        self.skills = _sorted_records(cat.published_skills())
        self.showcases = _sorted_records(cat.published_showcases("web"))
        self.elders = _sorted_records(cat.published_elders("web"))
        self.skill_ids = {s.id for s in self.skills}
        self.showcase_ids = {s.id for s in self.showcases}
        self.elder_ids = {e.id for e in self.elders}
        self._facets: dict[str, dict[Any, list[Skill | Showcase | Elder]]] | None = None
        #: skill id → stories that name it; elder id → stories that name them (page order)
        self.stories_using: dict[str, list[Showcase]] = {}
        self.stories_with: dict[str, list[Showcase]] = {}
        for showcase in self.showcases:
            for skill_id in dict.fromkeys(showcase.skills):
                self.stories_using.setdefault(skill_id, []).append(showcase)
            for elder_id in dict.fromkeys(showcase.elders):
                self.stories_with.setdefault(elder_id, []).append(showcase)
        self._related: Callable[[Skill | Showcase, int], list[Skill | Showcase]] | None = None
        self._entries: dict[int, tuple[Any, Entry]] = {}
        #: elder id → published skills they wrote or answer questions on (catalogue order)
        self.skills_of: dict[str, list[Skill]] = {}
        for skill in cat.published_skills():
            for elder_id in dict.fromkeys([*skill.authors, *skill.who_to_ask.elders]):
                self.skills_of.setdefault(elder_id, []).append(skill)

    def entry(self, record: Skill | Showcase | Elder) -> Entry:
        """:func:`entry`, made once per record (the live preview keeps them between rebuilds:
        unchanged records are shared by the catalogues of successive rebuilds)."""
        known = self._entries.get(id(record)) or _PREVIEW_ENTRIES.get(id(record))
        if known is None or known[0] is not record:
            known = (record, entry(record))
        self._entries[id(record)] = known
        return known[1]

    # ------------------------------------------------------------ shared bits

    def public_url(self, src: str) -> str:
        return self.opt.public_url + urls.dest_url(src, True)

    def picture(self, what: str, folder: Path, rel_file: str, alt: str) -> dict[str, Any]:
        source = (folder / rel_file).resolve()
        if not source.is_relative_to(self.root):
            raise SiteError(f"{what}的图片“{rel_file}”在项目之外，已拒绝")
        if not source.is_file():
            raise SiteError(
                f"{what}找不到图片文件“{rel_file}”（应在 {folder.relative_to(self.cat.root).as_posix()}/ 下）"
            )
        try:
            variants = images.prepare(source, self.opt.cache_dir)
        except images.PhotoError as exc:
            raise SiteError(f"{what}的图片“{rel_file}”无法处理：{exc}") from None
        for variant in variants:
            self.media[variant.name] = variant.path
        default = next((v for v in variants if v.width >= 800), variants[-1])
        return {
            "src": "media/" + default.name,
            "width": default.width,
            "height": default.height,
            "srcset": [("media/" + v.name, v.width) for v in variants],
            "alt": alt,
        }

    def body_html(self, what: str, src: str, folder: Path, text: str) -> str:
        """The Markdown body as HTML (remembered per process while text and photos are unchanged)."""
        key = (src, self.opt.directory_urls, str(folder), str(self.opt.cache_dir), text)
        known = _BODIES.get(key)
        if known is not None and all(_stamp(Path(p)) == st for p, st in known[2]):
            self.media.update(known[1])
            return known[0]
        media: dict[str, Path] = {}
        used: list[tuple[str, tuple[int, int] | None]] = []

        def _image(file: str, alt: str) -> str:
            pic = self.picture(what, folder, file, alt)
            used.append((str(folder / file), _stamp(folder / file)))
            for path, _width in pic["srcset"]:
                name = path.removeprefix("media/")
                media[name] = self.media[name]
            link = lambda path: urls.relative_to_path(src, path, self.opt.directory_urls)  # noqa: E731
            srcset = ", ".join(f"{link(p)} {w}w" for p, w in pic["srcset"])
            return (
                f'<img src="{escape(link(pic["src"]))}" srcset="{escape(srcset)}" '
                f'sizes="(min-width: 50em) 44rem, 100vw" width="{pic["width"]}" '
                f'height="{pic["height"]}" loading="lazy" decoding="async" alt="{escape(alt)}">'
            )

        html = markdown_html(text, _image)
        if len(_BODIES) > 50_000:
            _BODIES.clear()
        _BODIES[key] = (html, media, used)
        return html

    def related(self, record: Skill | Showcase) -> list[Entry]:
        """Up to five related published items (search module first, simple rules otherwise)."""
        try:
            from ..search.related import related_lookup
        except ImportError:
            found = self._related_fallback(record)
        else:
            if self._related is None:
                self._related = related_lookup(
                    self.cat, cache_dir=self.opt.related_dir, stale_ok=self.opt.preview
                )
            found = self._related(record, 5)
        result: list[Entry] = []
        for item in found:
            if item is record or (item.kind == record.kind and item.id == record.id):
                continue
            if isinstance(item, Skill) and item.id in self.skill_ids:
                result.append(self.entry(item))
            elif isinstance(item, Showcase) and item.id in self.showcase_ids:
                result.append(self.entry(item))
            if len(result) == 5:
                break
        return result

    def _related_fallback(self, record: Skill | Showcase) -> list[Skill | Showcase]:
        found: list[Skill | Showcase] = []
        if isinstance(record, Skill):
            found += [
                s
                for s in self.skills
                if s.id != record.id and _values_match(s.category, record.category)
            ]
            found += [
                s
                for s in self.skills
                if s.id != record.id and set(s.tags) & set(record.tags) and s not in found
            ]
            found += [
                s
                for s in self.showcases
                if _values_match(s.industry, record.category) and record.id not in s.skills
            ]
        else:
            found += [
                s
                for s in self.showcases
                if s.id != record.id and set(s.skills) & set(record.skills)
            ]
            found += [
                s
                for s in self.showcases
                if s.id != record.id
                and _values_match(s.industry, record.industry)
                and s not in found
            ]
            found += [
                s
                for s in self.skills
                if _values_match(s.category, record.industry) and s.id not in record.skills
            ]
        return found[:5]

    def facet_src(self, facet: str, value: str, county: str | None = None) -> str:
        base = f"browse/{facet}/{urls.slug(value)}"
        if county:
            base += f"/{urls.slug(county)}"
        return urls.list_src(base, 1)

    def add(self, spec: PageSpec) -> None:
        self.pages.append(spec)

    def add_list(
        self, base: str, title: str, template: str, entries: list[Entry], **extra: Any
    ) -> None:
        chunks = paginate(entries, self.opt.per_page)
        sources = [urls.list_src(base, n) for n in range(1, len(chunks) + 1)]
        for number, chunk in enumerate(chunks, start=1):
            page_title = title if number == 1 else f"{title}（第 {number} 页）"
            self.add(
                PageSpec(
                    sources[number - 1],
                    template,
                    page_title,
                    f"列表页“{page_title}”",
                    {
                        "heading": title,
                        "entries": chunk,
                        "total": len(entries),
                        "pager": {
                            "number": number,
                            "count": len(chunks),
                            "sources": sources,
                            "prev": sources[number - 2] if number > 1 else None,
                            "next": sources[number] if number < len(chunks) else None,
                        },
                        **extra,
                    },
                )
            )

    # ------------------------------------------------------------ item pages

    def _options_key(self) -> tuple[Any, ...]:
        o = self.opt
        return (o.script, o.directory_urls, o.public_url, o.per_page, str(o.cache_dir))

    def _remembered(
        self, record: Skill | Showcase, linked: Callable[[], list[Any]], build: Callable[[], None]
    ) -> None:
        """Live preview: reuse the page planned from the same inputs in an earlier rebuild.

        The inputs are the record's sources, its photos and what ``linked()`` gives (the list
        lines of the items its page shows); a full build just runs ``build``.
        """
        if not self.opt.preview:
            build()
            return
        parts = (
            record.kind,
            self._options_key(),
            self.cat.sample,
            self._record_key(record),
            self._images_stamp(record),
            linked(),
        )
        try:
            key = hashlib.blake2b(pickle.dumps(parts, protocol=5), digest_size=16).hexdigest()
        except Exception:  # noqa: BLE001 - an unpicklable input only means "plan it again"
            build()
            return
        known = _PREVIEW_ITEMS.get(key)
        if known is not None:
            self.media.update(known[1])
            self.add(known[0])
            return
        outer, self.media = self.media, {}
        count = len(self.pages)
        try:
            build()
        finally:
            media, self.media = self.media, outer
            outer.update(media)
        if len(self.pages) == count + 1:
            spec = self.pages[-1]
            spec.key = key
            if len(_PREVIEW_ITEMS) > 100_000:
                _PREVIEW_ITEMS.clear()
            _PREVIEW_ITEMS[key] = (spec, media)

    def _images_stamp(self, record: Skill | Showcase) -> list[Any]:
        folder = str(self.cat.folder(record))
        if isinstance(record, Skill):
            files = [step.image for step in record.steps if step.image]
        else:
            files = [photo.file for photo in record.photos]
        stamps: list[Any] = []
        for file in files:
            try:
                st = os.stat(os.path.join(folder, file))
                stamps.append((st.st_size, st.st_mtime_ns))
            except OSError:
                stamps.append(None)
        return stamps

    def _record_key(self, record: Skill | Showcase) -> Any:
        """Live preview: what a record and its body were made from (the record itself when
        its source has no digest)."""
        digest = self.cat.sources[(record.kind, record.id)].digest
        if digest and self.cat.settings_digest:
            return (self.cat.settings_digest, digest)
        return (record, self.cat.body(record))

    def skill_page(self, skill: Skill) -> None:
        self._remembered(
            skill,
            lambda: [
                [
                    self.entry(self.cat.elders[e])
                    for e in skill.who_to_ask.elders
                    if e in self.elder_ids
                ],
                [self.entry(self.cat.elders[e]) for e in skill.authors if e in self.elder_ids],
                [self.entry(s) for s in self.stories_using.get(skill.id, [])],
                self.related(skill),
            ],
            lambda: self._skill_page(skill),
        )

    def showcase_page(self, showcase: Showcase) -> None:
        self._remembered(
            showcase,
            lambda: [
                [self.entry(self.cat.skills[s]) for s in showcase.skills if s in self.skill_ids],
                [self.entry(self.cat.elders[e]) for e in showcase.elders if e in self.elder_ids],
                self.related(showcase),
            ],
            lambda: self._showcase_page(showcase),
        )

    def _skill_page(self, skill: Skill) -> None:
        src = urls.skill_src(skill.id)
        what = f"技能教程“{skill.title}”（skills_library/{skill.id}）"
        folder = self.cat.folder(skill)
        materials = [
            {
                "name": m.name,
                "quantity": fmt_number(m.quantity),
                "unit": m.unit,
                "price": fmt_number(m.price),
                "subtotal": fmt_number(round(m.quantity * m.price, 2)),
            }
            for m in skill.materials
        ]
        total = round(sum(m.quantity * m.price for m in skill.materials), 2)
        steps = []
        for number, step in enumerate(skill.steps, start=1):
            picture = (
                self.picture(what, folder, step.image, f"第 {number} 步的示意图")
                if step.image
                else None
            )
            steps.append(
                {"number": number, "text": step.text, "caution": step.caution, "picture": picture}
            )
        calendar = [
            {
                "label": month_label(c.from_month, c.to_month),
                "months": months_active(c.from_month, c.to_month),
                "task": c.task,
            }
            for c in skill.calendar
        ]
        self.add(
            PageSpec(
                src,
                "skill.html",
                skill.title,
                what,
                {
                    "skill": skill,
                    "body": self.body_html(what, src, folder, self.cat.body(skill)),
                    "calendar": calendar,
                    "materials": materials,
                    "total": fmt_number(total),
                    "setup": fmt_number(skill.cost.setup),
                    "per_cycle": fmt_number(skill.cost.per_cycle),
                    "net": fmt_number(skill.expected_return.net),
                    "labour_days": fmt_number(skill.labour_days),
                    "steps": steps,
                    "elders": [
                        self.entry(self.cat.elders[e])
                        for e in skill.who_to_ask.elders
                        if e in self.elder_ids
                    ],
                    "authors": [
                        self.entry(self.cat.elders[e]) for e in skill.authors if e in self.elder_ids
                    ],
                    "stories": [self.entry(s) for s in self.stories_using.get(skill.id, [])],
                    "related": self.related(skill),
                    "industry_src": self.facet_src("industry", skill.category),
                    "causes": [(c, self.facet_src("cause", c)) for c in skill.poverty_causes],
                    "regions": [(p, self.facet_src("region", p)) for p in skill.suitable_regions],
                    "qr": qr_svg(
                        self.public_url(src), store=Store(self.opt.cache_dir.parent / "qr")
                    ),
                    "public_url": self.public_url(src),
                    "kind_label": KIND_LABELS["skill"],
                    "region_meta": "、".join(skill.suitable_regions),
                },
            )
        )

    def _showcase_page(self, showcase: Showcase) -> None:
        src = urls.story_src(showcase.id)
        what = f"典型案例“{showcase.title}”（showcases/{showcase.id}）"
        folder = self.cat.folder(showcase)
        figures = showcase.key_figures
        before_label = f"{figures.income_before.year} 年"
        after_label = f"{figures.income_after.year} 年"
        chart = before_after_svg(
            f"帮扶前 {before_label}",
            figures.income_before.amount,
            f"帮扶后 {after_label}",
            figures.income_after.amount,
            title=(
                f"人均纯收入：{before_label} {fmt_number(figures.income_before.amount)} 元，"
                f"{after_label} {fmt_number(figures.income_after.amount)} 元"
            ),
        )
        photos = [
            self.picture(what, folder, p.file, p.caption) | {"caption": p.caption}
            for p in showcase.photos
            if p.consent_ref
        ]
        region = showcase.region
        region_links = [(region.province, self.facet_src("region", region.province))]
        if region.county:
            region_links.append(
                (region.county, self.facet_src("region", region.province, region.county))
            )
        self.add(
            PageSpec(
                src,
                "showcase.html",
                showcase.title,
                what,
                {
                    "showcase": showcase,
                    "body": self.body_html(what, src, folder, self.cat.body(showcase)),
                    "chart": chart,
                    "before": fmt_number(figures.income_before.amount),
                    "after": fmt_number(figures.income_after.amount),
                    "before_year": figures.income_before.year,
                    "after_year": figures.income_after.year,
                    "photos": photos,
                    "skills": [
                        self.entry(self.cat.skills[s])
                        for s in showcase.skills
                        if s in self.skill_ids
                    ],
                    "elders": [
                        self.entry(self.cat.elders[e])
                        for e in showcase.elders
                        if e in self.elder_ids
                    ],
                    "related": self.related(showcase),
                    "region_links": region_links,
                    "industry_src": self.facet_src("industry", showcase.industry),
                    "causes": [(c, self.facet_src("cause", c)) for c in showcase.poverty_causes],
                    "measures": [
                        (m, self.facet_src("measure", m)) for m in showcase.assistance_measures
                    ],
                    "activities": [(a, self.facet_src("activity", a)) for a in showcase.activities],
                    "qr": qr_svg(
                        self.public_url(src), store=Store(self.opt.cache_dir.parent / "qr")
                    ),
                    "public_url": self.public_url(src),
                    "kind_label": KIND_LABELS["showcase"],
                    "region_meta": region.label(),
                },
            )
        )

    def elder_page(self, elder: Elder) -> None:
        src = urls.elder_src(elder.id)
        region = elder.region
        region_links = [(region.province, self.facet_src("region", region.province))]
        if region.county:
            region_links.append(
                (region.county, self.facet_src("region", region.province, region.county))
            )
        self.add(
            PageSpec(
                src,
                "elder.html",
                elder.display_name,
                f"五老“{elder.display_name}”（content/elders/{elder.id}.yaml）",
                {
                    "elder": elder,
                    "skills": [
                        self.entry(s)
                        for s in self.skills_of.get(elder.id, [])
                        if s.id in self.skill_ids
                    ],
                    "stories": [self.entry(s) for s in self.stories_with.get(elder.id, [])],
                    "region_links": region_links,
                    "kind_label": KIND_LABELS["elder"],
                    "region_meta": region.label(),
                    "public_url": self.public_url(src),
                },
            )
        )

    # ------------------------------------------------------------ indexes

    def _build_facets(self) -> dict[str, dict[Any, list[Skill | Showcase | Elder]]]:
        """Every facet value (folded) → its members, in one pass over the records."""
        index: dict[str, dict[Any, list[Skill | Showcase | Elder]]] = {
            name: {} for name in ("industry", "cause", "measure", "activity", "province", "county")
        }

        def _add(facet: str, values: Iterable[Any], record: Skill | Showcase | Elder) -> None:
            for value in dict.fromkeys(values):
                index[facet].setdefault(value, []).append(record)

        for skill in self.skills:
            _add("industry", [fold(skill.category)], skill)
            _add("cause", (fold(c) for c in skill.poverty_causes), skill)
        for showcase in self.showcases:
            _add("industry", [fold(showcase.industry)], showcase)
            _add("cause", (fold(c) for c in showcase.poverty_causes), showcase)
            _add("measure", (fold(m) for m in showcase.assistance_measures), showcase)
            _add("activity", (fold(a) for a in showcase.activities), showcase)
        for record in [*self.showcases, *self.elders]:
            region = record.region
            _add("province", [fold(region.province)], record)
            if region.county:
                _add("county", [(fold(region.province), fold(region.county))], record)
        for skill in self.skills:
            _add("province", (fold(p) for p in skill.suitable_regions), skill)
        return index

    def facet_members(self, facet: str, value: str) -> list[Entry]:
        if self._facets is None:
            self._facets = self._build_facets()
        return [self.entry(r) for r in self._facets[facet].get(fold(value), [])]

    def region_members(self, province: str, county: str | None) -> list[Entry]:
        if self._facets is None:
            self._facets = self._build_facets()
        if county is None:
            found = self._facets["province"].get(fold(province), [])
        else:
            found = self._facets["county"].get((fold(province), fold(county)), [])
        return [self.entry(r) for r in found]

    def browse_pages(self) -> None:
        groups = []
        for key, heading, attr in FACETS:
            values = []
            for value in getattr(self.cat.taxonomy, attr, None) or []:
                members = self.facet_members(key, value)
                if not members:
                    continue
                base = f"browse/{key}/{urls.slug(value)}"
                values.append({"name": value, "src": urls.list_src(base, 1), "count": len(members)})
                self.add_list(
                    base,
                    f"{heading[1:]}：{value}",
                    "list.html",
                    members,
                    crumbs=[("分类浏览", "browse/index.md")],
                )
            groups.append({"heading": heading, "entries": values})
        provinces = []
        for province in self.cat.taxonomy.regions or []:
            members = self.region_members(province.name, None)
            if not members:
                continue
            base = f"browse/region/{urls.slug(province.name)}"
            counties = []
            for county in province.counties:
                county_members = self.region_members(province.name, county.name)
                if not county_members:
                    continue
                county_base = f"{base}/{urls.slug(county.name)}"
                counties.append(
                    {
                        "name": county.name,
                        "src": urls.list_src(county_base, 1),
                        "count": len(county_members),
                    }
                )
                self.add_list(
                    county_base,
                    f"地区：{province.name}{county.name}",
                    "list.html",
                    county_members,
                    crumbs=[
                        ("分类浏览", "browse/index.md"),
                        (province.name, urls.list_src(base, 1)),
                    ],
                )
            self.add_list(
                base,
                f"地区：{province.name}",
                "list.html",
                members,
                crumbs=[("分类浏览", "browse/index.md")],
                children=counties,
            )
            provinces.append(
                {
                    "name": province.name,
                    "src": urls.list_src(base, 1),
                    "count": len(members),
                    "counties": counties,
                }
            )
        self.add(
            PageSpec(
                "browse/index.md",
                "browse.html",
                "分类浏览",
                "分类浏览页",
                {"groups": groups, "provinces": provinces},
            )
        )

    def pairings_page(self) -> None:
        by_county: dict[tuple[str, str], Counter[str]] = {}
        by_elder: Counter[str] = Counter()
        hidden = 0
        for pairing in sorted(self.cat.pairings.values(), key=lambda p: p.id):
            key = (pairing.region.province, pairing.region.county or "（未填县）")
            counts = by_county.setdefault(key, Counter())
            counts["total"] += 1
            counts[pairing.relation] += 1
            if pairing.end is None:
                counts["ongoing"] += 1
            for elder_id in pairing.elders:
                if elder_id in self.elder_ids:
                    by_elder[elder_id] += 1
                else:
                    hidden += 1
        counties = [
            {
                "province": p,
                "county": c,
                "total": n["total"],
                "paired": n["结对户"],
                "contact": n["联系户"],
                "ongoing": n["ongoing"],
            }
            for (p, c), n in sorted(by_county.items())
        ]
        elders = [
            {"entry": self.entry(self.cat.elders[e]), "count": n}
            for e, n in sorted(by_elder.items(), key=lambda item: (-item[1], item[0]))
        ]
        self.add(
            PageSpec(
                "pairings/index.md",
                "pairings.html",
                "结对帮扶",
                "结对帮扶统计页",
                {
                    "counties": counties,
                    "elders": elders,
                    "hidden": hidden,
                    "total": len(self.cat.pairings),
                },
            )
        )

    def general_pages(self) -> list[dict[str, str]]:
        nav = []
        for page in sorted(self.cat.pages.values(), key=lambda p: (p.order, p.slug)):
            src = f"pages/{page.slug}.md"
            folder = (self.cat.root / page.path).parent
            what = f"页面“{page.title}”（{page.path}）"
            self.add(
                PageSpec(
                    src,
                    "page.html",
                    page.title,
                    what,
                    {"body": self.body_html(what, src, folder, page.body)},
                )
            )
            nav.append({page.title: src})
        return nav

    def plan(self) -> Plan:
        for skill in self.skills:
            self.skill_page(skill)
        for showcase in self.showcases:
            self.showcase_page(showcase)
        for elder in self.elders:
            self.elder_page(elder)
        featured = [s for s in self.showcases if s.featured] or self.showcases[:3]
        self.add(
            PageSpec(
                "index.md",
                "home.html",
                "首页",
                "首页",
                {
                    "featured": [self.entry(s) for s in featured],
                    "skills": [self.entry(s) for s in self.skills[:6]],
                    "counts": {
                        "skills": len(self.skills),
                        "showcases": len(self.showcases),
                        "elders": len(self.elders),
                    },
                },
            )
        )
        self.add_list(
            "skills",
            "学技能",
            "list.html",
            [self.entry(s) for s in self.skills],
            intro="一步一步学会一门手艺：每篇都有月历、材料和成本、步骤图、安全提醒和请教的人。",
        )
        self.add_list(
            "stories",
            "看榜样",
            "list.html",
            [self.entry(s) for s in self.showcases],
            intro="身边人家怎样靠一门手艺过上好日子：他们的做法、成效和经验。",
        )
        self.add_list(
            "elders",
            "找老师",
            "list.html",
            [self.entry(e) for e in self.elders],
            intro="“五老”志愿者：老干部、老战士、老专家、老教师、老模范。可以通过公开的咨询渠道向他们请教。",
        )
        self.browse_pages()
        self.pairings_page()
        self.add(PageSpec("search/index.md", "search.html", "搜索", "搜索页", {}))
        extra_nav = self.general_pages()
        nav: list[dict[str, Any]] = [
            {"首页": "index.md"},
            {"学技能": "skills/index.md"},
            {"看榜样": "stories/index.md"},
            {"找老师": "elders/index.md"},
            {"分类浏览": "browse/index.md"},
            {"结对帮扶": "pairings/index.md"},
            {"搜索": "search/index.md"},
        ]
        if len(extra_nav) == 1:
            nav.append(extra_nav[0])
        elif extra_nav:
            nav.append({"关于": extra_nav})
        if self.opt.preview:
            _PREVIEW_ENTRIES.clear()
            _PREVIEW_ENTRIES.update(self._entries)
        return Plan(self.pages, dict(sorted(self.media.items())), nav)


def warm_up_related(cat: Catalogue) -> None:
    """Live preview: get the next rebuild's related-items lookups ready in the background."""
    try:
        from ..search.related import warm_up
    except ImportError:
        return
    warm_up(cat)


def plan_site(cat: Catalogue, options: Options) -> Plan:
    """Every page of one script's site, with its data; photos resized on the way."""
    return _Planner(cat, options).plan()


__all__ = [
    "Entry",
    "Options",
    "PageSpec",
    "Plan",
    "plan_site",
    "paginate",
    "month_label",
    "months_active",
    "SAMPLE_NOTICE",
]
