"""The state of planning one script's site: its records, lookups, pages so far and shared helpers."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .. import urls
from ..cache import Store
from ..content import Catalogue
from ..models import Elder, Showcase, Skill
from ..qr import qr_svg
from ..scripts import fold
from .media import Media
from .session import SiteSession
from .structure import Entry, Options, PageSpec, entry, paginate, sorted_records

Facets = dict[str, dict[Any, list[Skill | Showcase | Elder]]]


class Planner:
    """Collects the pages of one script's site (the page modules add to it)."""

    def __init__(self, cat: Catalogue, options: Options, session: SiteSession):
        self.cat = cat
        """The validated catalogue."""
        self.opt = options
        """How this script's site is built."""
        self.session = session
        """State shared with the other builds of this command."""
        self.root = cat.root.resolve()
        """The project."""
        self.media = Media(self.root, options.cache_dir, options.directory_urls, session)
        """The photos the pages use."""
        self.pages: list[PageSpec] = []
        """Pages planned so far."""
        self.skills = sorted_records(cat.published_skills())
        """Published skills, by id (as every list below)."""
        self.showcases = sorted_records(cat.published_showcases("web"))
        """Stories published on the web."""
        self.elders = sorted_records(cat.published_elders("web"))
        """Elders published on the web."""
        self.skill_ids = {s.id for s in self.skills}
        """Ids of the published skills."""
        self.showcase_ids = {s.id for s in self.showcases}
        """Ids of the published stories."""
        self.elder_ids = {e.id for e in self.elders}
        """Ids of the published elders."""
        self.stories_using: dict[str, list[Showcase]] = {}
        """Skill id → the stories that name it (page order)."""
        self.stories_with: dict[str, list[Showcase]] = {}
        """Elder id → the stories that name them (page order)."""
        for showcase in self.showcases:
            for skill_id in dict.fromkeys(showcase.skills):
                self.stories_using.setdefault(skill_id, []).append(showcase)
            for elder_id in dict.fromkeys(showcase.elders):
                self.stories_with.setdefault(elder_id, []).append(showcase)
        self.skills_of: dict[str, list[Skill]] = {}
        """Elder id → published skills they wrote or answer questions on (catalogue order)."""
        for skill in cat.published_skills():
            for elder_id in dict.fromkeys([*skill.authors, *skill.who_to_ask.elders]):
                self.skills_of.setdefault(elder_id, []).append(skill)
        self.entries: dict[int, tuple[Any, Entry]] = {}
        """id(record) → (record, its list line), made once per record."""
        self._related: Callable[[Skill | Showcase, int], list[Skill | Showcase]] | None = None
        self._facets: Facets | None = None

    def entry(self, record: Skill | Showcase | Elder) -> Entry:
        """:func:`entry`, made once per record (the live preview keeps them between rebuilds:
        unchanged records are shared by the catalogues of successive rebuilds)."""
        preview = self.session.preview
        known = self.entries.get(id(record))
        if known is None and preview is not None:
            known = preview.entries.get(id(record))
        if known is None or known[0] is not record:
            known = (record, entry(record))
        self.entries[id(record)] = known
        return known[1]

    def public_url(self, src: str) -> str:
        """The page's address on the public site."""
        return self.opt.public_url + urls.dest_url(src, True)

    def qr(self, src: str) -> str:
        """The QR code (SVG) of the page's public address."""
        return qr_svg(self.public_url(src), store=Store(self.opt.cache_dir.parent / "qr"))

    def related(self, record: Skill | Showcase) -> list[Entry]:
        """Up to five related published items."""
        if self._related is None:
            # live preview: after an edit, unchanged items may keep their related items
            index = self.session.related_index(self.opt.related_dir)
            self._related = index.lookup(self.cat, stale_ok=self.session.preview is not None)
        result: list[Entry] = []
        for item in self._related(record, 5):
            if item is record or (item.kind == record.kind and item.id == record.id):
                continue
            if isinstance(item, Skill) and item.id in self.skill_ids:
                result.append(self.entry(item))
            elif isinstance(item, Showcase) and item.id in self.showcase_ids:
                result.append(self.entry(item))
            if len(result) == 5:
                break
        return result

    def facet_src(self, facet: str, value: str, county: str | None = None) -> str:
        """The first page of the list of one facet value (a region's county under it)."""
        base = f"browse/{facet}/{urls.slug(value)}"
        if county:
            base += f"/{urls.slug(county)}"
        return urls.list_src(base, 1)

    def region_links(self, province: str, county: str | None) -> list[tuple[str, str | None]]:
        """Province (and county) names with their list pages (``None`` where no published
        item of that region makes one)."""
        index = self._ensure_facets()
        listed = bool(index["province"].get(fold(province)))
        links = [(province, self.facet_src("region", province) if listed else None)]
        if county:
            listed = bool(index["county"].get((fold(province), fold(county))))
            links.append((county, self.facet_src("region", province, county) if listed else None))
        return links

    def add(self, spec: PageSpec) -> None:
        """Plan one page."""
        self.pages.append(spec)

    def add_list(
        self, base: str, title: str, template: str, entries: list[Entry], **extra: Any
    ) -> None:
        """Plan a paginated list rooted at ``base``."""
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

    def facet_members(self, facet: str, value: str) -> list[Entry]:
        """List lines of the records with ``value`` in ``facet``."""
        return [self.entry(r) for r in self._ensure_facets()[facet].get(fold(value), [])]

    def region_members(self, province: str, county: str | None) -> list[Entry]:
        """List lines of the records of a province (or one of its counties)."""
        index = self._ensure_facets()
        if county is None:
            found = index["province"].get(fold(province), [])
        else:
            found = index["county"].get((fold(province), fold(county)), [])
        return [self.entry(r) for r in found]

    def _ensure_facets(self) -> Facets:
        if self._facets is None:
            self._facets = _index_facets(self.skills, self.showcases, self.elders)
        return self._facets


def _index_facets(skills: list[Skill], showcases: list[Showcase], elders: list[Elder]) -> Facets:
    """Every facet value (folded) → its members, in one pass over the records."""
    index: Facets = {
        name: {} for name in ("industry", "cause", "measure", "activity", "province", "county")
    }

    def _add(facet: str, values: Iterable[Any], record: Skill | Showcase | Elder) -> None:
        for value in dict.fromkeys(values):
            index[facet].setdefault(value, []).append(record)

    for skill in skills:
        _add("industry", [fold(skill.category)], skill)
        _add("cause", (fold(c) for c in skill.poverty_causes), skill)
    for showcase in showcases:
        _add("industry", [fold(showcase.industry)], showcase)
        _add("cause", (fold(c) for c in showcase.poverty_causes), showcase)
        _add("measure", (fold(m) for m in showcase.assistance_measures), showcase)
        _add("activity", (fold(a) for a in showcase.activities), showcase)
    placed: list[Showcase | Elder] = [*showcases, *elders]
    for record in placed:
        region = record.region
        _add("province", [fold(region.province)], record)
        if region.county:
            _add("county", [(fold(region.province), fold(region.county))], record)
    for skill in skills:
        _add("province", (fold(p) for p in skill.suitable_regions), skill)
    return index
