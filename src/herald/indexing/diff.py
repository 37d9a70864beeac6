"""Diff: what a sync must read again, what it may skip, and what is gone.

A file whose size and mtime match what was stored is not even opened; the others are read,
and those whose bytes still hash the same are only re-stamped (`Prepared.unchanged`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from herald.core.records import KnownSources
from herald.indexing.scan import OnDisk


@dataclass(slots=True)
class Plan:
    stale: list[str] = field(default_factory=list)
    """To read, in path order: path order decides which of two files keeps a contested slug."""
    rehash: list[str] = field(default_factory=list)
    """Stale files the store knows: their stored hash may spare the parse."""
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0


def plan(on_disk: OnDisk, known: KnownSources) -> Plan:
    """Set operations on the two mappings' items, not a Python step per file: a
    no-change sync of 100k files is mostly this comparison, and when nothing changed one
    dict comparison in C answers it."""
    if not known.retry and on_disk == known.stats:
        return Plan(unchanged=len(on_disk))
    changed = {path for path, _ in on_disk.items() - known.stats.items()}
    stale = sorted(changed.union(known.retry.intersection(on_disk)))
    return Plan(
        stale=stale,
        rehash=[path for path in stale if path in known.stats and path not in known.retry],
        removed=sorted(known.stats.keys() - on_disk.keys()),
        unchanged=len(on_disk) - len(stale),
    )
