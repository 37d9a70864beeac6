"""Tombstones and the rows a sync's writer decides by (see `herald.store.sqlite.write`).

Removal is not forgetting: a post that stops being served keeps its row as a tombstone
(`draft = REMOVED`, migration V9) that holds only who it was, so a file that comes back
takes its id again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import aiosqlite

from herald.store.sqlite.publish import in_chunks

REMOVED = 2
"""`posts.draft` of a tombstone: 0 is shown once due, 1 a draft, 2 a removed post."""


@dataclass(frozen=True, slots=True)
class Row:
    """What the writer needs of a stored post to decide whose row a file takes."""

    id: int
    path: str
    slug: str
    removed: bool


def placeholder(post_id: int) -> str:
    return f":removed:{post_id}"


async def rows_by_path(connection: aiosqlite.Connection, paths: Sequence[str]) -> dict[str, Row]:
    return await rows_by(connection, "path", paths)


async def rows_by(
    connection: aiosqlite.Connection, column: str, keys: Sequence[str]
) -> dict[str, Row]:
    found: dict[str, Row] = {}
    for chunk, marks in in_chunks(keys):
        async with connection.execute(
            f"SELECT {column}, id, path, slug, draft FROM posts WHERE {column} IN ({marks})",
            chunk,
        ) as cursor:
            for key, *row in await cursor.fetchall():
                found[key] = Row(row[0], row[1], row[2], row[3] == REMOVED)
    return found


async def bury(connection: aiosqlite.Connection, ids: Sequence[int]) -> None:
    """Make posts tombstones: not served, listed, searched or tagged; only who they were."""
    if ids:
        rows = [(post_id,) for post_id in ids]
        await connection.executemany("DELETE FROM posts_fts WHERE rowid = ?", rows)
        await connection.executemany("DELETE FROM post_tags WHERE post_id = ?", rows)
        await connection.executemany("DELETE FROM post_aliases WHERE post_id = ?", rows)
        await connection.executemany(
            f"UPDATE posts SET draft = {REMOVED}, body = '', summary = NULL, excerpt = '', "
            "tags = '[]' WHERE id = ?",
            rows,
        )
