"""Command-line usage errors in Chinese (click's are English): the group class of the CLI.

A mistyped command, a missing argument or a wrong value ends with one Chinese line naming
the fix, the usage line and exit code 2, never typer's English panel.
"""

from __future__ import annotations

import difflib
import re
import sys
from typing import Any

import typer
from typer._click import exceptions as click
from typer.core import TyperGroup

from .editor_script import TraditionalStream, editor_script


def usage_message(exc: click.UsageError) -> str:
    """The Chinese message for one usage error (with the usage and help hint)."""
    ctx = exc.ctx
    text = exc.format_message()
    if isinstance(exc, click.MissingParameter):
        name = _name_param(exc.param)
        said = f"缺少参数“{name}”"
        choices = getattr(getattr(exc.param, "type", None), "choices", None)
        if choices:
            said += "；可选：" + "、".join(str(c) for c in choices)
    elif isinstance(exc, click.NoSuchOption):
        said = f"没有选项“{exc.option_name}”"
        if exc.possibilities:
            said += f"，您是不是想写“{sorted(exc.possibilities)[0]}”？"
    elif isinstance(exc, click.BadParameter):
        said = f"参数“{_name_param(exc.param)}”的值不对：{_describe_value(exc.message)}"
    elif match := re.match(r"No such command '(.+?)'", text):
        said = f"没有“{match.group(1)}”这个命令"
        group = ctx.command if ctx is not None and isinstance(ctx.command, TyperGroup) else None
        commands = group.list_commands(ctx) if group is not None and ctx is not None else []
        close = difflib.get_close_matches(match.group(1), commands, n=1, cutoff=0.5)
        said += f"，您是不是想写“{close[0]}”？" if close else "；可用的命令：" + "、".join(commands)
    elif match := re.match(r"Got unexpected extra argument(?:\(s\)|s)? \((.+)\)", text):
        said = f"多了参数：{match.group(1)}；请检查是否少了引号或多打了词"
    else:
        said = f"命令写得不对：{text}"
    lines = [f"错误：{said}"]
    if ctx is not None:
        lines.append(f"用法：{ctx.command_path} {' '.join(ctx.command.collect_usage_pieces(ctx))}")
        lines.append(f"运行“{ctx.command_path} --help”查看说明。")
    return "\n".join(lines)


def _name_param(param: Any) -> str:
    if param is None:
        return "?"
    return str(param.opts[0] if getattr(param, "opts", None) else param.name)


def _describe_value(text: str) -> str:
    match = re.search(r"'([^']+)' is not one of (.+?)\.?$", text)
    if match:
        choices = "、".join(re.findall(r"'([^']+)'", match.group(2)))
        return f"“{match.group(1)}”不是可选值；可选：{choices}"
    match = re.search(r"valid (integer|number|float|boolean)", text)
    if match:
        wanted = {"integer": "整数", "number": "数字", "float": "数字", "boolean": "true 或 false"}
        return f"应是{wanted[match.group(1)]}"
    return text


class ChineseUsage(TyperGroup):
    """The CLI's command group: usage errors are printed in Chinese (exit code 2); with
    ``LAMPLIGHT_SCRIPT=hant`` everything the command prints is in Traditional."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        if editor_script() == "hans":
            return self._run(*args, standalone_mode=standalone_mode, **kwargs)
        streams = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = TraditionalStream(sys.stdout), TraditionalStream(sys.stderr)
        try:
            return self._run(*args, standalone_mode=standalone_mode, **kwargs)
        finally:
            sys.stdout, sys.stderr = streams

    def _run(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        try:
            result = super().main(*args, **{**kwargs, "standalone_mode": False})
        except click.NoArgsIsHelpError as exc:  # the help was shown
            if not standalone_mode:
                raise
            if exc.format_message().strip():
                exc.show()
            sys.exit(exc.exit_code)
        except click.UsageError as exc:
            if not standalone_mode:
                raise
            print(usage_message(exc), file=sys.stderr)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            if not standalone_mode:
                raise
            exc.show()
            sys.exit(exc.exit_code)
        except typer.Abort:
            if not standalone_mode:
                raise
            print("已中断。", file=sys.stderr)
            sys.exit(1)
        if not standalone_mode:
            return result
        sys.exit(result if isinstance(result, int) else 0)
