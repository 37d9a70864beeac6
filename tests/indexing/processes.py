"""Looking at processes through Linux's `/proc`: who a process's children are, and whether
a process has ended (a zombie has: it only waits for its parent to collect its status)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable


def _stat(pid: int) -> list[str] | None:
    """The fields of `/proc/<pid>/stat` after the command name, or None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            text = stat.read()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return text.rsplit(")", 1)[1].split()


def gone(pid: int) -> bool:
    fields = _stat(pid)
    return fields is None or fields[0] in ("Z", "X")


def children(pid: int) -> set[int]:
    """Live processes whose parent is `pid`."""
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _stat(int(entry))
            if fields is not None and int(fields[1]) == pid and not gone(int(entry)):
                found.add(int(entry))
    return found


def cpu_ticks(pid: int) -> int:
    """User plus system time the process has used, in clock ticks (0 once it is gone)."""
    fields = _stat(pid)
    return 0 if fields is None else int(fields[11]) + int(fields[12])


def wait_until(condition: Callable[[], bool], *, what: str, seconds: float = 60) -> None:
    """Poll `condition` until it holds; fail after `seconds` (a deadline, not a margin)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what} after {seconds:.0f} s")
        time.sleep(0.05)
