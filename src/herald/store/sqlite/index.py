"""`herald.core.ports.ContentIndex` on SQLite: the write side of a sync, the scheduler's
publishing and the deferred excerpts' storage.

A sync is one transaction (`SqliteContentIndex.session`), so readers never see a
half-synced knowledge base and a crash leaves the previous state intact.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Collection, Iterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

import aiosqlite

from herald.core.records import KnownSources, PendingCard, Prepared, SyncReport
from herald.store.sqlite.database import Database
from herald.store.sqlite.publish import (
    in_chunks,
    mark_synced,
    new_revisions,
    next_scheduled,
    plan_deliveries,
    publish_due,
)
from herald.store.sqlite.write import DUPLICATE, REMOVED, BatchWriter, bury, rows_by_path

_FTS_BULK = {"hashsize": 16 * 1024 * 1024, "automerge": 16}
_FTS_DEFAULT = {"hashsize": 1024 * 1024, "automerge": 4}
"""FTS5's own defaults, which suit the small writes of everyday syncs."""


class SqliteContentIndex:
    def __init__(self, database: Database) -> None:
        self._database = database
        self._db = database.connection

    async def use_settings(self, *, excerpt_chars: int, index_format: str) -> None:
        wanted = {"excerpt_chars": excerpt_chars, "index": index_format}
        async with self._db.execute("SELECT value FROM meta WHERE key = 'render'") as cursor:
            row = await cursor.fetchone()
        stored = json.loads(row[0]) if row is not None else None
        if stored == wanted:
            return
        async with self._database.transaction() as db:
            if not isinstance(stored, dict) or stored.get("index") != index_format:
                await db.execute("UPDATE sources SET sha256 = '', mtime_ns = -1")
            else:
                await db.execute(f"UPDATE posts SET excerpt = NULL WHERE draft < {REMOVED}")
            await db.execute(
                "INSERT INTO meta (key, value) VALUES ('render', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (json.dumps(wanted),),
            )

    async def sources(self, only: Collection[str] | None = None) -> KnownSources:
        """Kept small on purpose (no hashes): at 100k files this is most of a sync's memory."""
        sql = (
            "SELECT path, size, mtime_ns, "
            f"coalesce(substr(error, 1, {len(DUPLICATE)}) = '{DUPLICATE}', 0) FROM sources"
        )
        rows: list[Sequence[Any]] = []
        for where, params in [("", ())] if only is None else _path_chunks(only):
            async with self._db.execute(sql + where, params) as cursor:
                cursor.row_factory = None  # plain tuples: 100k `Row`s cost more than the query
                rows += await cursor.fetchall()
        return KnownSources.from_rows(rows)

    async def hashes(self, paths: Sequence[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for chunk, marks in in_chunks(paths):
            async with self._db.execute(
                f"SELECT path, sha256 FROM sources WHERE path IN ({marks})", chunk
            ) as cursor:
                found.update({row[0]: row[1] for row in await cursor.fetchall()})
        return found

    @asynccontextmanager
    async def session(
        self,
        report: SyncReport,
        *,
        now: int,
        reading: Collection[str],
        bulk: bool,
        targeted: bool,
    ) -> AsyncIterator[_Session]:
        empty = not await self._has_posts()
        async with self._database.transaction(bulk_load=bulk and empty) as db:
            writer = BatchWriter(db, report, now=now, reading=reading, targeted=targeted)
            async with _bulk_indexing(db, bulk):
                yield _Session(db, writer, report)

    async def failures(self) -> dict[str, str]:
        async with self._db.execute(
            "SELECT path, error FROM sources WHERE error IS NOT NULL ORDER BY path"
        ) as cursor:
            return {row[0]: row[1] for row in await cursor.fetchall()}

    async def warnings(self) -> dict[str, str]:
        async with self._db.execute(
            "SELECT path, warning FROM sources INDEXED BY sources_warned "
            "WHERE warning IS NOT NULL ORDER BY path"
        ) as cursor:
            return {row[0]: row[1] for row in await cursor.fetchall()}

    async def publish_due(self, *, now: float | None = None) -> list[int]:
        async with self._database.transaction() as db:
            return await publish_due(db, now=now)

    async def next_scheduled(self) -> int | None:
        return await next_scheduled(self._db)

    async def cards_to_render(self) -> list[int]:
        async with self._db.execute(
            "SELECT id FROM posts INDEXED BY posts_without_excerpt WHERE excerpt IS NULL "
            "ORDER BY date DESC, id DESC"
        ) as cursor:
            return [row[0] for row in await cursor.fetchall()]

    async def pending_cards(self, post_ids: Sequence[int]) -> list[PendingCard]:
        async with self._db.execute(
            "SELECT p.id, s.sha256, p.summary, p.body, p.lang FROM posts p "
            "JOIN sources s ON s.path = p.path "
            f"WHERE p.id IN ({','.join('?' * len(post_ids))})",
            list(post_ids),
        ) as cursor:
            return [PendingCard(*row) for row in await cursor.fetchall()]

    async def store_excerpts(self, excerpts: Sequence[tuple[int, str, str]]) -> int:
        # These change no post's visibility or order: the feed caches stay valid.
        async with self._database.transaction(reorders=False) as db:
            before = db.total_changes
            await db.executemany(
                # Only for the source it was made from: a sync may have changed the post.
                "UPDATE posts SET excerpt = ? WHERE id = ? AND excerpt IS NULL "
                "AND (SELECT sha256 FROM sources WHERE path = posts.path) = ?",
                [(text, post_id, sha256) for post_id, sha256, text in excerpts],
            )
            return db.total_changes - before

    async def _has_posts(self) -> bool:
        async with self._db.execute("SELECT EXISTS (SELECT 1 FROM posts)") as cursor:
            row = await cursor.fetchone()
        return bool(row and row[0])


class _Session:
    """One sync's writes, inside its transaction."""

    def __init__(self, db: aiosqlite.Connection, writer: BatchWriter, report: SyncReport):
        self._db = db
        self._writer = writer
        self._report = report
        self._stored = 0

    async def release(self, paths: Sequence[str]) -> None:
        if not paths:
            return
        self._writer.leaving.update(paths)
        async with self._db.execute(
            f"SELECT count(*) FROM posts WHERE draft < {REMOVED}"
        ) as cursor:
            row = await cursor.fetchone()
        self._stored = int(row[0]) if row else 0

    async def write(self, batch: Sequence[Prepared]) -> None:
        await self._writer.write(batch)

    async def unclaimed(self) -> tuple[list[str], int]:
        """Leaving paths that still hold a served post; the others (moved, replaced, or
        files that never loaded) are gone from the store now."""
        leaving = sorted(self._writer.leaving)
        if not leaving:
            return [], self._stored
        held = [
            path for path, row in (await rows_by_path(self._db, leaving)).items() if not row.removed
        ]
        done = sorted(set(leaving) - set(held))
        await self._forget_sources(done)
        return sorted(held), self._stored

    async def remove(self, paths: Sequence[str]) -> None:
        if not paths:
            return
        rows = await rows_by_path(self._db, list(paths))
        await bury(self._db, [row.id for row in rows.values() if not row.removed])
        await self._forget_sources(paths)

    async def _forget_sources(self, paths: Sequence[str]) -> None:
        await self._db.executemany("DELETE FROM sources WHERE path = ?", [(p,) for p in paths])
        self._report.removed.extend(paths)

    async def publish(self, *, notify_on_update: bool) -> list[int]:
        # A knowledge base loaded for the first time is published silently: subscribers
        # hear about posts that appear later, not about the whole archive at once.
        announce = not await mark_synced(self._db)
        if announce and notify_on_update and self._report.updated:
            edited = await new_revisions(self._db, self._report.updated)
            if edited:
                await plan_deliveries(self._db, edited)
        writer = self._writer
        return await publish_due(
            self._db,
            now=writer.now,
            announce=announce,
            indexed=writer.indexed,
            new=writer.published,
        )


@asynccontextmanager
async def _bulk_indexing(connection: aiosqlite.Connection, bulk: bool) -> AsyncIterator[None]:
    """Index many posts with fewer, larger FTS5 merges, then restore the defaults.

    FTS5 flushes its pending terms every 1 MB (`hashsize`, a long-standing key of its
    config table, undocumented) and merges a level's segments as soon as 4 pile up
    (`automerge`), so a cold sync rewrites the index level after level.  A 16 MB buffer
    and merges of 16 segments index 100k posts' text with 15–30 % less CPU (see
    BENCHMARKS.md), into an index of the same size that answers as fast.  The settings
    are written in the sync's transaction and put back before it ends, whatever happens.
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


def _path_chunks(paths: Collection[str]) -> Iterator[tuple[str, Sequence[str]]]:
    for chunk, marks in in_chunks(sorted(paths)):
        yield f" WHERE path IN ({marks})", chunk
