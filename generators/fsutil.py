"""File-system helpers shared by the generators."""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def swap_in(new: Path, target: Path) -> None:
    """Replace the folder ``target`` by ``new`` with two renames (never a half-written folder).

    ``new`` must be on the same file system (build it beside ``target``). The previous
    folder is removed only after the new one is in place.
    """
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)
