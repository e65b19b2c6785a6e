"""One flat, searchable document per published item of every kind search takes."""

from __future__ import annotations

from ..models import Elder, Showcase, Skill
from ..text import CJK_RE, normalise, short_place_names, strip_markdown, title_terms
from .consult_documents import consultation_documents
from .doc_parts import KIND_LABELS, SearchDoc, item_url
from .doc_parts import join_text as _join
from .doc_parts import region_names as _region_names
from .kinds import kinds_for
from .records import Catalogue

__all__ = ["KIND_LABELS", "SearchDoc", "item_url"]

#: Every kind search takes, in registry order.
SEARCH_KINDS = tuple(k.name for k in kinds_for("search"))


def skill_doc(cat: Catalogue, skill: Skill) -> SearchDoc:
    conv = cat.converter
    body = strip_markdown(cat.body(skill)) if (skill.kind, skill.id) in cat.sources else ""
    text = _join(
        skill.summary,
        body,
        skill.problem,
        skill.climate,
        skill.soil,
        [c.task for c in skill.calendar],
        [m.name for m in skill.materials],
        [s.text for s in skill.steps],
        [s.caution for s in skill.steps if s.caution],
        skill.safety,
        [f"{m.mistake} {m.fix}" for m in skill.mistakes],
        skill.where_to_sell,
        skill.who_to_ask.station,
        [cat.elders[e].display_name for e in skill.authors if e in cat.elders],
        skill.tags,
        skill.category,
        skill.suitable_regions,
    )
    regions: list[str] = []
    for province in skill.suitable_regions:
        regions.append(normalise(province, conv))
        regions.extend(short_place_names(normalise(province, conv)))
    return SearchDoc(
        id=skill.id,
        kind="skill",
        title=skill.title,
        text=text,
        industries=[normalise(skill.category, conv)],
        regions=regions,
        region_label="、".join(skill.suitable_regions),
        tags=[normalise(t, conv) for t in skill.tags],
        status=skill.status,
        record=skill,
    )


def showcase_doc(cat: Catalogue, showcase: Showcase) -> SearchDoc:
    conv = cat.converter
    body = strip_markdown(cat.body(showcase)) if (showcase.kind, showcase.id) in cat.sources else ""
    text = _join(
        showcase.summary,
        showcase.display_name,
        showcase.region.label(),
        body,
        showcase.replicability,
        [p.caption for p in showcase.photos],
        [cat.elders[e].display_name for e in showcase.elders if e in cat.elders],
        showcase.industry,
        showcase.tags,
        showcase.assistance_measures,
        showcase.activities,
    )
    return SearchDoc(
        id=showcase.id,
        kind="showcase",
        title=showcase.title,
        text=text,
        industries=[normalise(showcase.industry, conv)],
        regions=_region_names(cat, showcase.region),
        region_label=showcase.region.label(),
        tags=[normalise(t, conv) for t in showcase.tags],
        status=showcase.status,
        record=showcase,
    )


def elder_doc(cat: Catalogue, elder: Elder) -> SearchDoc:
    conv = cat.converter
    text = _join(
        elder.elder_type,
        elder.expertise,
        elder.unit,
        elder.region.label(),
        elder.bio,
        elder.contact.name,
        elder.contact.how,
    )
    industries = sorted(
        {normalise(s.category, conv) for s in cat.skills_by_elder(elder.id)}
        | {normalise(s.industry, conv) for s in cat.showcases_for_elder(elder.id)}
    )
    return SearchDoc(
        id=elder.id,
        kind="elder",
        title=elder.display_name,
        text=text,
        industries=industries,
        regions=_region_names(cat, elder.region),
        region_label=elder.region.label(),
        tags=[normalise(t, conv) for t in elder.expertise],
        status=elder.status,
        record=elder,
    )


def published_documents(cat: Catalogue, kinds: tuple[str, ...] = SEARCH_KINDS) -> list[SearchDoc]:
    """Documents for everything a reader may see on the web, in a stable order."""
    docs: list[SearchDoc] = []
    if "skill" in kinds:
        docs.extend(skill_doc(cat, s) for s in sorted(cat.published_skills(), key=lambda r: r.id))
    if "showcase" in kinds:
        docs.extend(
            showcase_doc(cat, s) for s in sorted(cat.published_showcases("web"), key=lambda r: r.id)
        )
    if "elder" in kinds:
        docs.extend(
            elder_doc(cat, e) for e in sorted(cat.published_elders("web"), key=lambda r: r.id)
        )
    docs.extend(consultation_documents(cat, kinds))
    return docs


def all_documents(
    cat: Catalogue, kinds: tuple[str, ...] = ("skill", "showcase")
) -> list[SearchDoc]:
    """Documents for every record, whatever its status (for editors' checks)."""
    docs: list[SearchDoc] = []
    if "skill" in kinds:
        docs.extend(skill_doc(cat, s) for s in sorted(cat.skills.values(), key=lambda r: r.id))
    if "showcase" in kinds:
        docs.extend(
            showcase_doc(cat, s) for s in sorted(cat.showcases.values(), key=lambda r: r.id)
        )
    if "elder" in kinds:
        docs.extend(elder_doc(cat, e) for e in sorted(cat.elders.values(), key=lambda r: r.id))
    return docs


def catalogue_words(cat: Catalogue) -> tuple[str, ...]:
    """Words jieba must keep whole: vocabularies, places, title terms, synonyms, names."""
    conv = cat.converter
    raw: set[str] = set()
    tax = cat.taxonomy
    for vocab in (
        "industries",
        "poverty_causes",
        "assistance_measures",
        "activities",
        "elder_types",
        "periods",
        "tags",
    ):
        raw.update(getattr(tax, vocab, None) or [])
    for province in getattr(tax, "regions", None) or []:
        raw.add(province.name)
        raw.update(short_place_names(province.name))
        for county in province.counties:
            raw.add(county.name)
            raw.update(short_place_names(county.name))
            for town in county.townships:
                raw.add(town)
                raw.update(short_place_names(town))
    for group in cat.synonyms.groups:
        raw.update(group)
    for record in list(cat.skills.values()) + list(cat.showcases.values()):
        raw.update(title_terms(record.title))
        raw.update(record.tags)
    for elder in cat.elders.values():
        raw.add(elder.display_name)
        raw.update(elder.expertise)
    words = {normalise(w, conv) for w in raw}
    return tuple(sorted(w for w in words if 2 <= len(w) <= 12 and CJK_RE.search(w)))
