"""The page of each item: a skill tutorial, a story (showcase) and an elder."""

from __future__ import annotations

from ..content import KINDS
from ..models import Elder, Showcase, Skill
from .charts import before_after_svg, fmt_number
from .planner import Planner
from .preview import remembered
from .structure import PageSpec, month_label, months_active


def add_skill_page(planner: Planner, skill: Skill) -> None:
    """Plan the page of one skill."""
    p = planner
    remembered(
        p,
        skill,
        lambda: [
            [p.entry(p.cat.elders[e]) for e in skill.who_to_ask.elders if e in p.elder_ids],
            [p.entry(p.cat.elders[e]) for e in skill.authors if e in p.elder_ids],
            [p.entry(s) for s in p.stories_using.get(skill.id, [])],
            p.related(skill),
        ],
        lambda: _plan_skill_page(p, skill),
    )


def add_showcase_page(planner: Planner, showcase: Showcase) -> None:
    """Plan the page of one story."""
    p = planner
    remembered(
        p,
        showcase,
        lambda: [
            [p.entry(p.cat.skills[s]) for s in showcase.skills if s in p.skill_ids],
            [p.entry(p.cat.elders[e]) for e in showcase.elders if e in p.elder_ids],
            p.related(showcase),
        ],
        lambda: _plan_showcase_page(p, showcase),
    )


def _plan_skill_page(p: Planner, skill: Skill) -> None:
    src = KINDS["skill"].page_src(skill.id)
    what = f"技能教程“{skill.title}”（skills_library/{skill.id}）"
    folder = p.cat.folder(skill)
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
            p.media.picture(what, folder, step.image, f"第 {number} 步的示意图")
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
    context = {
        "skill": skill,
        "body": p.media.body_html(what, src, folder, p.cat.body(skill)),
        "calendar": calendar,
        "materials": materials,
        "total": fmt_number(total),
        "setup": fmt_number(skill.cost.setup),
        "per_cycle": fmt_number(skill.cost.per_cycle),
        "net": fmt_number(skill.expected_return.net),
        "labour_days": fmt_number(skill.labour_days),
        "steps": steps,
        "elders": [p.entry(p.cat.elders[e]) for e in skill.who_to_ask.elders if e in p.elder_ids],
        "authors": [p.entry(p.cat.elders[e]) for e in skill.authors if e in p.elder_ids],
        "stories": [p.entry(s) for s in p.stories_using.get(skill.id, [])],
        "related": p.related(skill),
        "industry_src": p.facet_src("industry", skill.category),
        "causes": [(c, p.facet_src("cause", c)) for c in skill.poverty_causes],
        "regions": [(r, p.facet_src("region", r)) for r in skill.suitable_regions],
        "qr": p.qr(src),
        "public_url": p.public_url(src),
        "kind_label": KINDS["skill"].reader_label,
        "region_meta": "、".join(skill.suitable_regions),
    }
    p.add(PageSpec(src, "skill.html", skill.title, what, context))


def _draw_income_chart(showcase: Showcase) -> str:
    figures = showcase.key_figures
    before_label = f"{figures.income_before.year} 年"
    after_label = f"{figures.income_after.year} 年"
    return before_after_svg(
        f"帮扶前 {before_label}",
        figures.income_before.amount,
        f"帮扶后 {after_label}",
        figures.income_after.amount,
        title=(
            f"人均纯收入：{before_label} {fmt_number(figures.income_before.amount)} 元，"
            f"{after_label} {fmt_number(figures.income_after.amount)} 元"
        ),
    )


def _plan_showcase_page(p: Planner, showcase: Showcase) -> None:
    src = KINDS["showcase"].page_src(showcase.id)
    what = f"典型案例“{showcase.title}”（showcases/{showcase.id}）"
    folder = p.cat.folder(showcase)
    figures = showcase.key_figures
    chart = _draw_income_chart(showcase)
    photos = [
        p.media.picture(what, folder, photo.file, photo.caption) | {"caption": photo.caption}
        for photo in showcase.photos
        if photo.consent_ref
    ]
    region = showcase.region
    context = {
        "showcase": showcase,
        "body": p.media.body_html(what, src, folder, p.cat.body(showcase)),
        "chart": chart,
        "before": fmt_number(figures.income_before.amount),
        "after": fmt_number(figures.income_after.amount),
        "before_year": figures.income_before.year,
        "after_year": figures.income_after.year,
        "photos": photos,
        "skills": [p.entry(p.cat.skills[s]) for s in showcase.skills if s in p.skill_ids],
        "elders": [p.entry(p.cat.elders[e]) for e in showcase.elders if e in p.elder_ids],
        "related": p.related(showcase),
        "region_links": p.region_links(region.province, region.county),
        "industry_src": p.facet_src("industry", showcase.industry),
        "causes": [(c, p.facet_src("cause", c)) for c in showcase.poverty_causes],
        "measures": [(m, p.facet_src("measure", m)) for m in showcase.assistance_measures],
        "activities": [(a, p.facet_src("activity", a)) for a in showcase.activities],
        "qr": p.qr(src),
        "public_url": p.public_url(src),
        "kind_label": KINDS["showcase"].reader_label,
        "region_meta": region.label(),
    }
    p.add(PageSpec(src, "showcase.html", showcase.title, what, context))


def add_elder_page(p: Planner, elder: Elder) -> None:
    """Plan the page of one elder."""
    src = KINDS["elder"].page_src(elder.id)
    region = elder.region
    context = {
        "elder": elder,
        "skills": [p.entry(s) for s in p.skills_of.get(elder.id, []) if s.id in p.skill_ids],
        "stories": [p.entry(s) for s in p.stories_with.get(elder.id, [])],
        "region_links": p.region_links(region.province, region.county),
        "kind_label": KINDS["elder"].reader_label,
        "region_meta": region.label(),
        "public_url": p.public_url(src),
    }
    what = f"五老“{elder.display_name}”（content/elders/{elder.id}.yaml）"
    p.add(PageSpec(src, "elder.html", elder.display_name, what, context))
