"""Tombstones and the rows a sync's writer decides by, on PostgreSQL.

The rules are SQLite's (`herald.store.sqlite.tombstones`): a post that stops being served
keeps its row (`draft = REMOVED`) with only who it was, so a file that comes back takes
its id again.  Lookups are one statement per list (`= ANY`), not one per chunk of keys.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from herald.store.postgres.database import Connection, fetch

REMOVED = 2
"""`posts.draft` of a tombstone: 0 is shown once due, 1 a draft, 2 a removed post."""

KeyColumn = Literal["path", "slug", "link_key"]


@dataclass(frozen=True, slots=True)
class Row:
    """What the writer needs of a stored post to decide whose row a file takes."""

    key: str
    id: int
    path: str
    slug: str
    draft: int

    @property
    def removed(self) -> bool:
        return self.draft == REMOVED


def placeholder(post_id: int) -> str:
    return f":removed:{post_id}"


async def rows_by(conn: Connection, column: KeyColumn, keys: Sequence[str]) -> dict[str, Row]:
    if not keys:
        return {}
    rows = await fetch(
        conn,
        Row,
        f"SELECT {column} AS key, id, path, slug, draft FROM posts WHERE {column} = ANY(%s)",
        (list(keys),),
    )
    return {row.key: row for row in rows}


async def rows_by_path(conn: Connection, paths: Sequence[str]) -> dict[str, Row]:
    return await rows_by(conn, "path", paths)


async def bury(conn: Connection, ids: Sequence[int]) -> None:
    """Make posts tombstones: not served, listed, searched or tagged; only who they were."""
    if not ids:
        return
    listed = (list(ids),)
    await conn.execute("DELETE FROM post_search WHERE post_id = ANY(%s)", listed)
    await conn.execute("DELETE FROM post_tags WHERE post_id = ANY(%s)", listed)
    await conn.execute("DELETE FROM post_aliases WHERE post_id = ANY(%s)", listed)
    await conn.execute(
        f"UPDATE posts SET draft = {REMOVED}, body = '', summary = NULL, excerpt = '', "
        "tags = '{}' WHERE id = ANY(%s)",
        listed,
    )
