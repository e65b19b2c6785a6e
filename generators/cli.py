"""The ``lamplight`` command: one front for checking, scaffolding, building and searching.

Each command is thin: it loads the validated catalogue once and hands it to the module that
does the work. Bad input ends with a Chinese message and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from .content import KINDS, Catalogue, load_catalogue
from .diagnostics import Report
from .errors import BuildError, ContentError, LamplightError
from .usage import ChineseUsage

app = typer.Typer(
    cls=ChineseUsage,
    name="lamplight",
    help="一盏灯：技能教程与典型案例的检查、生成和发布工具。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)

F = TypeVar("F", bound=Callable[..., Any])

RootOption = Annotated[
    Path,
    typer.Option("--root", help="项目根目录（默认为当前目录）", show_default=False),
]


def _guard(func: F) -> F:
    """Turn expected failures into messages and exit codes; never show a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ContentError as exc:
            _print_report(exc.report, "text", sys.stderr)
            err.print("[bold red]内容有错误，已停止。[/] 请按上面的提示逐条修改后再试。")
            raise typer.Exit(1) from None
        except LamplightError as exc:
            err.print(f"[bold red]错误：[/]{exc}")
            raise typer.Exit(1) from None
        except BrokenPipeError:  # output piped into `head` and the like
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
            raise typer.Exit(0) from None
        except KeyboardInterrupt:
            err.print("已中断，没有写入任何不完整的输出。")
            raise typer.Exit(130) from None
        except typer.Exit:
            raise
        except Exception as exc:  # noqa: BLE001 - last line of defence for editors
            if os.environ.get("LAMPLIGHT_DEBUG"):
                raise
            err.print(
                f"[bold red]内部错误：[/]{type(exc).__name__}: {exc}\n"
                "这不是您的内容的问题。请把这条信息发给技术人员；"
                "设置环境变量 LAMPLIGHT_DEBUG=1 可以看到详细信息。"
            )
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]


def _root(root: Path | None) -> Path:
    path = (root or Path.cwd()).resolve()
    if not (path / "content").is_dir() and not (path / "mkdocs.yml").exists():
        raise BuildError(
            f"“{path}”不像是一盏灯的项目目录（找不到 content/ 或 mkdocs.yml）；请在项目根目录运行，或用 --root 指定"
        )
    return path


def _print_report(report: Report, fmt: str, stream: Any = None) -> None:
    """Print every problem, one per line, then the count (or the JSON document)."""
    stream = stream or sys.stdout
    if fmt == "json":
        print(report.to_json(), file=stream)
        return
    for diag in report.sorted():
        print(diag.format(), file=stream)
    print(report.summary(), file=stream)


def load_checked(root: Path, strict: bool = False) -> Catalogue:
    """Load the catalogue or raise :class:`ContentError` with every problem."""
    cat, report = load_catalogue(root)
    if cat is None or report.errors or (strict and report.warnings):
        raise ContentError(report)
    for diag in report.sorted():
        print(diag.format(), file=sys.stderr)
    return cat


class Format(StrEnum):
    text = "text"
    json = "json"


class Script(StrEnum):
    hans = "hans"
    hant = "hant"


@app.command()
@_guard
def check(
    fmt: Annotated[Format, typer.Option("--format", help="输出格式：text 或 json")] = Format.text,
    strict: Annotated[bool, typer.Option("--strict", help="有警告也算失败")] = False,
    root: RootOption = None,  # type: ignore[assignment]
) -> None:
    """检查所有内容文件，列出每一个问题（文件:行:列: 代码 说明）。"""
    project = _root(root)
    cat, report = load_catalogue(project)
    _print_report(report, fmt.value)
    if cat is not None and cat.sample and fmt is Format.text:
        print(
            "注意：有 content/SAMPLE 标记，这是虚构的样例内容库，每个页面都会显示“样例”横幅；"
            "真实内容请用 lamplight init 新建内容库（或删去 content/SAMPLE）。",
            file=sys.stderr,
        )
    failed = bool(report.errors) or (strict and bool(report.warnings))
    if not failed and fmt is Format.text:
        assert cat is not None
        print(
            f"检查通过：{len(cat.skills)} 篇技能教程，{len(cat.showcases)} 个典型案例，"
            f"{len(cat.elders)} 位五老，{len(cat.pairings)} 条结对记录，{len(cat.booklets)} 本小册子，"
            f"{len(cat.questions)} 条问答，{len(cat.teams)} 个咨询服务团，{len(cat.notices)} 条通知。",
            file=sys.stderr,
        )
    raise typer.Exit(1 if failed else 0)


#: The kinds ``lamplight new`` writes (those with scaffolds in the kind registry).
NEW_KINDS = [k for k in KINDS.values() if k.scaffolds]
_NEW_HELP = "、".join(k.name + "".join(f"（或 {a}）" for a in k.aliases) for k in NEW_KINDS)


@app.command()
@_guard
def new(
    kind: Annotated[str, typer.Argument(help="要新建的类型：" + _NEW_HELP, metavar="KIND")],
    slug: Annotated[str, typer.Argument(help="编号：小写字母、数字和连字符，如 cha-ye-cai-zhai")],
    script: Annotated[
        Script | None,
        typer.Option(
            "--script",
            help="模板用字：hans 简体或 hant 繁体（默认按环境变量 LAMPLIGHT_SCRIPT，未设为简体）",
            show_default=False,
        ),
    ] = None,
    root: RootOption = None,  # type: ignore[assignment]
) -> None:
    """生成一个带中文注释的新条目模板（不会覆盖已有文件）。"""
    from .content.kinds import kind_named
    from .editor_script import editor_script
    from .scaffold import ScaffoldError, write_scaffold

    script = script or Script(editor_script())

    found = kind_named(kind)
    if found is None or not found.scaffolds:
        raise BuildError(f"不能新建“{kind}”：可以新建的类型有 {_NEW_HELP}")
    project = _root(root)
    try:
        written = write_scaffold(project, found.name, slug, script=script.value)
    except ScaffoldError as exc:
        raise BuildError(str(exc)) from None
    for path in written:
        out.print(f"已生成 {path.relative_to(project).as_posix()}")
    placeholder = "（請填寫）" if script is Script.hant else "（请填写）"
    out.print(f"请把所有带“{placeholder}”的地方改成真实内容，然后运行 lamplight check。")


@app.command()
@_guard
def init(
    target: Annotated[Path, typer.Argument(help="新内容库的目录（不能已有 content/）")],
    root: RootOption = None,  # type: ignore[assignment]
) -> None:
    """新建一个真实内容库：复制分类表、公开渠道等设置，不带样例条目和 content/SAMPLE。"""
    from .scaffold import ScaffoldError, init_project
    from .schema import write_schemas

    project = _root(root)
    try:
        written, left_out = init_project(project, target.resolve())
    except ScaffoldError as exc:
        raise BuildError(str(exc)) from None
    write_schemas(target.resolve() / "schemas", target.resolve())
    for path in written:
        out.print(f"已复制 {path.relative_to(target.resolve()).as_posix()}")
    if left_out:
        out.print("没有复制样例页面：" + "、".join(left_out) + "（请按实际情况另写）")
    out.print(
        "请把 content/public_channels.yaml 里标有“虚构”的号码换成真实的公开热线，"
        "然后用 lamplight new 添加条目。"
    )


@app.command()
@_guard
def schema(
    out_dir: Annotated[Path, typer.Option("--out", help="输出目录")] = Path("schemas"),
    root: RootOption = None,  # type: ignore[assignment]
) -> None:
    """生成 JSON Schema 文件（含分类表的可选值和已有条目的 id），供 VS Code 等编辑器补全和检查。"""
    from .schema import write_schemas

    project = _root(root)
    target = out_dir if out_dir.is_absolute() else project / out_dir
    for path in write_schemas(target, project):
        out.print(
            f"已写入 {path.relative_to(project).as_posix() if path.is_relative_to(project) else path}"
        )


def _run_stage(name: str, func: Callable[[], Any]) -> Any:
    with err.status(f"{name}……", spinner="dots"):
        result = func()
    err.print(f"[green]✓[/] {name}")
    return result


@app.command()
@_guard
def build(
    site_only: Annotated[bool, typer.Option("--site-only", help="只生成网站")] = False,
    no_booklets: Annotated[bool, typer.Option("--no-booklets", help="不生成小册子")] = False,
    root: RootOption = None,  # type: ignore[assignment]
) -> None:
    """主任务：检查内容，然后生成网站、离线包、搜索索引和小册子。"""
    project = _root(root)
    cat = _run_stage("检查内容", lambda: load_checked(project))
    from . import pipeline

    pipeline.build_all(
        cat, project, site=True, booklets=not (site_only or no_booklets), stage=_run_stage
    )
    budget = project / "dist" / "page-budget.json"
    if budget.is_file():
        data = json.loads(budget.read_text(encoding="utf-8"))
        out.print(
            f"网站已写入 site/（故事页首次打开 {data.get('total_kb')} KB，gzip，不含照片）；"
            "离线包 dist/lamplight-offline.zip；小册子 dist/booklets/"
        )


@app.command()
@_guard
def serve(
    addr: Annotated[str, typer.Option("--addr", help="地址和端口")] = "127.0.0.1:8000",
    root: RootOption = None,  # type: ignore[assignment]
) -> None:
    """实时预览网站：内容一改，浏览器里的页面就自动刷新。"""
    project = _root(root)
    load_checked(project)
    from .site.serve import serve_site

    serve_site(project, addr)


@app.command()
@_guard
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
    project = _root(root)
    cat = _run_stage("检查内容", lambda: load_checked(project))
    from . import pipeline

    target = out_dir if out_dir.is_absolute() else project / out_dir
    unknown = [slug for slug in slugs or [] if slug not in cat.booklets]
    if unknown:
        known = "、".join(sorted(cat.booklets)) or "（没有）"
        raise BuildError(f"找不到小册子“{'、'.join(unknown)}”；content/booklets/ 里有：{known}")
    ok = pipeline.build_booklets(
        cat, project, slugs or [], target, marks=marks, pdf_x=pdf_x.lower(), stage=_run_stage
    )
    if not ok:
        raise typer.Exit(1)


@app.command()
@_guard
def index(root: RootOption = None) -> None:  # type: ignore[assignment]
    """为编辑重建 whoosh 搜索索引（.lamplight-cache/whoosh）。"""
    project = _root(root)
    cat = load_checked(project)
    from .search.index import build_index

    path = _run_stage("建立搜索索引", lambda: build_index(cat, project))
    out.print(f"索引已写入 {path}")


#: The kinds ``lamplight search --kind`` takes (those search takes in the kind registry).
Kind = StrEnum("Kind", {k.name: k.name for k in KINDS.values() if "search" in k.generators})  # type: ignore[misc]


@app.command()
@_guard
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
    project = _root(root)
    from .search.index import search as run_search

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
@_guard
def digest(
    since: Annotated[str, typer.Option("--since", help="从哪天起（YYYY-MM-DD）")],
    script: Annotated[
        Script, typer.Option("--script", help="文字：hans 简体、hant 繁体")
    ] = Script.hans,
    root: RootOption = None,  # type: ignore[assignment]
) -> None:
    """打印某天以来新内容的群消息（每周发到村里的微信群、QQ 群）。"""
    import datetime as dt

    from . import urls
    from .content.digest import digest as make_digest

    try:
        day = dt.date.fromisoformat(since)
    except ValueError:
        raise BuildError(f"日期“{since}”不对；请写成 YYYY-MM-DD，例如 2026-11-01") from None
    project = _root(root)
    cat = load_checked(project)
    sys.stdout.write(make_digest(cat, day, urls.site_url(project), script.value))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
