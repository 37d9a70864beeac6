"""Who wants pushes: one row per (platform, chat), optionally filtered by tags."""

from __future__ import annotations

import json
import time

import aiosqlite

from herald.core.records import Subscription
from herald.store.sqlite.database import Database


def _from_row(row: aiosqlite.Row) -> Subscription:
    return Subscription(
        id=row["id"],
        platform=row["platform"],
        chat_id=row["chat_id"],
        tags=tuple(json.loads(row["tags"])),
        language=row["language"],
        active=bool(row["active"]),
    )


class SqliteSubscriptions:
    """`herald.core.ports.Subscriptions` on SQLite."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self._db = database.connection

    async def get(self, platform: str, chat_id: str) -> Subscription | None:
        async with self._db.execute(
            "SELECT * FROM subscriptions WHERE platform = ? AND chat_id = ?", (platform, chat_id)
        ) as cursor:
            row = await cursor.fetchone()
        return _from_row(row) if row else None

    async def subscribe(
        self, platform: str, chat_id: str, tags: tuple[str, ...] = (), language: str | None = None
    ) -> Subscription:
        """No tags: everything. Tags: added to an existing tag filter (a narrower wish)."""
        current = await self.get(platform, chat_id)
        wanted = [tag.casefold() for tag in tags]
        if tags and current and current.active and current.tags:
            wanted = list(current.tags) + [t for t in wanted if t not in current.tags]
        merged = json.dumps(list(dict.fromkeys(wanted)), ensure_ascii=False)
        async with self._database.transaction() as db:
            await db.execute(
                "INSERT INTO subscriptions (platform, chat_id, tags, language, active, created_at) "
                "VALUES (?, ?, ?, ?, 1, ?) ON CONFLICT (platform, chat_id) DO UPDATE SET "
                "tags = excluded.tags, active = 1, "
                "language = coalesce(excluded.language, language)",
                (platform, chat_id, merged, language, int(time.time())),
            )
        result = await self.get(platform, chat_id)
        assert result is not None
        return result

    async def unsubscribe(
        self, platform: str, chat_id: str, tags: tuple[str, ...] = ()
    ) -> Subscription | None:
        """No tags: stop everything. Tags: drop those filters; none left means unsubscribed."""
        current = await self.get(platform, chat_id)
        if current is None or not current.active:
            return None
        remaining = [t for t in current.tags if t not in {tag.casefold() for tag in tags}]
        if not tags or not remaining:
            async with self._database.transaction() as db:
                await db.execute("UPDATE subscriptions SET active = 0 WHERE id = ?", (current.id,))
        else:
            async with self._database.transaction() as db:
                await db.execute(
                    "UPDATE subscriptions SET tags = ? WHERE id = ?",
                    (json.dumps(remaining, ensure_ascii=False), current.id),
                )
        return await self.get(platform, chat_id)
