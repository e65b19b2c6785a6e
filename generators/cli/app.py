"""What every ``lamplight`` command shares: the typer app, consoles, the guard that turns
failures into Chinese messages and exit codes, the project root and the checked catalogue."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from ..content import Catalogue, load_catalogue
from ..diagnostics import Report
from ..errors import BuildError, ContentError, LamplightError
from ..usage import ChineseUsage

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


def guard(func: F) -> F:
    """Turn expected failures into messages and exit codes; never show a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ContentError as exc:
            print_report(exc.report, "text", sys.stderr)
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


def project_root(root: Path | None) -> Path:
    """The project folder (``--root`` or the current one), refused when it is not a project."""
    path = (root or Path.cwd()).resolve()
    if not (path / "content").is_dir() and not (path / "mkdocs.yml").exists():
        raise BuildError(
            f"“{path}”不像是一盏灯的项目目录（找不到 content/ 或 mkdocs.yml）；请在项目根目录运行，或用 --root 指定"
        )
    return path


def print_report(report: Report, fmt: str, stream: Any = None) -> None:
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


def run_stage(name: str, func: Callable[[], Any]) -> Any:
    """Run one step of a long command with a spinner, then a tick with its name."""
    with err.status(f"{name}……", spinner="dots"):
        result = func()
    err.print(f"[green]✓[/] {name}")
    return result
