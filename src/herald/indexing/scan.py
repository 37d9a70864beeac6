"""Scan: which post files are in the content folder now, with their size and mtime.

The whole folder for a full sync; only the paths named for a targeted one (the watcher
knows which files changed, so one edit among 100k costs milliseconds, not a full walk).
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from herald.content.loader import SUFFIXES, walk

OnDisk = dict[str, tuple[int, int]]
"""Relative path → (size, mtime_ns)."""


def scan(root: Path, only: Collection[str] | None = None) -> OnDisk:
    if only is None:
        return walk(root)
    found: OnDisk = {}
    for relpath in only:
        path = root / relpath
        if path.suffix.lower() not in SUFFIXES:
            continue
        try:
            stat = path.stat()
        except OSError:
            continue  # deleted: absent from the result, so it is removed
        found[relpath] = (stat.st_size, stat.st_mtime_ns)
    return found
