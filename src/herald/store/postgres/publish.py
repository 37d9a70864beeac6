"""Publish: posts whose date has come become visible, searchable and announced.

Announcing is planning the outbox, in the same transaction: one entry per new post ×
active matching subscription, so a post is never visible without its deliveries and a
delivery is never planned twice (the unique key of post, subscription and revision).
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from herald.indexing.prepare import fts_columns
from herald.store.postgres.database import Connection, scalar, tuples
from herald.store.postgres.lexemes import INSERT_SEARCH, search_rows


async def plan_deliveries(conn: Connection, post_ids: Sequence[int]) -> None:
    """Entries in the order of `post_ids` (so claims announce them in that order)."""
    await conn.execute(
        "INSERT INTO outbox (post_id, subscription_id, revision, created_at) "
        "SELECT p.id, s.id, p.revision, %(now)s "
        "FROM unnest(%(ids)s::bigint[]) WITH ORDINALITY AS x (id, n) "
        "JOIN posts p ON p.id = x.id "
        "JOIN subscriptions s ON s.active AND (s.tags = '{}' OR EXISTS ("
        "  SELECT 1 FROM post_tags t WHERE t.post_id = p.id AND t.tag_key = ANY(s.tags))) "
        "ORDER BY x.n, s.id "
        "ON CONFLICT (post_id, subscription_id, revision) DO NOTHING",
        {"now": time.time(), "ids": list(post_ids)},
    )


async def publish_due(
    conn: Connection,
    *,
    now: float | None = None,
    announce: bool = True,
    indexed: set[int] | None = None,
    new: Sequence[tuple[int, int]] = (),
) -> list[int]:
    """Mark posts whose date has come as published, index them and (with `announce`) plan
    their deliveries.  The caller owns the transaction.  `indexed` names posts the caller
    already indexed; `new` (date, id) names posts the caller inserted already published,
    which are announced with the others, in date order."""
    moment = int(time.time() if now is None else now)
    due = [
        (int(row[0]), int(row[1]))
        for row in await tuples(
            conn,
            "SELECT date, id FROM posts WHERE published_at IS NULL AND draft = 0 AND date <= %s",
            (moment,),
        )
    ]
    if due:
        await conn.execute(
            "UPDATE posts SET published_at = %s WHERE id = ANY(%s)",
            (moment, [post_id for _, post_id in due]),
        )
        await index_posts(conn, [i for _, i in due if indexed is None or i not in indexed])
    ids = [post_id for _, post_id in sorted([*due, *new])]
    if ids and announce:
        await plan_deliveries(conn, ids)
    return ids


async def new_revisions(conn: Connection, paths: list[str]) -> list[int]:
    """Edited posts that readers already saw get a new revision, to be announced again."""
    rows = await tuples(
        conn,
        "UPDATE posts SET revision = revision + 1 WHERE path = ANY(%s) "
        "AND published_at IS NOT NULL AND draft = 0 RETURNING id",
        (paths,),
    )
    return sorted(int(row[0]) for row in rows)


async def index_posts(conn: Connection, ids: list[int]) -> None:
    """Put posts that became visible after their sync (scheduled ones) into the index."""
    if not ids:
        return
    rows = await tuples(
        conn,
        "SELECT p.id, p.title, p.tags, p.body, p.date FROM posts p WHERE p.id = ANY(%s) "
        "AND NOT EXISTS (SELECT 1 FROM post_search s WHERE s.post_id = p.id)",
        (ids,),
    )
    async with conn.cursor() as cursor:
        await cursor.executemany(
            INSERT_SEARCH,
            [
                search
                for row in rows
                for search in search_rows(row[0], row[4], fts_columns(row[1], row[2], row[3]))
            ],
        )


async def next_scheduled(conn: Connection) -> int | None:
    found = await scalar(
        conn, "SELECT min(date) FROM posts WHERE published_at IS NULL AND draft = 0"
    )
    return None if found is None else int(found)


async def mark_synced(conn: Connection) -> bool:
    """Record that a sync has run; True if this is the store's very first one."""
    cursor = await conn.execute(
        "INSERT INTO meta (key, value) VALUES ('first_sync', now()::text) "
        "ON CONFLICT (key) DO NOTHING"
    )
    return cursor.rowcount == 1
