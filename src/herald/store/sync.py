"""Bring the database in line with the content folder, doing as little work as possible.

A file whose size and mtime match what was stored is not even opened; one whose bytes hash
the same is not parsed; only new and really changed files are parsed, on every core when
there are many.  Parsed batches stream into the database while later ones are still being
parsed, a few statements per batch, all in one transaction: readers never see a half-synced
knowledge base and a crash leaves the previous state intact.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import aiosqlite

from herald.content.loader import SUFFIXES, walk
from herald.store.database import Database
from herald.store.links import link_key
from herald.store.prepare import Prepared, fts_columns, prepare_batch
from herald.store.workers import each, in_order

PARALLEL_THRESHOLD = 200
"""Below this many files to parse, a process pool costs more than it saves."""
BATCH_SIZE = 200

BULK_INDEXING_THRESHOLD = 1000
"""From this many files to parse, the search index is written in large merges, an empty
store is filled without the WAL (`Database.transaction(bulk_load=True)`), and cards'
excerpts are rendered after the sync instead of during it (`herald.store.excerpts`)."""
INDEX_FORMAT = "source-2"
"""How the index text is made (`herald.content.searchable`); a store indexed another way is
re-read once, so every post is searched alike."""
_FTS_BULK = {"hashsize": 16 * 1024 * 1024, "automerge": 16}
_FTS_DEFAULT = {"hashsize": 1024 * 1024, "automerge": 4}
"""FTS5's own defaults, which suit the small writes of everyday syncs."""

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
    only: set[str] | None = None,
    notify_on_update: bool = False,
) -> SyncReport:
    """Sync the whole folder, or with `only` just those relative paths (the watcher knows
    which files changed, so one edit among 100k costs milliseconds, not a full scan)."""
    started = time.perf_counter()
    report = SyncReport()
    connection = database.connection
    async with database.transaction():
        await _forget_if_settings_changed(connection, excerpt_chars)
    on_disk = await asyncio.to_thread(_scan, root, only)
    known = await _known_sources(connection, only)
    stale: list[str] = []
    for relpath, stat in on_disk.items():
        row = known.get(relpath)
        if row is None or row[2] or (row[0], row[1]) != stat:
            stale.append(relpath)
        else:
            report.unchanged += 1
    hashes = await _hashes(connection, [p for p in stale if p in known and not known[p][2]])
    jobs = [(relpath, hashes.get(relpath)) for relpath in stale]
    removed = sorted(path for path in known if path not in on_disk)
    del known
    jobs.sort()  # path order decides which of two files keeps a contested slug
    bulk = len(jobs) >= BULK_INDEXING_THRESHOLD

    async with database.transaction(bulk_load=bulk and not await _has_posts(connection)):
        await _remove(connection, removed, report)
        moment = int(time.time() if now is None else now)
        writer = _BatchWriter(connection, report, now=moment)
        if jobs:
            await writer.load_slug_owners({relpath for relpath, _ in jobs}, targeted=only)
        async with _bulk_indexing(connection, bulk):
            async for batch in _prepared(
                root, jobs, excerpt_chars, progress, workers, with_excerpts=not bulk
            ):
                await writer.write(batch)
        first_sync = await _mark_synced(connection)
        # A knowledge base loaded for the first time is published silently: subscribers hear
        # about posts that appear later, not about the whole archive at once.
        hook = None if first_sync else on_publish
        if hook is not None and notify_on_update and report.updated:
            edited = await _new_revisions(connection, report.updated)
            if edited:
                await hook(connection, edited)
        report.published = await publish_due(
            connection, now=moment, on_publish=hook, indexed=writer.indexed, new=writer.published
        )
    async with connection.execute(
        "SELECT path, error FROM sources WHERE error IS NOT NULL ORDER BY path"
    ) as cursor:
        report.failed = {row[0]: row[1] for row in await cursor.fetchall()}
    report.seconds = time.perf_counter() - started
    return report


async def publish_due(
    connection: aiosqlite.Connection,
    *,
    now: float | None = None,
    on_publish: PublishHook | None = None,
    indexed: set[int] | None = None,
    new: Sequence[tuple[int, int]] = (),
) -> list[int]:
    """Mark posts whose date has come as published and make them searchable.

    The caller owns the transaction.  `indexed` names posts the caller already indexed;
    `new` (date, id) names posts the caller inserted already published, which are announced
    with the others, in date order.
    """
    moment = int(time.time() if now is None else now)
    async with connection.execute(
        # The partial index holds only unpublished posts; left alone, SQLite prefers the
        # date index and walks every post (220 ms at 100k instead of 0.1 ms).
        "SELECT date, id FROM posts INDEXED BY posts_unpublished "
        "WHERE published_at IS NULL AND draft = 0 AND date <= ?",
        (moment,),
    ) as cursor:
        due = [(row[0], row[1]) async for row in cursor]
    if due:
        await connection.executemany(
            "UPDATE posts SET published_at = ? WHERE id = ?", [(moment, i) for _, i in due]
        )
        await _index(connection, [i for _, i in due if indexed is None or i not in indexed])
    ids = [post_id for _, post_id in sorted([*due, *new])]
    if ids and on_publish is not None:
        await on_publish(connection, ids)
    return ids


async def _new_revisions(connection: aiosqlite.Connection, paths: list[str]) -> list[int]:
    """Edited posts that readers already saw get a new revision, to be announced again."""
    edited: list[int] = []
    for chunk, marks in _in_chunks(paths):
        async with connection.execute(
            f"UPDATE posts SET revision = revision + 1 WHERE path IN ({marks}) "
            "AND published_at IS NOT NULL AND draft = 0 RETURNING id",
            chunk,
        ) as cursor:
            edited += [row[0] for row in await cursor.fetchall()]
    return edited


async def _index(connection: aiosqlite.Connection, ids: list[int]) -> None:
    """Put posts that became visible after their sync (scheduled ones) into the index."""
    for post_id in ids:
        async with connection.execute(
            "SELECT 1 FROM posts_fts WHERE rowid = ?", (post_id,)
        ) as cursor:
            if await cursor.fetchone() is not None:
                continue
        async with connection.execute(
            "SELECT title, tags, body FROM posts WHERE id = ?", (post_id,)
        ) as cursor:
            row = await cursor.fetchone()
        if row is not None:
            await connection.execute(
                "INSERT INTO posts_fts (rowid, title, tags, body) VALUES (?, ?, ?, ?)",
                (post_id, *fts_columns(row[0], json.loads(row[1]), row[2])),
            )


async def next_scheduled(connection: aiosqlite.Connection) -> int | None:
    """Unix time of the earliest post still waiting for its date, for the scheduler's timer."""
    async with connection.execute(
        "SELECT min(date) FROM posts INDEXED BY posts_unpublished "
        "WHERE published_at IS NULL AND draft = 0"
    ) as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row and row[0] is not None else None


async def _known_sources(
    connection: aiosqlite.Connection, only: set[str] | None
) -> dict[str, tuple[int, int, bool]]:
    """Stored (size, mtime_ns, failed-as-duplicate) per path: what decides re-parsing.

    Kept small on purpose (no hashes): at 100k files this dict is most of a sync's memory.
    """
    sql = (
        "SELECT path, size, mtime_ns, coalesce(substr(error, 1, 14) = 'duplicate slug', 0) "
        "FROM sources"
    )
    known: dict[str, tuple[int, int, bool]] = {}

    async def collect(cursor: aiosqlite.Cursor) -> None:
        while rows := await cursor.fetchmany(5000):
            for row in rows:
                known[row[0]] = (row[1], row[2], bool(row[3]))

    if only is None:
        async with connection.execute(sql) as cursor:
            await collect(cursor)
    else:
        paths = sorted(only)
        for chunk, marks in _in_chunks(paths):
            async with connection.execute(f"{sql} WHERE path IN ({marks})", chunk) as cursor:
                await collect(cursor)
    return known


async def _hashes(connection: aiosqlite.Connection, paths: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for chunk, marks in _in_chunks(paths):
        async with connection.execute(
            f"SELECT path, sha256 FROM sources WHERE path IN ({marks})", chunk
        ) as cursor:
            found.update({row[0]: row[1] for row in await cursor.fetchall()})
    return found


def _in_chunks(paths: list[str], size: int = 500) -> Iterator[tuple[list[str], str]]:
    """Paths in chunks under SQLite's parameter limit, each with its `?,?,…` list."""
    for start in range(0, len(paths), size):
        chunk = paths[start : start + size]
        yield chunk, ",".join("?" * len(chunk))


def _scan(root: Path, only: set[str] | None = None) -> dict[str, tuple[int, int]]:
    if only is None:
        return walk(root)
    found: dict[str, tuple[int, int]] = {}
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


async def _prepared(
    root: Path,
    jobs: list[tuple[str, str | None]],
    excerpt_chars: int,
    progress: ProgressCallback | None,
    workers: int | None,
    *,
    with_excerpts: bool = True,
) -> AsyncIterator[list[Prepared]]:
    """Parsed batches in job order, produced ahead by a bounded number of workers."""
    total = len(jobs)
    if progress:
        progress(0, total)
    batches = [jobs[i : i + BATCH_SIZE] for i in range(0, total, BATCH_SIZE)]
    processes = workers if workers is not None else (os.cpu_count() or 1)
    prepare = partial(prepare_batch, root, excerpt_chars=excerpt_chars, with_excerpts=with_excerpts)
    done = 0
    async for prepared in in_order(
        prepare, each(batches), processes=1 if total < PARALLEL_THRESHOLD else processes
    ):
        done += len(prepared)
        if progress:
            progress(done, total)
        yield prepared


@asynccontextmanager
async def _bulk_indexing(connection: aiosqlite.Connection, bulk: bool) -> AsyncIterator[None]:
    """Index many posts with fewer, larger FTS5 merges, then restore the defaults.

    FTS5 flushes its pending terms every 1 MB (`hashsize`, a long-standing key of its
    config table, undocumented) and merges a level's segments as soon as 4 pile up
    (`automerge`), so a cold sync rewrites the index level after level.  A 16 MB buffer
    and merges of 16 segments index 100k posts' text with 15–30 % less CPU (0.16–0.18 →
    0.11–0.15 ms a post in three paired runs), into an index of the same size that
    answers as fast.  The settings are written in the sync's transaction and put back
    before it ends, whatever happens.
    """
    if not bulk:
        yield
        return
    await _configure_index(connection, _FTS_BULK)
    try:
        yield
    finally:
        await _configure_index(connection, _FTS_DEFAULT)


async def _configure_index(connection: aiosqlite.Connection, settings: dict[str, int]) -> None:
    await connection.executemany(
        "INSERT INTO posts_fts (posts_fts, rank) VALUES (?, ?)", settings.items()
    )


async def _has_posts(connection: aiosqlite.Connection) -> bool:
    async with connection.execute("SELECT EXISTS (SELECT 1 FROM posts)") as cursor:
        row = await cursor.fetchone()
    return bool(row and row[0])


async def _mark_synced(connection: aiosqlite.Connection) -> bool:
    """Record that a sync has run; True if this is the store's very first one."""
    async with connection.execute(
        "INSERT OR IGNORE INTO meta (key, value) VALUES ('first_sync', datetime('now'))"
    ) as cursor:
        return cursor.rowcount == 1


async def _forget_if_settings_changed(connection: aiosqlite.Connection, excerpt_chars: int) -> None:
    """Stored cards are cut to `excerpt_chars`, and the index holds text made one way.

    A new length only needs the cards rendered again (left to `herald.store.excerpts`); a
    new index format needs every file read again.
    """
    wanted = {"excerpt_chars": excerpt_chars, "index": INDEX_FORMAT}
    async with connection.execute("SELECT value FROM meta WHERE key = 'render'") as cursor:
        row = await cursor.fetchone()
    stored = json.loads(row[0]) if row is not None else None
    if stored == wanted:
        return
    if not isinstance(stored, dict) or stored.get("index") != INDEX_FORMAT:
        await connection.execute("UPDATE sources SET sha256 = '', mtime_ns = -1")
    else:
        await connection.execute("UPDATE posts SET excerpt = NULL")
    await connection.execute(
        "INSERT INTO meta (key, value) VALUES ('render', ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (json.dumps(wanted),),
    )


async def _remove(connection: aiosqlite.Connection, paths: list[str], report: SyncReport) -> None:
    if not paths:
        return
    ids = await _ids_by_path(connection, paths)
    await _delete_posts(connection, list(ids.values()))
    await connection.executemany("DELETE FROM sources WHERE path = ?", [(p,) for p in paths])
    report.removed.extend(paths)


async def _ids_by_path(connection: aiosqlite.Connection, paths: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk, marks in _in_chunks(paths):
        async with connection.execute(
            f"SELECT path, id FROM posts WHERE path IN ({marks})", chunk
        ) as cursor:
            found.update({row[0]: row[1] for row in await cursor.fetchall()})
    return found


async def _delete_posts(connection: aiosqlite.Connection, ids: list[int]) -> None:
    if ids:
        rows = [(post_id,) for post_id in ids]
        await connection.executemany("DELETE FROM posts_fts WHERE rowid = ?", rows)
        await connection.executemany("DELETE FROM post_tags WHERE post_id = ?", rows)
        await connection.executemany("DELETE FROM posts WHERE id = ?", rows)


class _BatchWriter:
    """Writes parsed batches with a few `executemany` calls each, not several per post."""

    def __init__(self, connection: aiosqlite.Connection, report: SyncReport, *, now: int) -> None:
        self.db = connection
        self.report = report
        self.now = now
        self.indexed: set[int] = set()
        """Posts this sync put in the search index (the visible ones)."""
        self.published: list[tuple[int, int]] = []
        """(date, id) of new posts inserted already published: visible from the start, they
        are written once, not inserted and then updated (a cold sync of 100k posts would
        otherwise rewrite every row, body and all, at its end)."""
        self.slug_owner: dict[str, str] = {}
        self.targeted = False
        self.next_id = 1

    async def load_slug_owners(self, changing: set[str], *, targeted: set[str] | None) -> None:
        """Who owns each slug, so a second file claiming one is reported, not served."""
        self.targeted = targeted is not None
        if not self.targeted:
            async with self.db.execute("SELECT slug, path FROM posts") as cursor:
                rows = await cursor.fetchall()
            self.slug_owner = {row[0]: row[1] for row in rows if row[1] not in changing}
        async with self.db.execute(
            "SELECT max(coalesce((SELECT max(id) FROM posts), 0), "
            "coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'max_post_id'), 0))"
        ) as cursor:
            row = await cursor.fetchone()
        self.next_id = (
            int(row[0] if row else 0) + 1
        )  # ids are never reused: old buttons stay wrong-proof

    async def write(self, batch: list[Prepared]) -> None:
        report = self.report
        unchanged = [item for item in batch if item.unchanged]
        changed = [item for item in batch if not item.unchanged]
        report.unchanged += len(unchanged)
        report.parsed += len(changed)
        await self.db.executemany(
            "UPDATE sources SET size = ?, mtime_ns = ? WHERE path = ?",
            [(item.size, item.mtime_ns, item.path) for item in unchanged],
        )
        if not changed:
            return
        existing = await _ids_by_path(self.db, [item.path for item in changed])
        errors: dict[str, str | None] = {}
        serve: list[tuple[Prepared, int, bool]] = []
        for item in changed:
            error = item.error
            if error is None and item.post is not None:
                owner = await self._owner(item.post.slug)
                if owner is not None and owner != item.path:
                    error = f"{_DUPLICATE} '{item.post.slug}' (already used by {owner})"
            errors[item.path] = error
            if error is None and item.post is not None:
                self.slug_owner[item.post.slug] = item.path
                post_id = existing.get(item.path)
                serve.append((item, post_id or self._new_id(), post_id is not None))
            elif item.path in existing:  # it used to load; now it fails: stop serving it
                report.removed.append(item.path)
        stale = [existing[path] for path, error in errors.items() if error and path in existing]
        await _delete_posts(self.db, stale)
        await self._upsert(serve)
        await self.db.executemany(
            "INSERT INTO sources (path, size, mtime_ns, sha256, error) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (path) DO UPDATE SET size = excluded.size, "
            "mtime_ns = excluded.mtime_ns, sha256 = excluded.sha256, error = excluded.error",
            [(i.path, i.size, i.mtime_ns, i.sha256, errors[i.path]) for i in changed],
        )
        await self.db.execute(
            "INSERT INTO meta (key, value) VALUES ('max_post_id', ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (str(self.next_id - 1),),
        )

    async def _owner(self, slug: str) -> str | None:
        if slug not in self.slug_owner and self.targeted:  # one indexed lookup per slug
            async with self.db.execute("SELECT path FROM posts WHERE slug = ?", (slug,)) as cursor:
                row = await cursor.fetchone()
            if row is not None:
                self.slug_owner[slug] = row[0]
        return self.slug_owner.get(slug)

    def _new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    async def _upsert(self, serve: list[tuple[Prepared, int, bool]]) -> None:
        if not serve:
            return
        updated_ids = [(post_id,) for _, post_id, existed in serve if existed]
        await self.db.executemany("DELETE FROM post_tags WHERE post_id = ?", updated_ids)
        await self.db.executemany("DELETE FROM posts_fts WHERE rowid = ?", updated_ids)
        rows = []
        tag_rows = []
        visible = []
        for item, post_id, existed in serve:
            post = item.post
            assert post is not None
            tag_rows += [(post_id, tag, tag.casefold()) for tag in post.tags]
            date = int(post.date.timestamp())  # as stored, and as readers' queries compare it
            published_at = None
            if not post.draft and date <= self.now:
                visible.append((post_id, *item.fts))
                if not existed:
                    published_at = self.now
                    self.published.append((date, post_id))
            rows.append(
                (
                    post_id,
                    item.path,
                    post.slug,
                    link_key(post.slug),
                    post.title,
                    date,
                    int(post.updated.timestamp()) if post.updated else None,
                    json.dumps(list(post.tags), ensure_ascii=False),
                    post.summary,
                    item.excerpt,
                    post.lang,
                    int(post.draft),
                    post.body,
                    published_at,
                )
            )
            (self.report.updated if existed else self.report.added).append(item.path)
        await self.db.executemany(
            "INSERT INTO posts (id, path, slug, link_key, title, date, updated, tags, summary, "
            "excerpt, lang, draft, body, published_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET slug = excluded.slug, link_key = excluded.link_key, "
            "title = excluded.title, date = excluded.date, updated = excluded.updated, "
            "tags = excluded.tags, summary = excluded.summary, excerpt = excluded.excerpt, "
            "lang = excluded.lang, draft = excluded.draft, body = excluded.body",
            rows,
        )
        self.indexed.update(row[0] for row in visible)
        await self.db.executemany(
            "INSERT OR IGNORE INTO post_tags (post_id, tag, tag_key) VALUES (?, ?, ?)", tag_rows
        )
        await self.db.executemany(
            "INSERT INTO posts_fts (rowid, title, tags, body) VALUES (?, ?, ?, ?)",
            visible,
        )
