"""Scan: which post files are in the content folder now, with their size and mtime.

The whole folder for a full sync; only the paths named for a targeted one (the watcher
knows which files changed, so one edit among 100k costs milliseconds, not a full walk).
Both list what a full walk lists (`herald.content.loader.walk`): entries with a post's
name, links and FIFOs included so that reading them reports why they are refused, none
reached through a linked folder.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Collection
from pathlib import Path

from herald.content.loader import SUFFIXES, walk
from herald.content.source import discovered_stat, real_root

OnDisk = dict[str, tuple[int, int]]
"""Relative path → (size, mtime_ns)."""


def scan(root: Path, only: Collection[str] | None = None) -> OnDisk:
    if only is None:
        return walk(root)
    inside = real_root(root)
    found: OnDisk = {}
    for relpath in only:
        path = root / relpath
        if path.suffix.lower() not in SUFFIXES or any(
            part.startswith(".") for part in Path(relpath).parts
        ):
            continue
        try:
            seen = os.lstat(path)
            if stat.S_ISDIR(seen.st_mode):
                continue
            if os.path.realpath(path.parent) != os.path.join(inside, *Path(relpath).parts[:-1]):
                continue  # reached through a linked folder, which a walk does not enter
            found[relpath] = discovered_stat(str(path), inside, is_link=stat.S_ISLNK(seen.st_mode))
        except OSError:
            continue  # deleted: absent from the result, so it is removed
    return found
