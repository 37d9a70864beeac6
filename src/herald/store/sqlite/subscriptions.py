"""Who wants pushes: one row per (platform, chat, topic), optionally filtered by tags, each
with its push options (silent, send mode, link preview).

A topic is stored as '' for "the chat itself" (SQLite treats NULLs as distinct in a UNIQUE
key, so '' keeps one row per chat); the port speaks of None.
"""

from __future__ import annotations

import json
import time

import aiosqlite

from herald.core.records import SEND_MODES, PushOptions, Subscription
from herald.store.sqlite.database import Database

_NO_TOPIC = ""


def _topic(topic: str | None) -> str:
    return topic or _NO_TOPIC


def options_from_row(row: aiosqlite.Row) -> PushOptions:
    """The options columns of a `subscriptions` row (also read by the outbox's claim)."""
    mode = row["send_mode"]
    return PushOptions(
        silent=bool(row["silent"]),
        mode=mode if mode in SEND_MODES else "card",
        link_preview=bool(row["link_preview"]),
    )


def _from_row(row: aiosqlite.Row) -> Subscription:
    return Subscription(
        id=row["id"],
        platform=row["platform"],
        chat_id=row["chat_id"],
        tags=tuple(json.loads(row["tags"])),
        language=row["language"],
        active=bool(row["active"]),
        topic=row["topic"] or None,
        options=options_from_row(row),
    )


class SqliteSubscriptions:
    """`herald.core.ports.Subscriptions` on SQLite."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self._db = database.connection

    async def get(
        self, platform: str, chat_id: str, *, topic: str | None = None
    ) -> Subscription | None:
        async with self._db.execute(
            "SELECT * FROM subscriptions WHERE platform = ? AND chat_id = ? AND topic = ?",
            (platform, chat_id, _topic(topic)),
        ) as cursor:
            row = await cursor.fetchone()
        return _from_row(row) if row else None

    async def subscribe(
        self,
        platform: str,
        chat_id: str,
        tags: tuple[str, ...] = (),
        language: str | None = None,
        *,
        topic: str | None = None,
    ) -> Subscription:
        """No tags: everything. Tags: added to an existing tag filter (a narrower wish).
        Options survive unsubscribing and subscribing again: they are the chat's taste."""
        current = await self.get(platform, chat_id, topic=topic)
        wanted = [tag.casefold() for tag in tags]
        if tags and current and current.active and current.tags:
            wanted = list(current.tags) + [t for t in wanted if t not in current.tags]
        merged = json.dumps(list(dict.fromkeys(wanted)), ensure_ascii=False)
        async with self._database.transaction() as db:
            await db.execute(
                "INSERT INTO subscriptions "
                "(platform, chat_id, topic, tags, language, active, created_at) "
                "VALUES (?, ?, ?, ?, ?, 1, ?) ON CONFLICT (platform, chat_id, topic) "
                "DO UPDATE SET tags = excluded.tags, active = 1, "
                "language = coalesce(excluded.language, language)",
                (platform, chat_id, _topic(topic), merged, language, int(time.time())),
            )
        result = await self.get(platform, chat_id, topic=topic)
        assert result is not None
        return result

    async def unsubscribe(
        self, platform: str, chat_id: str, tags: tuple[str, ...] = (), *, topic: str | None = None
    ) -> Subscription | None:
        """No tags: stop everything. Tags: drop those filters; none left means unsubscribed."""
        current = await self.get(platform, chat_id, topic=topic)
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
        return await self.get(platform, chat_id, topic=topic)

    async def set_options(
        self, platform: str, chat_id: str, options: PushOptions, *, topic: str | None = None
    ) -> Subscription | None:
        """Store how pushes are sent; None (and nothing written) when there is no
        subscription here to set them on."""
        if options.mode not in SEND_MODES:
            raise ValueError(f"unknown send mode {options.mode!r}")
        async with self._database.transaction() as db:
            cursor = await db.execute(
                "UPDATE subscriptions SET silent = ?, send_mode = ?, link_preview = ? "
                "WHERE platform = ? AND chat_id = ? AND topic = ?",
                (
                    int(options.silent),
                    options.mode,
                    int(options.link_preview),
                    platform,
                    chat_id,
                    _topic(topic),
                ),
            )
            changed = cursor.rowcount
        return await self.get(platform, chat_id, topic=topic) if changed else None
