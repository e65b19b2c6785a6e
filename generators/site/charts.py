"""Tiny build-time SVG charts (no JavaScript, numbers drawn as text too)."""

from __future__ import annotations

from html import escape


def fmt_number(value: float) -> str:
    """Format an amount the way the YAML wrote it: 2300, 2300.5 (no exponent, no trailing zeros)."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def before_after_svg(
    before_label: str,
    before: float,
    after_label: str,
    after: float,
    *,
    unit: str = "元",
    title: str = "",
) -> str:
    """Two vertical bars (before, after) with their values written above them."""
    width, height = 320, 220
    top, bottom = 34, 186
    bar_w = 84
    peak = max(before, after, 1.0)
    bars = []
    for index, (label, value, fill) in enumerate(
        ((before_label, before, "#8c8c8c"), (after_label, after, "#7a2a12"))
    ):
        x = 48 + index * 140
        h = round((bottom - top) * value / peak, 1)
        y = round(bottom - h, 1)
        text = f"{fmt_number(value)} {unit}"
        bars.append(
            f'<rect x="{x}" y="{y}" width="{bar_w}" height="{h}" fill="{fill}"/>'
            f'<text x="{x + bar_w / 2}" y="{y - 8}" text-anchor="middle" font-size="17" '
            f'font-weight="bold" fill="#1a1a1a">{escape(text)}</text>'
            f'<text x="{x + bar_w / 2}" y="{bottom + 24}" text-anchor="middle" font-size="16" '
            f'fill="#1a1a1a">{escape(label)}</text>'
        )
    label = (
        title
        or f"{before_label} {fmt_number(before)} {unit}，{after_label} {fmt_number(after)} {unit}"
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="ll-chart" '
        f'role="img" aria-label="{escape(label)}" data-before="{fmt_number(before)}" '
        f'data-after="{fmt_number(after)}">'
        f'<line x1="30" y1="{bottom}" x2="{width - 10}" y2="{bottom}" stroke="#1a1a1a" stroke-width="2"/>'
        + "".join(bars)
        + "</svg>"
    )
