"""The one Jinja2 environment for site pages, plus Markdown-to-safe-HTML for bodies."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from ..errors import SiteError
from ..markup import render_markdown
from .charts import fmt_number

#: Package data: page templates (theme overrides live beside them in ``theme/``).
TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates" / "site" / "pages"

_IMG_RE = re.compile(r"<img\b([^>]*)>")
_EXTERNAL_A_RE = re.compile(r'<a\b[^>]*\bhref="(?:https?:)?//[^"]*"[^>]*>(.*?)</a>', re.S)
_ATTR_RE = re.compile(r'(\w+)="([^"]*)"')


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """Return the shared Jinja2 environment (autoescaping, strict undefined)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["num"] = fmt_number
    return env


def render(template: str, what: str, **context: Any) -> str:
    """Render ``template``; turn any template problem into a Chinese :class:`SiteError`."""
    try:
        return environment().get_template(template).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise SiteError(
            f"网页模板“{exc.filename or template}”第 {exc.lineno} 行有语法错误：{exc.message}"
            f"（生成“{what}”时发现）"
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise SiteError(f"找不到网页模板“{exc.name}”（生成“{what}”时）") from None
    except jinja2.UndefinedError as exc:
        raise SiteError(
            f"网页模板“{template}”用到了不存在的数据：{exc.message}（生成“{what}”时）"
        ) from None
    except SiteError:
        raise
    except Exception as exc:  # noqa: BLE001 - any template bug becomes a named, Chinese failure
        raise SiteError(
            f"网页模板“{template}”出错：{type(exc).__name__}: {exc}（生成“{what}”时）"
        ) from None


def markdown_html(
    text: str,
    image: Callable[[str, str], str] | None = None,
    render: Callable[[str], str] = render_markdown,
) -> str:
    """Convert Markdown to sanitised HTML (with ``render``); ``image(src, alt)`` replaces
    each local picture.

    Links and pictures on other hosts lose their address (the site never points elsewhere).
    """
    html = _EXTERNAL_A_RE.sub(r"\1", render(text))
    if image is None:
        return html

    def _swap(match: re.Match[str]) -> str:
        attrs = dict(_ATTR_RE.findall(match.group(1)))
        src = attrs.get("src", "")
        if not src or "://" in src or src.startswith(("data:", "/")):
            return ""
        return image(src, attrs.get("alt", ""))

    return _IMG_RE.sub(_swap, html)
