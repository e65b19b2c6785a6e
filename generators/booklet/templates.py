"""The Jinja2 environment of the booklet templates (package data)."""

from __future__ import annotations

import functools

import jinja2


@functools.cache
def environment() -> jinja2.Environment:
    """The one Jinja2 environment for booklet templates."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("generators", "templates/booklet"),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
