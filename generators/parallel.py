"""Work spread over forked processes that inherit one large, read-only state.

A process pool has one per-worker channel: its initializer. :func:`fork_map` hands the state
to each child once through it (inherited with the fork, never pickled); ``_CHILD_STATE`` is
that child-side slot and the only module-level variable written at run time in the package.
"""

from __future__ import annotations

import gc
import multiprocessing
import signal
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

from .errors import BuildError, LamplightError

S = TypeVar("S")
C = TypeVar("C")
T = TypeVar("T")

_CHILD_STATE: Any = None
"""A pool child's state, set once by :func:`_start_child` (in the child process only)."""


def _start_child(state: Any) -> None:
    global _CHILD_STATE
    _CHILD_STATE = state


def _run(job: tuple[Callable[[Any, Any], Any], Any]) -> Any:
    func, item = job
    return func(_CHILD_STATE, item)


def fork_map(
    func: Callable[[S, C], T], state: S, items: list[C], jobs: int, chunksize: int = 1
) -> list[T]:
    """``[func(state, item) for item in items]`` in ``jobs`` forked processes, in order.

    ``state`` reaches each child once, through the fork: it may be large. ``func`` must be a
    module-level function (it is pickled with each item).
    """
    context = multiprocessing.get_context("fork")
    with context.Pool(jobs, initializer=_start_child, initargs=(state,)) as pool:
        return list(pool.imap(_run, [(func, item) for item in items], chunksize))


class Running:
    """A function running in a forked process (see :func:`start`); :meth:`wait` for it."""

    def __init__(self, process: Any, channel: Any, label: str):
        self.process = process
        """The forked process."""
        self.channel = channel
        """The parent's end of the pipe the child sends its outcome through."""
        self.label = label
        """What the child does, in Chinese (named when it dies without a word)."""

    def wait(self) -> Any:
        """The child's return value; its user-facing error raised here again, same class and
        message (no traceback); a crash becomes a :class:`BuildError` naming ``label``."""
        outcome: tuple[str, Any, Any] | None = None
        try:
            if self.channel.poll(None):
                outcome = self.channel.recv()
        except (EOFError, OSError):
            outcome = None
        finally:
            self.channel.close()
            self.process.join()
        if outcome is None:
            raise BuildError(f"{self.label}的进程意外退出（退出码 {self.process.exitcode}）")
        status, value, detail = outcome
        if status == "ok":
            return value
        if status == "error":
            raise _user_error(value, detail) from None
        raise RuntimeError(f"{self.label} failed in a forked process:\n{detail}")

    def cancel(self) -> None:
        """Stop the child if it still runs (an error elsewhere ends the build)."""
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
        self.channel.close()


def _user_error(name: str, message: str) -> LamplightError:
    from . import errors

    found = getattr(errors, name, None)
    if isinstance(found, type) and issubclass(found, LamplightError):
        try:
            return found(message)
        except TypeError:  # an error made from a record (ContentError) keeps its message
            pass
    return BuildError(message)


def _stop(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)  # ``finally`` blocks run: temporary folders, tool processes


def _child_main(channel: Any, func: Callable[..., Any], args: tuple[Any, ...]) -> None:
    signal.signal(signal.SIGTERM, _stop)
    try:
        outcome: tuple[str, Any, Any] = ("ok", func(*args), None)
    except SystemExit:
        return
    except LamplightError as exc:
        outcome = ("error", type(exc).__name__, exc.message)
    except BaseException:  # a bug: its traceback goes to the parent
        outcome = ("crash", None, traceback.format_exc())
    try:
        channel.send(outcome)
    except OSError:
        pass  # the parent has stopped waiting
    finally:
        channel.close()


def start(label: str, func: Callable[..., Any], *args: Any) -> Running:
    """``func(*args)`` in a forked process that inherits everything (nothing is pickled on
    the way in; the return value is, on the way out). ``label`` names the work in Chinese."""
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe(duplex=False)
    gc.freeze()  # the inherited objects stay shared: the child's collector does not touch them
    try:
        process = context.Process(target=_child_main, args=(child, func, args))
        process.start()
    finally:
        gc.unfreeze()
    child.close()
    return Running(process, parent, label)
