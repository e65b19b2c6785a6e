"""Queries of the editors' index: words and synonyms, ranking tiers, filters, hits."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from whoosh.query import And, Or, Phrase, Query, Term

from ..content import KINDS
from ..content.documents import catalogue_words
from ..text import grams, normalise, query_terms, search_forms, sub_words
from .snippets import make_snippet

if TYPE_CHECKING:
    from whoosh.index import Index

    from ..content import Catalogue

FIELD_BOOSTS = {"title": 4.0, "tags": 3.0, "industry": 2.0, "region": 2.0, "body": 1.0}
GRAM_BOOST = 0.4
KIND_WEIGHT = {"skill": 1.15, "showcase": 1.0, "elder": 1.0}
#: A question about *how* (怎么养猪, 如何种香菇) wants a tutorial: skills weigh this much more.
HOW_TO_WORDS = ("怎么", "怎样", "如何", "咋", "学会", "教程", "方法", "技术")
HOW_TO_SKILL_WEIGHT = 1.6
#: Weight of the shorter words found inside a long query word, in the partial-match pass.
PART_BOOST = 0.5


@dataclass
class Hit:
    """One search result."""

    id: str
    """The item's id."""
    kind: str
    """Its kind's name (``skill``)."""
    title: str
    """Its title, as written."""
    url: str
    """Its page, relative to the site root."""
    score: float
    """BM25F score, weighted by kind (higher is better within a tier)."""
    snippet: str = ""
    """Excerpt with the matched words in rich markup (``[bold]…[/]``), for the terminal."""
    snippet_html: str = ""
    """The same excerpt as HTML with ``<mark>``."""
    snippet_text: str = ""
    """The same excerpt as plain text."""
    region: str = ""
    """Where the item is from, as readers see it."""
    tier: int = 3
    """Ranking tier (0 best, see the module docstring of :mod:`.index`)."""

    @property
    def kind_label(self) -> str:
        """What readers call the item's kind."""
        return KINDS[self.kind].reader_label

    def to_json(self) -> dict[str, Any]:
        """The hit for ``lamplight search --json``."""
        return {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "url": self.url,
            "score": round(self.score, 4),
        }


def synonym_map(cat: Catalogue) -> dict[str, list[str]]:
    """Normalised word → every normalised word of its synonym group(s), itself first."""
    mapping: dict[str, list[str]] = {}
    for group in cat.synonyms.groups:
        norm = [normalise(w, cat.converter) for w in group if w]
        for word in norm:
            alts = mapping.setdefault(word, [word])
            for other in norm:
                if other not in alts:
                    alts.append(other)
    return mapping


def _term_query(alt: str) -> Query:
    parts: list[Query] = [Term(name, alt, boost=boost) for name, boost in FIELD_BOOSTS.items()]
    if len(alt) == 1:
        parts.append(Term("chars", alt, boost=GRAM_BOOST))
    else:
        pieces = grams(alt)
        if len(pieces) == 1:
            parts.append(Term("grams", pieces[0], boost=GRAM_BOOST))
        elif pieces:
            parts.append(Phrase("grams", pieces, boost=GRAM_BOOST))
    return Or(parts)


@dataclass
class ParsedQuery:
    """A query cut into words, each with its synonyms."""

    forms: list[str]
    """Normalised whole query (with and without protected terms)."""
    terms: list[list[str]]
    """For each query word: the word and its synonyms (normalised)."""
    parts: list[str] = field(default_factory=list)
    """Shorter dictionary words inside long query words (for partial matches)."""

    def all_words(self) -> list[str]:
        """Every query word and synonym, once each, in order."""
        out: list[str] = []
        for alts in self.terms:
            out.extend(a for a in alts if a not in out)
        return out


def parse_query(cat: Catalogue, query: str) -> ParsedQuery:
    """Cut ``query`` (either script) into words with the catalogue's word list and synonyms."""
    words = catalogue_words(cat)
    synonyms = synonym_map(cat)
    forms = search_forms(query, cat.converter)
    terms: list[list[str]] = []
    seen: set[str] = set()
    for form in forms:
        for term in query_terms(form, words):
            if term in seen:
                continue
            seen.add(term)
            terms.append(synonyms.get(term, [term]))
    parts: list[str] = []
    for alts in terms:
        for alt in alts:
            for part in sub_words(alt, words):
                if part not in seen and part not in parts:
                    parts.append(part)
    return ParsedQuery(forms=forms, terms=terms, parts=parts)


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text)


def _tier(title_norm: str, parsed: ParsedQuery, matched_all: bool) -> int:
    title = _squash(title_norm)
    if any(_squash(f) == title for f in parsed.forms):
        return 0
    if parsed.terms and all(any(a in title_norm for a in alts) for alts in parsed.terms):
        return 1
    return 2 if matched_all else 3


def _filter_query(
    cat: Catalogue, kind: str | None, region: str | None, industry: str | None
) -> Query | None:
    parts: list[Query] = []
    if kind:
        parts.append(Term("kind", kind))
    if region:
        parts.append(
            Or(
                [
                    Term("region", normalise(r.strip(), cat.converter))
                    for r in re.split(r"[,，、\s]+", region)
                    if r.strip()
                ]
            )
        )
    if industry:
        parts.append(Term("industry", normalise(industry.strip(), cat.converter)))
    if not parts:
        return None
    return And(parts) if len(parts) > 1 else parts[0]


def run_query(
    cat: Catalogue,
    ix: Index,
    query: str,
    *,
    kind: str | None = None,
    region: str | None = None,
    industry: str | None = None,
    limit: int = 10,
) -> list[Hit]:
    """Search the open index ``ix`` (see :func:`.index.search` for the parameters)."""
    parsed = parse_query(cat, query)
    if not parsed.terms:
        return []
    per_term = [Or([_term_query(a) for a in alts]) for alts in parsed.terms]
    strict: Query = And(per_term) if len(per_term) > 1 else per_term[0]
    partial = [Or([_term_query(p) for p in parsed.parts], boost=PART_BOOST)] if parsed.parts else []
    loose: Query = Or(per_term + partial)
    flt = _filter_query(cat, kind, region, industry)
    how_to = any(word in form for form in parsed.forms for word in HOW_TO_WORDS)
    found: dict[str, tuple[int, float, dict[str, Any]]] = {}
    with ix.searcher() as searcher:
        for query_obj, matched_all in ((strict, True), (loose, False)):
            results = searcher.search(query_obj, limit=None, filter=flt)
            for hit in results:
                fields = hit.fields()
                key = f"{fields['kind']}:{fields['id']}"
                if key in found:
                    continue
                tier = _tier(fields["title_norm"], parsed, matched_all)
                score = float(hit.score) * KIND_WEIGHT.get(fields["kind"], 1.0)
                if how_to and fields["kind"] == "skill":
                    score *= HOW_TO_SKILL_WEIGHT
                found[key] = (tier, score, fields)
            if len(per_term) == 1 and not partial:
                break
    ordered = sorted(found.values(), key=lambda t: (t[0], -t[1], t[2]["kind"], t[2]["id"]))
    words = parsed.forms + parsed.all_words()
    return [_render_hit(cat, t, words) for t in ordered[: max(limit, 0)]]


def _render_hit(cat: Catalogue, found: tuple[int, float, dict[str, Any]], words: list[str]) -> Hit:
    tier, score, fields = found
    text, html, plain = make_snippet(cat, fields["text"], words)
    return Hit(
        id=fields["id"],
        kind=fields["kind"],
        title=fields["title_display"],
        url=fields["url"],
        score=score,
        snippet=text,
        snippet_html=html,
        snippet_text=plain,
        region=fields.get("region_label", ""),
        tier=tier,
    )
