"""Scan: which post files are in the content folder now, with their size and mtime.

The whole folder for a full sync; only the paths named for a targeted one (the watcher
knows which files changed, so one edit among 100k costs milliseconds, not a full walk).
Both list what a full walk lists (`herald.content.loader.walk`): entries with a post's
name, links and FIFOs included so that reading them reports why they are refused, none
reached through a linked folder, and none in what the site itself does not read
(`herald.content.sites.not_read`: a Jekyll site's `vendor/` and `exclude:`, whatever is
outside a Hugo site's `content/`), which is not even walked.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Collection
from functools import partial
from pathlib import Path, PurePosixPath

from herald.content.loader import SUFFIXES, walk
from herald.content.sites import Site, not_read
from herald.content.source import discovered_stat, real_root

OnDisk = dict[str, tuple[int, int]]
"""Relative path → (size, mtime_ns)."""


def scan(
    root: Path,
    only: Collection[str] | None = None,
    site: Site | None = None,
    skipped: dict[str, str] | None = None,
) -> OnDisk:
    """`skipped` collects what the site does not read, with the reason (a full scan)."""
    rules = None if site is None or site.kind == "plain" else partial(not_read, site)
    if only is None:
        return walk(root, rules, skipped)
    inside = real_root(root)
    found: OnDisk = {}
    for relpath in only:
        path = root / relpath
        parts = PurePosixPath(relpath).parts
        if path.suffix.lower() not in SUFFIXES or any(part.startswith(".") for part in parts):
            continue
        if rules is not None and _refused(rules, parts):
            continue
        try:
            seen = os.lstat(path)
            if stat.S_ISDIR(seen.st_mode):
                continue
            if os.path.realpath(path.parent) != os.path.join(inside, *parts[:-1]):
                continue  # reached through a linked folder, which a walk does not enter
            found[relpath] = discovered_stat(str(path), inside, is_link=stat.S_ISLNK(seen.st_mode))
        except OSError:
            continue  # deleted: absent from the result, so it is removed
    return found


def _refused(rules: partial[str | None], parts: tuple[str, ...]) -> bool:
    """Whether a walk would leave this path out: a folder on the way, or the file."""
    for depth in range(1, len(parts)):
        if rules("/".join(parts[:depth]), True) is not None:
            return True
    return rules("/".join(parts), False) is not None
