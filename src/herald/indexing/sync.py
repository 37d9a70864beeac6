"""Bring the store in line with the content folder, doing as little work as possible.

Scan the folder (`scan`), compare with what the store remembers (`diff`), read and parse
only new and really changed files, on every core when there are many (`prepare`,
`workers`), and hand the parsed batches to one write session of the store while later ones
are still being parsed.  The session applies everything together: readers never see a
half-synced knowledge base and a crash leaves the previous state intact.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import AsyncIterator, Callable, Collection
from functools import partial
from pathlib import Path

from herald.content.sites import Site, SiteOptions, find_site
from herald.core.ports import ContentIndex
from herald.core.records import Prepared, SyncReport
from herald.indexing.diff import plan
from herald.indexing.prepare import prepare_batch
from herald.indexing.scan import scan
from herald.indexing.workers import each, in_order
from herald.limits import MAX_REMOVAL_SHARE

log = logging.getLogger("herald.sync")

PARALLEL_THRESHOLD = 200
"""Below this many files to parse, a process pool costs more than it saves."""
BATCH_SIZE = 200
BULK_INDEXING_THRESHOLD = 1000
"""From this many files to parse, the store is asked for a bulk load (larger index merges,
an empty SQLite store filled without its WAL).  Cards' excerpts are made in the same pass
whatever the size (the compiled parser made a second pass cost more than it saved)."""
INDEX_FORMAT = "source-3+tokens-2"
"""How the index text is made (`herald.content.searchable`); a store indexed another way is
read again once, so every post is searched alike."""

ProgressCallback = Callable[[int, int], None]


async def sync(
    index: ContentIndex,
    root: Path,
    *,
    excerpt_chars: int,
    progress: ProgressCallback | None = None,
    now: float | None = None,
    workers: int | None = None,
    only: Collection[str] | None = None,
    notify_on_update: bool = False,
    allow_mass_removal: bool = False,
    max_removal_share: float = MAX_REMOVAL_SHARE,
    site: SiteOptions | None = None,
) -> SyncReport:
    """Sync the whole folder, or with `only` just those relative paths.

    Files that vanished are removed unless too many vanished at once
    (`holds_back_removals`): then nothing is removed, their paths are in
    `report.held_back` and one warning says why, and everything else is applied.
    `allow_mass_removal` applies them all the same (once the folder has settled).
    The folder's site profile is read once a sync (`herald.content.sites`, with Herald's
    own `site` settings winning); a store read under other site settings reads every
    file again."""
    started = time.perf_counter()
    report = SyncReport()
    profile = await asyncio.to_thread(find_site, root, site)
    index_format = f"{INDEX_FORMAT}+{profile.fingerprint()}"
    await index.use_settings(excerpt_chars=excerpt_chars, index_format=index_format)
    on_disk = await asyncio.to_thread(scan, root, only, profile)
    todo = plan(on_disk, await index.sources(only))
    del on_disk
    report.unchanged = todo.unchanged
    hashes = await index.hashes(todo.rehash)
    jobs = [(relpath, hashes.get(relpath)) for relpath in todo.stale]
    bulk = len(jobs) >= BULK_INDEXING_THRESHOLD
    moment = int(time.time() if now is None else now)
    session = index.session(
        report, now=moment, reading=todo.stale, bulk=bulk, targeted=only is not None
    )
    async with session as writes:
        await writes.release(todo.removed)
        async for batch in prepared(root, jobs, excerpt_chars, progress, workers, site=profile):
            for item in batch:
                if item.warning is not None:
                    log.warning("%s: %s", item.path, item.warning)
            await writes.write(batch)
        missing, stored = await writes.unclaimed()
        if not allow_mass_removal and holds_back_removals(len(missing), stored, max_removal_share):
            log.warning(
                "%d of %d posts are missing at once; waiting for the folder to settle "
                "before removing them",
                len(missing),
                stored,
            )
            report.held_back = missing
        else:
            await writes.remove(missing)
        report.published = await writes.publish(notify_on_update=notify_on_update)
    report.failed = await index.failures()
    report.warnings = await index.warnings()
    report.seconds = time.perf_counter() - started
    return report


def holds_back_removals(missing: int, stored: int, share: float) -> bool:
    """Whether removing `missing` of `stored` posts at once looks like a folder in flux
    (a checkout, a remount, an rsync) rather than editing: all of them, or more than
    `share` of them.  One post removed on its own is editing, whatever the share: one of
    two posts, or the only one."""
    return missing > 1 and (missing >= stored or missing > share * stored)


async def prepared(
    root: Path,
    jobs: list[tuple[str, str | None]],
    excerpt_chars: int,
    progress: ProgressCallback | None,
    workers: int | None,
    *,
    with_excerpts: bool = True,
    site: Site | None = None,
) -> AsyncIterator[list[Prepared]]:
    """Parsed batches in job order, produced ahead by a bounded number of workers."""
    total = len(jobs)
    if progress:
        progress(0, total)
    batches = [jobs[i : i + BATCH_SIZE] for i in range(0, total, BATCH_SIZE)]
    processes = workers if workers is not None else (os.cpu_count() or 1)
    # Absolute: a long-lived worker need not share this process's working folder.
    absolute = await asyncio.to_thread(root.absolute)
    prepare = partial(
        prepare_batch,
        absolute,
        excerpt_chars=excerpt_chars,
        with_excerpts=with_excerpts,
        site=site,
    )
    done = 0
    async for batch in in_order(
        prepare, each(batches), processes=1 if total < PARALLEL_THRESHOLD else processes
    ):
        done += len(batch)
        if progress:
            progress(done, total)
        yield batch
