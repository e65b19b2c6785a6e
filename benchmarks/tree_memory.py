"""Peak memory of a whole process tree (every process of a session), sampled from ``/proc``.

``os.wait4`` gives the largest single process; the memory target is for all processes
together (the build, its forked site and Pagefind processes, Pagefind itself, booklet
workers). A thread samples every process of the measured session a few times a second and
keeps the peak of the sums: RSS (what ``ps`` shows; pages a fork shares with its parent are
counted in both) and PSS (each shared page divided among the processes sharing it: the
machine's real use).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

_PAGE = os.sysconf("SC_PAGE_SIZE")


def _session_of(stat: str) -> int:
    # fields after the command (in parentheses, which may contain spaces)
    return int(stat[stat.rindex(")") + 2 :].split()[3])


def _pss_kb(pid: str) -> int | None:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return None


def sample(session: int) -> tuple[float, float, int]:
    """(RSS MB, PSS MB, processes) of every process in ``session`` now."""
    rss = pss = 0.0
    count = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            if _session_of(stat) != session:
                continue
            resident = int(Path(f"/proc/{entry}/statm").read_text().split()[1])
        except (OSError, ValueError, IndexError):
            continue
        count += 1
        rss += resident * _PAGE / 2**20
        kb = _pss_kb(entry)
        pss += (kb / 1024) if kb is not None else resident * _PAGE / 2**20
    return rss, pss, count


class TreeSampler:
    """Samples the session led by ``pid`` (started with ``start_new_session``) until stopped."""

    def __init__(self, pid: int, interval: float = 0.5):
        self.session = pid
        self.interval = interval
        self.peak_rss = 0.0
        """Largest sum of RSS seen (MB)."""
        self.peak_pss = 0.0
        """Largest sum of PSS seen (MB)."""
        self.most = 0
        """Most processes seen at once."""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> TreeSampler:
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            rss, pss, count = sample(self.session)
            self.peak_rss = max(self.peak_rss, rss)
            self.peak_pss = max(self.peak_pss, pss)
            self.most = max(self.most, count)
            self._stop.wait(self.interval)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
