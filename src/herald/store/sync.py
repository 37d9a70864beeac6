"""Bring the database in line with the content folder, doing as little work as possible.

A file whose size and mtime match what was stored is not even opened; one whose bytes hash
the same is not parsed; only new and really changed files are parsed, on every core when
there are many.  Everything a sync writes lands in one transaction, so readers never see a
half-synced knowledge base and a crash leaves the previous state intact.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import aiosqlite

from herald.content.loader import discover
from herald.store.cjk import index_text
from herald.store.database import Database
from herald.store.links import link_key
from herald.store.prepare import Prepared, prepare_batch

PARALLEL_THRESHOLD = 200
"""Below this many files to parse, a process pool costs more than it saves."""
BATCH_SIZE = 100

ProgressCallback = Callable[[int, int], None]
PublishHook = Callable[[aiosqlite.Connection, Sequence[int]], Awaitable[None]]
"""Runs inside the sync transaction with the ids of posts that just became visible."""

_DUPLICATE = "duplicate slug"


@dataclass(slots=True)
class SyncReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    """Every file that currently cannot be served, with its reason (not only new failures)."""
    unchanged: int = 0
    parsed: int = 0
    published: list[int] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


async def sync(
    database: Database,
    root: Path,
    *,
    excerpt_chars: int,
    progress: ProgressCallback | None = None,
    on_publish: PublishHook | None = None,
    now: float | None = None,
    workers: int | None = None,
) -> SyncReport:
    started = time.perf_counter()
    report = SyncReport()
    connection = database.connection
    async with database.transaction():
        await _forget_if_settings_changed(connection, excerpt_chars)
    on_disk = await asyncio.to_thread(_scan, root)
    known = {
        row["path"]: row
        async for row in await connection.execute(
            "SELECT path, size, mtime_ns, sha256, error FROM sources"
        )
    }
    jobs: list[tuple[str, str | None]] = []
    for relpath, (size, mtime_ns) in on_disk.items():
        row = known.get(relpath)
        retry_duplicate = row is not None and (row["error"] or "").startswith(_DUPLICATE)
        if row is None or retry_duplicate or (row["size"], row["mtime_ns"]) != (size, mtime_ns):
            jobs.append((relpath, None if row is None or retry_duplicate else row["sha256"]))
        else:
            report.unchanged += 1
    prepared = await _prepare_all(root, jobs, excerpt_chars, progress, workers)
    report.parsed = sum(1 for item in prepared if not item.unchanged)
    removed = sorted(set(known) - set(on_disk))

    async with database.transaction():
        await _remove(connection, removed, report)
        await _apply(connection, prepared, report)
        # A knowledge base loaded for the first time is published silently: subscribers hear
        # about posts that appear later, not about the whole archive at once.
        first_sync = await _mark_synced(connection)
        hook = None if first_sync else on_publish
        report.published = await publish_due(connection, now=now, on_publish=hook)
    async with connection.execute(
        "SELECT path, error FROM sources WHERE error IS NOT NULL ORDER BY path"
    ) as cursor:
        report.failed = {row["path"]: row["error"] async for row in cursor}
    report.seconds = time.perf_counter() - started
    return report


async def publish_due(
    connection: aiosqlite.Connection,
    *,
    now: float | None = None,
    on_publish: PublishHook | None = None,
) -> list[int]:
    """Mark posts whose date has come as published; the caller owns the transaction."""
    moment = int(time.time() if now is None else now)
    async with connection.execute(
        "SELECT id FROM posts WHERE published_at IS NULL AND draft = 0 AND date <= ? "
        "ORDER BY date, id",
        (moment,),
    ) as cursor:
        ids = [row[0] async for row in cursor]
    if ids:
        await connection.executemany(
            "UPDATE posts SET published_at = ? WHERE id = ?", [(moment, i) for i in ids]
        )
        if on_publish is not None:
            await on_publish(connection, ids)
    return ids


async def next_scheduled(connection: aiosqlite.Connection) -> int | None:
    """Unix time of the earliest post still waiting for its date, for the scheduler's timer."""
    async with connection.execute(
        "SELECT min(date) FROM posts WHERE published_at IS NULL AND draft = 0"
    ) as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row and row[0] is not None else None


def _scan(root: Path) -> dict[str, tuple[int, int]]:
    found: dict[str, tuple[int, int]] = {}
    for path in discover(root):
        try:
            stat = path.stat()
        except OSError:
            continue
        found[path.relative_to(root).as_posix()] = (stat.st_size, stat.st_mtime_ns)
    return found


async def _prepare_all(
    root: Path,
    jobs: list[tuple[str, str | None]],
    excerpt_chars: int,
    progress: ProgressCallback | None,
    workers: int | None,
) -> list[Prepared]:
    total = len(jobs)
    if progress:
        progress(0, total)
    batches = [jobs[i : i + BATCH_SIZE] for i in range(0, total, BATCH_SIZE)]
    results: list[Prepared] = []
    processes = workers if workers is not None else (os.cpu_count() or 1)
    if total < PARALLEL_THRESHOLD or processes <= 1:
        for batch in batches:
            results.extend(await asyncio.to_thread(prepare_batch, root, batch, excerpt_chars))
            if progress:
                progress(len(results), total)
        return results
    loop = asyncio.get_running_loop()
    with ProcessPoolExecutor(max_workers=processes) as pool:
        futures = [
            loop.run_in_executor(pool, prepare_batch, root, batch, excerpt_chars)
            for batch in batches
        ]
        for future in futures:  # in order, so the result order is deterministic
            results.extend(await future)
            if progress:
                progress(len(results), total)
    return results


async def _mark_synced(connection: aiosqlite.Connection) -> bool:
    """Record that a sync has run; True if this is the store's very first one."""
    async with connection.execute(
        "INSERT OR IGNORE INTO meta (key, value) VALUES ('first_sync', datetime('now'))"
    ) as cursor:
        return cursor.rowcount == 1


async def _forget_if_settings_changed(connection: aiosqlite.Connection, excerpt_chars: int) -> None:
    """Excerpts are cut at sync time; a new length means every file must be parsed again."""
    wanted = json.dumps({"excerpt_chars": excerpt_chars})
    async with connection.execute("SELECT value FROM meta WHERE key = 'render'") as cursor:
        row = await cursor.fetchone()
    if row is None or row[0] != wanted:
        await connection.execute("UPDATE sources SET sha256 = '', mtime_ns = -1")
        await connection.execute(
            "INSERT INTO meta (key, value) VALUES ('render', ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (wanted,),
        )


async def _remove(
    connection: aiosqlite.Connection, paths: Iterable[str], report: SyncReport
) -> None:
    for relpath in paths:
        await _delete_post(connection, relpath)
        await connection.execute("DELETE FROM sources WHERE path = ?", (relpath,))
        report.removed.append(relpath)


async def _delete_post(connection: aiosqlite.Connection, relpath: str) -> bool:
    async with connection.execute("SELECT id FROM posts WHERE path = ?", (relpath,)) as cursor:
        row = await cursor.fetchone()
    if row is None:
        return False
    await connection.execute("DELETE FROM posts_fts WHERE rowid = ?", (row[0],))
    await connection.execute("DELETE FROM posts WHERE id = ?", (row[0],))
    return True


async def _apply(
    connection: aiosqlite.Connection,
    prepared: list[Prepared],
    report: SyncReport,
) -> None:
    changing = {item.path for item in prepared if not item.unchanged}
    slug_owner: dict[str, str] = {}
    async with connection.execute("SELECT slug, path FROM posts") as cursor:
        async for row in cursor:
            if row["path"] not in changing:
                slug_owner[row["slug"]] = row["path"]
    for item in sorted(prepared, key=lambda p: p.path):
        if item.unchanged:
            await connection.execute(
                "UPDATE sources SET size = ?, mtime_ns = ? WHERE path = ?",
                (item.size, item.mtime_ns, item.path),
            )
            report.unchanged += 1
            continue
        error = item.error
        if error is None and item.post is not None:
            owner = slug_owner.get(item.post.slug)
            if owner is not None and owner != item.path:
                error = f"{_DUPLICATE} '{item.post.slug}' (already used by {owner})"
        was_served = await _delete_post_if_failed(connection, item, error)
        if error is None and item.post is not None:
            slug_owner[item.post.slug] = item.path
            existed = await _upsert_post(connection, item)
            (report.updated if existed else report.added).append(item.path)
        elif was_served:
            report.removed.append(item.path)
        await connection.execute(
            "INSERT INTO sources (path, size, mtime_ns, sha256, error) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (path) DO UPDATE SET size = excluded.size, "
            "mtime_ns = excluded.mtime_ns, sha256 = excluded.sha256, error = excluded.error",
            (item.path, item.size, item.mtime_ns, item.sha256, error),
        )


async def _delete_post_if_failed(
    connection: aiosqlite.Connection, item: Prepared, error: str | None
) -> bool:
    """A file that used to load but now fails stops being served."""
    if error is None:
        return False
    return await _delete_post(connection, item.path)


async def _upsert_post(connection: aiosqlite.Connection, item: Prepared) -> bool:
    post = item.post
    assert post is not None
    async with connection.execute("SELECT id FROM posts WHERE path = ?", (item.path,)) as cursor:
        row = await cursor.fetchone()
    values = (
        post.slug,
        link_key(post.slug),
        post.title,
        int(post.date.timestamp()),
        int(post.updated.timestamp()) if post.updated else None,
        json.dumps(list(post.tags), ensure_ascii=False),
        post.summary,
        item.excerpt,
        post.lang,
        int(post.draft),
        post.body,
    )
    if row is None:
        async with connection.execute(
            "INSERT INTO posts (slug, link_key, title, date, updated, tags, summary, excerpt, "
            "lang, draft, body, path) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (*values, item.path),
        ) as cursor:
            post_id = cursor.lastrowid
        existed = False
    else:
        post_id = row[0]
        await connection.execute(
            "UPDATE posts SET slug = ?, link_key = ?, title = ?, date = ?, updated = ?, tags = ?, "
            "summary = ?, excerpt = ?, lang = ?, draft = ?, body = ? WHERE id = ?",
            (*values, post_id),
        )
        await connection.execute("DELETE FROM post_tags WHERE post_id = ?", (post_id,))
        await connection.execute("DELETE FROM posts_fts WHERE rowid = ?", (post_id,))
        existed = True
    await connection.executemany(
        "INSERT OR IGNORE INTO post_tags (post_id, tag, tag_key) VALUES (?, ?, ?)",
        [(post_id, tag, tag.casefold()) for tag in post.tags],
    )
    await connection.execute(
        "INSERT INTO posts_fts (rowid, title, tags, body) VALUES (?, ?, ?, ?)",
        (
            post_id,
            index_text(post.title),
            index_text(" ".join(post.tags)),
            index_text(item.search_body),
        ),
    )
    return existed
