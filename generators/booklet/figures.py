"""Numbers as the booklet prints them: amounts, the income chart, costs and the calendar."""

from __future__ import annotations

from typing import Any

from ..models import Showcase, Skill


def money(value: float) -> str:
    """An amount of yuan: thousands separated, cents only when there are any."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def number(value: float) -> str:
    """A quantity without trailing zeros."""
    return f"{value:g}"


def render_chart(show: Showcase) -> dict[str, Any]:
    """The before/after income bars of a story."""
    kf = show.key_figures
    before, after = kf.income_before, kf.income_after
    top = max(before.amount, after.amount, 1)
    ratio = after.amount / before.amount if before.amount else 0
    return {
        "before_year": before.year,
        "before_amount": money(before.amount),
        "before_pct": f"{max(2.0, before.amount / top * 100):.1f}",
        "after_year": after.year,
        "after_amount": money(after.amount),
        "after_pct": f"{max(2.0, after.amount / top * 100):.1f}",
        "ratio": f"{ratio:.1f}" if ratio >= 1.05 else "",
        "exit_year": kf.exit_year,
    }


def render_calendar(skill: Skill) -> list[dict[str, Any]]:
    """The month-by-month work of a tutorial."""
    return [
        {
            "months": f"{c.from_month} 月"
            if c.from_month == c.to_month
            else f"{c.from_month}–{c.to_month} 月",
            "task": c.task,
        }
        for c in skill.calendar
    ]


def render_costs(skill: Skill) -> dict[str, Any]:
    """Materials, costs and the expected return of a tutorial."""
    total = sum(m.quantity * m.price for m in skill.materials)
    ret = skill.expected_return
    return {
        "materials": [
            {
                "name": m.name,
                "quantity": number(m.quantity),
                "unit": m.unit,
                "price": money(m.price),
                "subtotal": money(m.quantity * m.price),
            }
            for m in skill.materials
        ],
        "materials_total": money(total),
        "cost": {
            "setup": money(skill.cost.setup),
            "per_cycle": money(skill.cost.per_cycle),
            "cycle": skill.cost.cycle,
        },
        "ret": {
            "yield_": ret.yield_,
            "price": ret.price,
            "net": money(ret.net),
            "payback_months": ret.payback_months,
            "assumptions": ret.assumptions,
        },
    }
