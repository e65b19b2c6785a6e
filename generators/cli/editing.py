"""Commands for editors' files: check, new, init, schema."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..content import KINDS, load_catalogue
from ..errors import BuildError
from .app import Format, RootOption, Script, app, guard, out, print_report, project_root


@app.command()
@guard
def check(
    fmt: Annotated[Format, typer.Option("--format", help="输出格式：text 或 json")] = Format.text,
    strict: Annotated[bool, typer.Option("--strict", help="有警告也算失败")] = False,
    root: RootOption = None,  # type: ignore[assignment]
) -> None:
    """检查所有内容文件，列出每一个问题（文件:行:列: 代码 说明）。"""
    project = project_root(root)
    cat, report = load_catalogue(project)
    print_report(report, fmt.value)
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
@guard
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
    from ..content.kinds import kind_named
    from ..editor_script import editor_script
    from ..scaffold import ScaffoldError, write_scaffold

    script = script or Script(editor_script())

    found = kind_named(kind)
    if found is None or not found.scaffolds:
        raise BuildError(f"不能新建“{kind}”：可以新建的类型有 {_NEW_HELP}")
    project = project_root(root)
    try:
        written = write_scaffold(project, found.name, slug, script=script.value)
    except ScaffoldError as exc:
        raise BuildError(str(exc)) from None
    for path in written:
        out.print(f"已生成 {path.relative_to(project).as_posix()}")
    placeholder = "（請填寫）" if script is Script.hant else "（请填写）"
    out.print(f"请把所有带“{placeholder}”的地方改成真实内容，然后运行 lamplight check。")


@app.command()
@guard
def init(
    target: Annotated[Path, typer.Argument(help="新内容库的目录（不能已有 content/）")],
    root: RootOption = None,  # type: ignore[assignment]
) -> None:
    """新建一个真实内容库：复制分类表、公开渠道等设置，不带样例条目和 content/SAMPLE。"""
    from ..scaffold import ScaffoldError, init_project
    from ..schema import write_schemas

    project = project_root(root)
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
@guard
def schema(
    out_dir: Annotated[Path, typer.Option("--out", help="输出目录")] = Path("schemas"),
    root: RootOption = None,  # type: ignore[assignment]
) -> None:
    """生成 JSON Schema 文件（含分类表的可选值和已有条目的 id），供 VS Code 等编辑器补全和检查。"""
    from ..schema import write_schemas

    project = project_root(root)
    target = out_dir if out_dir.is_absolute() else project / out_dir
    for path in write_schemas(target, project):
        out.print(
            f"已写入 {path.relative_to(project).as_posix() if path.is_relative_to(project) else path}"
        )
