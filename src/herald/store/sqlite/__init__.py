"""The embedded default store: one SQLite file (WAL, numbered migrations, FTS5 search).

One connection per process, shared by every port; `Database.transaction` serialises the
writers on it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Self

from herald.store.sqlite.database import Database
from herald.store.sqlite.index import SqliteContentIndex
from herald.store.sqlite.leader import SoleLeader
from herald.store.sqlite.outbox import SqliteOutbox
from herald.store.sqlite.posts import SqlitePosts
from herald.store.sqlite.preferences import SqlitePreferences
from herald.store.sqlite.subscriptions import SqliteSubscriptions


class SqliteStore:
    """Every port of `herald.core.ports.Store` over one open database."""

    def __init__(self, database: Database, *, excerpt_chars: int) -> None:
        self.database = database
        self.posts = SqlitePosts(database, excerpt_chars=excerpt_chars)
        self.subscriptions = SqliteSubscriptions(database)
        self.preferences = SqlitePreferences(database)
        self.outbox = SqliteOutbox(database)
        self.index = SqliteContentIndex(database)

    def sync_lead(self) -> SoleLeader:
        return SoleLeader()

    async def close(self) -> None:
        await self.database.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


async def open_store(
    location: Path, *, excerpt_chars: int, lease_seconds: float | None = None
) -> SqliteStore:
    """`lease_seconds` is not used: claims on a file one process serves need no lease."""
    return SqliteStore(await Database.open(location), excerpt_chars=excerpt_chars)


__all__ = ["Database", "SqliteStore", "open_store"]
