"""Commands that make outputs: build (site, offline bundle, booklets), serve, booklet."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ..errors import BuildError
from .app import RootOption, app, guard, load_checked, out, project_root, run_stage


@app.command()
@guard
def build(
    site_only: Annotated[bool, typer.Option("--site-only", help="只生成网站")] = False,
    no_booklets: Annotated[bool, typer.Option("--no-booklets", help="不生成小册子")] = False,
    root: RootOption = None,  # type: ignore[assignment]
) -> None:
    """主任务：检查内容，然后生成网站、离线包、搜索索引和小册子。"""
    project = project_root(root)
    cat = run_stage("检查内容", lambda: load_checked(project))
    from .. import pipeline

    pipeline.build_all(
        cat, project, site=True, booklets=not (site_only or no_booklets), stage=run_stage
    )
    budget = project / "dist" / "page-budget.json"
    if budget.is_file():
        data = json.loads(budget.read_text(encoding="utf-8"))
        out.print(
            f"网站已写入 site/（故事页首次打开 {data.get('total_kb')} KB，gzip，不含照片）；"
            "离线包 dist/lamplight-offline.zip；小册子 dist/booklets/"
        )


@app.command()
@guard
def serve(
    addr: Annotated[str, typer.Option("--addr", help="地址和端口")] = "127.0.0.1:8000",
    root: RootOption = None,  # type: ignore[assignment]
) -> None:
    """实时预览网站：内容一改，浏览器里的页面就自动刷新。"""
    project = project_root(root)
    load_checked(project)
    from ..site.serve import serve_site

    serve_site(project, addr)


@app.command()
@guard
def booklet(
    slugs: Annotated[list[str] | None, typer.Argument(help="小册子编号（不填则全部）")] = None,
    out_dir: Annotated[Path, typer.Option("--out", help="输出目录")] = Path("dist/booklets"),
    marks: Annotated[bool, typer.Option("--marks", help="加裁切标记")] = False,
    pdf_x: Annotated[
        str, typer.Option("--pdf-x", help="印刷文件的 PDF/X 标准：4（默认）或 1a（照片转 CMYK）")
    ] = "4",
    root: RootOption = None,  # type: ignore[assignment]
) -> None:
    """生成印刷用 PDF、A4 拼版 PDF、工单和印前检查报告。"""
    if pdf_x.lower() not in ("4", "1a"):
        raise BuildError(f"--pdf-x 只能是 4 或 1a（PDF/X-4 或 PDF/X-1a），收到“{pdf_x}”")
    project = project_root(root)
    cat = run_stage("检查内容", lambda: load_checked(project))
    from .. import pipeline

    target = out_dir if out_dir.is_absolute() else project / out_dir
    unknown = [slug for slug in slugs or [] if slug not in cat.booklets]
    if unknown:
        known = "、".join(sorted(cat.booklets)) or "（没有）"
        raise BuildError(f"找不到小册子“{'、'.join(unknown)}”；content/booklets/ 里有：{known}")
    ok = pipeline.build_booklets(
        cat, project, slugs or [], target, marks=marks, pdf_x=pdf_x.lower(), stage=run_stage
    )
    if not ok:
        raise typer.Exit(1)
