"""Commands that find things: the editors' index and search, the group-message digest."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated

import typer

from ..content import KINDS
from ..errors import BuildError
from .app import RootOption, Script, app, guard, load_checked, out, project_root, run_stage


@app.command()
@guard
def index(root: RootOption = None) -> None:  # type: ignore[assignment]
    """为编辑重建 whoosh 搜索索引（.lamplight-cache/whoosh）。"""
    project = project_root(root)
    cat = load_checked(project)
    from ..search.index import build_index

    path = run_stage("建立搜索索引", lambda: build_index(cat, project))
    out.print(f"索引已写入 {path}")


#: The kinds ``lamplight search --kind`` takes (those search takes in the kind registry).
Kind = StrEnum("Kind", {k.name: k.name for k in KINDS.values() if "search" in k.generators})  # type: ignore[misc]


@app.command()
@guard
def search(
    query: Annotated[str, typer.Argument(help="要搜的词，简体繁体都可以")],
    kind: Annotated[Kind | None, typer.Option("--kind", help="只搜一类")] = None,
    region: Annotated[str | None, typer.Option("--region", help="地区（省或县）")] = None,
    industry: Annotated[str | None, typer.Option("--industry", help="产业")] = None,
    limit: Annotated[int, typer.Option("--limit", help="最多几条")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
    root: RootOption = None,  # type: ignore[assignment]
) -> None:
    """在全部内容中搜索（供编辑查找已有材料）。"""
    project = project_root(root)
    from ..search.index import search as run_search

    cat = load_checked(project)
    hits = run_search(
        cat,
        project,
        query,
        kind=kind.value if kind else None,
        region=region,
        industry=industry,
        limit=limit,
    )
    if as_json:
        print(json.dumps([h.to_json() for h in hits], ensure_ascii=False, indent=2))
        return
    if not hits:
        out.print("没有找到结果。试试换个说法，或用更短的词。")
        return
    if hits.closest:
        out.print("没有同时包含所有词的结果，下面是最接近的")
    for number, hit in enumerate(hits, start=1):
        out.print(f"{number}. [bold]{hit.title}[/]（{hit.kind_label}）{hit.url}")
        if hit.snippet:
            out.print(f"   {hit.snippet}")


@app.command()
@guard
def digest(
    since: Annotated[str, typer.Option("--since", help="从哪天起（YYYY-MM-DD）")],
    script: Annotated[
        Script, typer.Option("--script", help="文字：hans 简体、hant 繁体")
    ] = Script.hans,
    root: RootOption = None,  # type: ignore[assignment]
) -> None:
    """打印某天以来新内容的群消息（每周发到村里的微信群、QQ 群）。"""
    import datetime as dt

    from .. import urls
    from ..content.digest import digest as make_digest

    try:
        day = dt.date.fromisoformat(since)
    except ValueError:
        raise BuildError(f"日期“{since}”不对；请写成 YYYY-MM-DD，例如 2026-11-01") from None
    project = project_root(root)
    cat = load_checked(project)
    sys.stdout.write(make_digest(cat, day, urls.site_url(project), script.value))
