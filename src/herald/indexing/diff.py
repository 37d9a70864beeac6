"""Diff: what a sync must read again, what it may skip, and what is gone.

A file whose size and mtime match what was stored is not even opened; the others are read,
and those whose bytes still hash the same are only re-stamped (`Prepared.unchanged`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from herald.core.records import SourceState
from herald.indexing.scan import OnDisk


@dataclass(slots=True)
class Plan:
    stale: list[str] = field(default_factory=list)
    """To read, in path order: path order decides which of two files keeps a contested slug."""
    rehash: list[str] = field(default_factory=list)
    """Stale files the store knows: their stored hash may spare the parse."""
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0


def plan(on_disk: OnDisk, known: dict[str, SourceState]) -> Plan:
    result = Plan()
    for relpath, stat in on_disk.items():
        state = known.get(relpath)
        if state is None or state.retry or (state.size, state.mtime_ns) != stat:
            result.stale.append(relpath)
            if state is not None and not state.retry:
                result.rehash.append(relpath)
        else:
            result.unchanged += 1
    result.stale.sort()
    result.removed = sorted(path for path in known if path not in on_disk)
    return result
