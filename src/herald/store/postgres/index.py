"""`herald.core.ports.ContentIndex` on PostgreSQL: the write side of a sync, the
scheduler's publishing and the deferred excerpts' storage.

A sync is one transaction (`PostgresContentIndex.session`), so readers never see a
half-synced knowledge base and a crash leaves the previous state intact.  Writes of the
index wait for each other (`Database.transaction(index=True)`, an advisory lock), as on
SQLite, where one writer at a time is the file's rule: two processes syncing one store
at once would otherwise both give out the same new ids.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Collection, Sequence
from contextlib import asynccontextmanager

from herald.content.sites.common import DUPLICATE
from herald.core.records import KnownSources, PendingCard, Prepared, SyncReport
from herald.store.postgres.database import Connection, Database, fetch, scalar, tuples
from herald.store.postgres.publish import (
    mark_synced,
    new_revisions,
    next_scheduled,
    plan_deliveries,
    publish_due,
)
from herald.store.postgres.tombstones import REMOVED, bury, rows_by_path
from herald.store.postgres.write import BatchWriter


class PostgresContentIndex:
    def __init__(self, database: Database) -> None:
        self._database = database

    async def use_settings(self, *, excerpt_chars: int, index_format: str) -> None:
        wanted = {"excerpt_chars": excerpt_chars, "index": index_format}
        async with self._database.connection() as conn:
            found = await scalar(conn, "SELECT value FROM meta WHERE key = 'render'")
        stored = json.loads(found) if found is not None else None
        if stored == wanted:
            return
        async with self._database.transaction(index=True) as conn:
            if not isinstance(stored, dict) or stored.get("index") != index_format:
                await conn.execute("UPDATE sources SET sha256 = '', mtime_ns = -1")
            else:
                await conn.execute(f"UPDATE posts SET excerpt = NULL WHERE draft < {REMOVED}")
            await conn.execute(
                "INSERT INTO meta (key, value) VALUES ('render', %s) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (json.dumps(wanted),),
            )

    async def sources(self, only: Collection[str] | None = None) -> KnownSources:
        """Kept small on purpose (no hashes): at 100k files this is most of a sync's memory."""
        sql = (
            "SELECT path, size, mtime_ns, "
            "coalesce(starts_with(error, %(duplicate)s), false) FROM sources"
        )
        params: dict[str, object] = {"duplicate": DUPLICATE}
        if only is not None:
            sql += " WHERE path = ANY(%(only)s)"
            params["only"] = sorted(only)
        async with self._database.connection() as conn:
            rows = await tuples(conn, sql, params)
        return KnownSources.from_rows(rows)

    async def hashes(self, paths: Sequence[str]) -> dict[str, str]:
        if not paths:
            return {}
        async with self._database.connection() as conn:
            rows = await tuples(
                conn, "SELECT path, sha256 FROM sources WHERE path = ANY(%s)", (list(paths),)
            )
        return {row[0]: row[1] for row in rows}

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
        """After a `bulk` load the tables are analysed before the commit: until autovacuum
        gets to it, the planner would judge the search index by its empty self and walk
        every post for a word no post has (30 ms at 10k posts instead of 1)."""
        async with self._database.transaction(index=True, reorders=True) as conn:
            writer = BatchWriter(conn, report, now=now, reading=reading, targeted=targeted)
            yield _Session(conn, writer, report)
            if bulk:
                await conn.execute("ANALYZE posts, post_tags, post_aliases, post_search")

    async def failures(self) -> dict[str, str]:
        async with self._database.connection() as conn:
            rows = await tuples(
                conn, "SELECT path, error FROM sources WHERE error IS NOT NULL ORDER BY path"
            )
        return {row[0]: row[1] for row in rows}

    async def warnings(self) -> dict[str, str]:
        async with self._database.connection() as conn:
            rows = await tuples(
                conn, "SELECT path, warning FROM sources WHERE warning IS NOT NULL ORDER BY path"
            )
        return {row[0]: row[1] for row in rows}

    async def publish_due(self, *, now: float | None = None) -> list[int]:
        async def work(conn: Connection) -> list[int]:
            return await publish_due(conn, now=now)

        return await self._database.run(work, index=True, reorders=True)

    async def next_scheduled(self) -> int | None:
        async with self._database.connection() as conn:
            return await next_scheduled(conn)

    async def cards_to_render(self) -> list[int]:
        async with self._database.connection() as conn:
            rows = await tuples(
                conn, "SELECT id FROM posts WHERE excerpt IS NULL ORDER BY date DESC, id DESC"
            )
        return [row[0] for row in rows]

    async def pending_cards(self, post_ids: Sequence[int]) -> list[PendingCard]:
        if not post_ids:
            return []
        async with self._database.connection() as conn:
            return await fetch(
                conn,
                PendingCard,
                "SELECT p.id AS post_id, s.sha256, p.summary, p.body, p.lang FROM posts p "
                "JOIN sources s ON s.path = p.path WHERE p.id = ANY(%s)",
                (list(post_ids),),
            )

    async def store_excerpts(self, excerpts: Sequence[tuple[int, str, str]]) -> int:
        if not excerpts:
            return 0

        async def work(conn: Connection) -> int:
            # Only for the source it was made from: a sync may have changed the post.
            cursor = await conn.execute(
                "UPDATE posts p SET excerpt = e.text "
                "FROM unnest(%s::bigint[], %s::text[], %s::text[]) AS e (id, sha256, text), "
                "sources s WHERE p.id = e.id AND p.excerpt IS NULL AND s.path = p.path "
                "AND s.sha256 = e.sha256",
                (
                    [post_id for post_id, _, _ in excerpts],
                    [sha256 for _, sha256, _ in excerpts],
                    [text for _, _, text in excerpts],
                ),
            )
            return cursor.rowcount

        # These change no post's visibility or order: the feed caches stay valid.
        return await self._database.run(work)


class _Session:
    """One sync's writes, inside its transaction."""

    def __init__(self, conn: Connection, writer: BatchWriter, report: SyncReport):
        self._conn = conn
        self._writer = writer
        self._report = report
        self._stored = 0

    async def release(self, paths: Sequence[str]) -> None:
        if not paths:
            return
        self._writer.leaving.update(paths)
        count = await scalar(self._conn, f"SELECT count(*) FROM posts WHERE draft < {REMOVED}")
        self._stored = int(count or 0)

    async def write(self, batch: Sequence[Prepared]) -> None:
        await self._writer.write(batch)

    async def unclaimed(self) -> tuple[list[str], int]:
        """Leaving paths that still hold a served post; the others (moved, replaced, or
        files that never loaded) are gone from the store now."""
        leaving = sorted(self._writer.leaving)
        if not leaving:
            return [], self._stored
        held = [
            path
            for path, row in (await rows_by_path(self._conn, leaving)).items()
            if not row.removed
        ]
        done = sorted(set(leaving) - set(held))
        await self._forget_sources(done)
        return sorted(held), self._stored

    async def remove(self, paths: Sequence[str]) -> None:
        if not paths:
            return
        rows = await rows_by_path(self._conn, list(paths))
        await bury(self._conn, [row.id for row in rows.values() if not row.removed])
        await self._forget_sources(paths)

    async def _forget_sources(self, paths: Sequence[str]) -> None:
        if paths:
            await self._conn.execute("DELETE FROM sources WHERE path = ANY(%s)", (list(paths),))
        self._report.removed.extend(paths)

    async def publish(self, *, notify_on_update: bool) -> list[int]:
        # A knowledge base loaded for the first time is published silently: subscribers
        # hear about posts that appear later, not about the whole archive at once.
        announce = not await mark_synced(self._conn)
        if announce and notify_on_update and self._report.updated:
            edited = await new_revisions(self._conn, self._report.updated)
            if edited:
                await plan_deliveries(self._conn, edited)
        writer = self._writer
        return await publish_due(
            self._conn,
            now=writer.now,
            announce=announce,
            indexed=writer.indexed,
            new=writer.published,
        )
