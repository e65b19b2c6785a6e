"""The template values of the booklet's items: showcase stories, skill tutorials, contacts.

Each ``_render_*`` function returns the values of one item for ``booklet.html`` and records
the item's printed text (for the missing-glyph check) in ``texts``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel

from .. import urls
from ..content import KINDS, Catalogue
from ..models import Elder, Showcase, Skill
from .assets import Assets
from .figures import number, render_calendar, render_chart, render_costs
from .layout import Trim
from .select import Selection

NOT_PRINTED = frozenset(
    {"id", "status", "consent", "consent_ref", "file", "image", "elders", "skills", "authors"}
)
"""Fields of a record that never reach the page (ids, consent and file references)."""


def printed_strings(value: Any, skip: frozenset[str]) -> Iterable[str]:
    """Every string of a record (nested lists and records included), but the ``skip`` fields."""
    if isinstance(value, BaseModel):
        value = value.model_dump()
    if isinstance(value, dict):
        for name, item in value.items():
            if name not in skip:
                yield from printed_strings(item, skip)
    elif isinstance(value, list):
        for item in value:
            yield from printed_strings(item, skip)
    elif isinstance(value, str):
        yield value


def _render_elder(elder: Elder) -> dict[str, str]:
    return {
        "name": elder.display_name,
        "type": elder.elder_type,
        "unit": elder.unit,
        "expertise": "、".join(elder.expertise),
        "bio": elder.bio,
    }


class Items:
    """What the item values of one booklet share: the catalogue, its selection and assets."""

    def __init__(
        self, cat: Catalogue, selection: Selection, assets: Assets, base_url: str, trim: Trim
    ):
        self.cat = cat
        """The loaded content."""
        self.selection = selection
        """The booklet's items."""
        self.assets = assets
        """Draws photos, QR codes and Markdown."""
        self.base_url = base_url
        """The site's address (ends in ``/``), for links and QR codes."""
        self.trim = trim
        """The page size."""
        self.texts: dict[str, str] = {}
        """Label of each item (Chinese, names the file) → all its printed text."""
        self.anchors = {k.id: f"skill-{k.id}" for k in selection.skills}
        """Skill id → anchor of its tutorial, for the skills printed in this booklet."""

    def _resolve_url(self, kind: str, ident: str) -> str:
        return urls.absolute(self.base_url, KINDS[kind].page_path(ident))

    def _photo_height(self) -> float:
        trim = self.trim
        return (trim.height - trim.margin_top - trim.margin_bottom) * 0.45

    def stories(self) -> list[dict[str, Any]]:
        """Values of every showcase story."""
        return [self._render_story(show) for show in self.selection.showcases]

    def tutorials(self, large: bool) -> list[dict[str, Any]]:
        """Values of every skill tutorial (``large``: the large-print edition)."""
        return [self._render_tutorial(skill, large) for skill in self.selection.skills]

    def _render_story_skill(self, ident: str) -> dict[str, Any] | None:
        skill = self.cat.skills.get(ident)
        if skill is None or skill.status != "published":
            return None
        url = self._resolve_url("skill", ident)
        return {
            "title": skill.title,
            "summary": skill.summary,
            "url": url,
            "qr": self.assets.qr(url),
            "in_booklet": ident in self.anchors,
            "anchor": self.anchors.get(ident, ""),
        }

    def _render_story(self, show: Showcase) -> dict[str, Any]:
        cat, folder = self.cat, self.cat.folder(show)
        label = f"典型案例“{show.title}”（{cat.source('showcase', show.id).yaml_path}）"
        children = ""
        if show.children is not None and show.children.count:
            children = f"家里 {show.children.count} 个孩子在读书" + (
                "，一个也没有辍学。" if show.children.all_enrolled else "。"
            )
        photos = [
            {
                "image": self.assets.image(
                    folder / p.file,
                    f"{label}的照片 {p.file}",
                    self.trim.content_width,
                    self._photo_height(),
                ),
                "caption": p.caption,
            }
            for p in show.photos
            if p.consent_ref
        ]
        skills = [s for i in show.skills if (s := self._render_story_skill(i)) is not None]
        elders = [
            _render_elder(self.selection.elders[e])
            for e in show.elders
            if e in self.selection.elders
        ]
        body = cat.body(show)
        self.texts[label] = "\n".join(
            [*printed_strings(show, NOT_PRINTED), body, *(e["bio"] for e in elders)]
        )
        return {
            "anchor": f"showcase-{show.id}",
            "title": show.title,
            "display_name": show.display_name,
            "region": show.region.label(),
            "period": show.period,
            "industry": show.industry,
            "summary": show.summary,
            "chart": render_chart(show),
            "children": children,
            "body_html": self.assets.markdown(body),
            "photos": photos,
            "measures": "、".join(show.assistance_measures),
            "replicability": show.replicability,
            "skills": skills,
            "elders": elders,
        }

    def _render_tutorial(self, skill: Skill, large: bool) -> dict[str, Any]:
        cat, folder = self.cat, self.cat.folder(skill)
        label = f"技能教程“{skill.title}”（{cat.source('skill', skill.id).yaml_path}）"
        url = self._resolve_url("skill", skill.id)
        step_w = self.trim.content_width * (0.85 if large else 0.7)
        who = [
            f"{e.display_name}（{e.elder_type}，{e.unit}）：{e.contact.name}"
            for ident in skill.who_to_ask.elders
            if (e := self.selection.elders.get(ident)) is not None
        ]
        steps = [
            {
                "text": st.text,
                "caution": st.caution,
                "image": self.assets.image(
                    folder / st.image,
                    f"{label}第 {n} 步的配图 {st.image}",
                    step_w,
                    self._photo_height(),
                )
                if st.image
                else None,
            }
            for n, st in enumerate(skill.steps, start=1)
        ]
        body = cat.body(skill)
        self.texts[label] = "\n".join([*printed_strings(skill, NOT_PRINTED), body, *who])
        validated = skill.validated_by
        return {
            "anchor": self.anchors[skill.id],
            "title": skill.title,
            "summary": skill.summary,
            "category": skill.category,
            "problem": skill.problem,
            "regions": "、".join(skill.suitable_regions),
            "climate": skill.climate,
            "soil": skill.soil,
            "labour_days": number(skill.labour_days),
            "body_html": self.assets.markdown(body) if body.strip() else "",
            "price_year": skill.cost.price_year,
            **render_costs(skill),
            "calendar": render_calendar(skill),
            "steps": steps,
            "safety": skill.safety,
            "mistakes": skill.mistakes,
            "where_to_sell": skill.where_to_sell,
            "who_elders": who,
            "station": skill.who_to_ask.station,
            "hotline": skill.who_to_ask.hotline,
            "validated": f"{validated.organisation} {validated.name}，{validated.date.year} 年 {validated.date.month} 月",
            "review_due": f"{skill.review_due.year} 年 {skill.review_due.month} 月",
            "url": url,
            "qr": self.assets.qr(url),
        }

    def contacts(self) -> list[dict[str, Any]]:
        """The contact page: elders' public channels, then the skills' stations."""
        selection = self.selection
        contacts: list[dict[str, Any]] = []
        seen: set[str] = set()
        elder_ids: list[str] = []
        for show in selection.showcases:
            elder_ids += show.elders
        for skill in selection.skills:
            elder_ids += skill.who_to_ask.elders + skill.authors
        for ident in elder_ids:
            elder = selection.elders.get(ident)
            if elder is None or elder.contact.name in seen:
                continue
            seen.add(elder.contact.name)
            contacts.append(
                {
                    "name": elder.contact.name,
                    "who": f"{elder.display_name}（{elder.elder_type}）：{'、'.join(elder.expertise)}",
                    "how": elder.contact.how,
                    "hotline": elder.contact.hotline,
                }
            )
            label = f"五老“{elder.display_name}”（content/elders/{elder.id}.yaml）"
            self.texts[label] = "\n".join(printed_strings(elder, NOT_PRINTED))
        for skill in selection.skills:
            station = skill.who_to_ask.station
            if station and station not in seen:
                seen.add(station)
                contacts.append(
                    {
                        "name": station,
                        "who": f"“{skill.title}”的技术指导",
                        "how": "到当地乡镇农业服务中心或县农业农村局询问",
                        "hotline": skill.who_to_ask.hotline,
                    }
                )
        return contacts
