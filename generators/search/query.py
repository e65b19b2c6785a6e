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
from .understanding import alternatives, understand

if TYPE_CHECKING:
    from whoosh.index import Index

    from ..content import Catalogue

FIELD_BOOSTS = {"title": 4.0, "tags": 3.0, "industry": 2.0, "region": 2.0, "body": 1.0}
GRAM_BOOST = 0.4
KIND_WEIGHT = {"skill": 1.15, "showcase": 1.0, "elder": 1.0}
#: A question about *how* (怎么养猪, 如何种香菇) wants a tutorial: skills weigh this much more.
HOW_TO_WORDS = ("怎么", "怎样", "如何", "咋", "学会", "教程", "方法", "技术")
HOW_TO_SKILL_WEIGHT = 1.6
#: What-to-do questions about a problem (猪拉稀怎么办): not how-to questions, they want answers.
PROBLEM_WORDS = ("怎么办", "咋办", "咋整", "怎么整", "怎么回事", "咋回事")
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
    matched: int = 0
    """How many of the query's words (each with its alternatives) the item contains."""

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
            "matched": self.matched,
        }


class Hits(list[Hit]):
    """Search results, best first, with what the ranking knew about the query."""

    words: int = 0
    """How many words the query has after understanding (see :mod:`.understanding`)."""
    question: bool = False
    """True when the query was a question (answered questions were ranked first)."""

    @property
    def closest(self) -> bool:
        """True when no result has every word: these are the closest ones."""
        return bool(self) and all(h.matched < self.words for h in self)


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
    """For each query word: the word and its alternatives (normalised)."""
    parts: list[str] = field(default_factory=list)
    """Shorter dictionary words inside long query words (for partial matches)."""
    question: bool = False
    """True when the query is a question (see :mod:`.understanding`)."""

    def all_words(self) -> list[str]:
        """Every query word and synonym, once each, in order."""
        out: list[str] = []
        for alts in self.terms:
            out.extend(a for a in alts if a not in out)
        return out


def parse_query(cat: Catalogue, query: str, data: dict[str, Any]) -> ParsedQuery:
    """Understand ``query`` (either script) with the rules ``data`` (:func:`.understanding.rules`);
    pieces of unknown characters are cut further with jieba and the catalogue's words."""
    words = catalogue_words(cat)
    synonyms = synonym_map(cat)
    forms = search_forms(query, cat.converter)
    understood = understand(query, data, cat)
    terms: list[list[str]] = []
    seen: set[str] = set()

    def add(group: list[str]) -> None:
        if group[0] not in seen:
            seen.add(group[0])
            terms.append(group)

    for kind, group in zip(understood.kinds, understood.groups, strict=True):
        if kind != "run":
            add(group)
            continue
        for term in query_terms(group[0], words):
            alts = alternatives(term, data)
            alts += [a for a in synonyms.get(term, []) if a not in alts]
            add(alts)
    parts: list[str] = []
    for alts in terms:
        for alt in alts:
            for part in sub_words(alt, words):
                if part not in seen and part not in parts:
                    parts.append(part)
    return ParsedQuery(forms=forms, terms=terms, parts=parts, question=understood.question)


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


def is_how_to(forms: list[str]) -> bool:
    """True for a question about *how* (怎么养猪), not about a problem (猪拉稀怎么办)."""
    for form in forms:
        for word in PROBLEM_WORDS:
            form = form.replace(word, " ")
        if any(word in form for word in HOW_TO_WORDS):
            return True
    return False


def _keys(searcher: Any, query_obj: Query, flt: Query | None) -> set[str]:
    return {
        f"{f['kind']}:{f['id']}"
        for f in (h.fields() for h in searcher.search(query_obj, limit=None, filter=flt))
    }


def run_query(
    cat: Catalogue,
    ix: Index,
    query: str,
    *,
    data: dict[str, Any],
    kind: str | None = None,
    region: str | None = None,
    industry: str | None = None,
    limit: int = 10,
) -> Hits:
    """Search the open index ``ix`` (see :func:`.index.search` for the parameters).

    When no item has every word, items are ranked by how many of the words they have
    (then by partial matches and score), and ``Hits.closest`` says so.
    """
    parsed = parse_query(cat, query, data)
    hits = Hits()
    hits.words = len(parsed.terms)
    hits.question = parsed.question
    if not parsed.terms:
        return hits
    per_term = [Or([_term_query(a) for a in alts]) for alts in parsed.terms]
    strict: Query = And(per_term) if len(per_term) > 1 else per_term[0]
    partial = [Or([_term_query(p) for p in parsed.parts], boost=PART_BOOST)] if parsed.parts else []
    loose: Query = Or(per_term + partial)
    flt = _filter_query(cat, kind, region, industry)
    how_to = is_how_to(parsed.forms)
    answers_first = parsed.question and not how_to
    found: dict[str, tuple[int, int, float, dict[str, Any]]] = {}
    with ix.searcher() as searcher:
        has = [_keys(searcher, q, flt) for q in per_term]
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
                matched = sum(key in keys for keys in has)
                found[key] = (tier, matched, score, fields)
            if len(per_term) == 1 and not partial:
                break

    def rank(t: tuple[int, int, float, dict[str, Any]]) -> tuple[Any, ...]:
        tier, matched, score, fields = t
        answer_first = 0 if answers_first and fields["kind"] == "question" else 1
        return (tier, -matched, answer_first, -score, fields["kind"], fields["id"])

    ordered = sorted(found.values(), key=rank)
    words = parsed.forms + parsed.all_words()
    hits.extend(_render_hit(cat, t, words, parsed.terms) for t in ordered[: max(limit, 0)])
    return hits


def _render_hit(
    cat: Catalogue,
    found: tuple[int, int, float, dict[str, Any]],
    words: list[str],
    groups: list[list[str]],
) -> Hit:
    tier, matched, score, fields = found
    text, html, plain = make_snippet(cat, fields["text"], words, groups)
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
        matched=matched,
    )
