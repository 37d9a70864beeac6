"""Who wants pushes: one row per (platform, chat, topic), optionally filtered by tags, each
with its push options (silent, send mode, link preview).

A topic is stored as '' for "the chat itself", as on SQLite, so the unique key holds one
row per chat; the port speaks of None.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from herald.core.records import SEND_MODES, PushOptions, SendMode, Subscription
from herald.store.postgres.database import Connection, Database, fetch

_NO_TOPIC = ""
SUBSCRIPTION_COLUMNS = (
    "id, platform, chat_id, topic, tags, language, active, silent, send_mode, link_preview"
)


def _topic(topic: str | None) -> str:
    return topic or _NO_TOPIC


def options(silent: bool, mode: str, link_preview: bool) -> PushOptions:
    """Push options from their columns (also read by the outbox's claim)."""
    send_mode: SendMode = "card"
    for known in SEND_MODES:
        if known == mode:
            send_mode = known
    return PushOptions(silent=silent, mode=send_mode, link_preview=link_preview)


@dataclass(frozen=True, slots=True)
class SubscriptionRow:
    id: int
    platform: str
    chat_id: str
    topic: str
    tags: list[str]
    language: str | None
    active: bool
    silent: bool
    send_mode: str
    link_preview: bool

    def record(self) -> Subscription:
        return Subscription(
            id=self.id,
            platform=self.platform,
            chat_id=self.chat_id,
            tags=tuple(self.tags),
            language=self.language,
            active=self.active,
            topic=self.topic or None,
            options=options(self.silent, self.send_mode, self.link_preview),
        )


async def _get(conn: Connection, platform: str, chat_id: str, topic: str) -> Subscription | None:
    rows = await fetch(
        conn,
        SubscriptionRow,
        f"SELECT {SUBSCRIPTION_COLUMNS} FROM subscriptions "
        "WHERE platform = %s AND chat_id = %s AND topic = %s",
        (platform, chat_id, topic),
    )
    return rows[0].record() if rows else None


class PostgresSubscriptions:
    """`herald.core.ports.Subscriptions` on PostgreSQL."""

    def __init__(self, database: Database) -> None:
        self._database = database

    async def get(
        self, platform: str, chat_id: str, *, topic: str | None = None
    ) -> Subscription | None:
        async with self._database.connection() as conn:
            return await _get(conn, platform, chat_id, _topic(topic))

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

        async def work(conn: Connection) -> Subscription:
            # Read and written in one transaction, the row locked: two replicas adding
            # tags at once both keep theirs.
            current = None
            rows = await fetch(
                conn,
                SubscriptionRow,
                f"SELECT {SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE platform = %s "
                "AND chat_id = %s AND topic = %s FOR UPDATE",
                (platform, chat_id, _topic(topic)),
            )
            if rows:
                current = rows[0].record()
            wanted = [tag.casefold() for tag in tags]
            if tags and current and current.active and current.tags:
                wanted = list(current.tags) + [t for t in wanted if t not in current.tags]
            await conn.execute(
                "INSERT INTO subscriptions "
                "(platform, chat_id, topic, tags, language, active, created_at) "
                "VALUES (%s, %s, %s, %s, %s, true, %s) "
                "ON CONFLICT (platform, chat_id, topic) DO UPDATE SET tags = excluded.tags, "
                "active = true, language = coalesce(excluded.language, subscriptions.language)",
                (
                    platform,
                    chat_id,
                    _topic(topic),
                    list(dict.fromkeys(wanted)),
                    language,
                    int(time.time()),
                ),
            )
            result = await _get(conn, platform, chat_id, _topic(topic))
            assert result is not None
            return result

        return await self._database.run(work)

    async def unsubscribe(
        self, platform: str, chat_id: str, tags: tuple[str, ...] = (), *, topic: str | None = None
    ) -> Subscription | None:
        """No tags: stop everything. Tags: drop those filters; none left means unsubscribed."""

        async def work(conn: Connection) -> Subscription | None:
            rows = await fetch(
                conn,
                SubscriptionRow,
                f"SELECT {SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE platform = %s "
                "AND chat_id = %s AND topic = %s FOR UPDATE",
                (platform, chat_id, _topic(topic)),
            )
            current = rows[0].record() if rows else None
            if current is None or not current.active:
                return None
            dropped = {tag.casefold() for tag in tags}
            remaining = [t for t in current.tags if t not in dropped]
            if not tags or not remaining:
                await conn.execute(
                    "UPDATE subscriptions SET active = false WHERE id = %s", (current.id,)
                )
            else:
                await conn.execute(
                    "UPDATE subscriptions SET tags = %s WHERE id = %s", (remaining, current.id)
                )
            return await _get(conn, platform, chat_id, _topic(topic))

        return await self._database.run(work)

    async def set_options(
        self, platform: str, chat_id: str, options: PushOptions, *, topic: str | None = None
    ) -> Subscription | None:
        """Store how pushes are sent; None (and nothing written) when there is no
        subscription here to set them on."""
        if options.mode not in SEND_MODES:
            raise ValueError(f"unknown send mode {options.mode!r}")

        async def work(conn: Connection) -> Subscription | None:
            cursor = await conn.execute(
                "UPDATE subscriptions SET silent = %s, send_mode = %s, link_preview = %s "
                "WHERE platform = %s AND chat_id = %s AND topic = %s",
                (
                    options.silent,
                    options.mode,
                    options.link_preview,
                    platform,
                    chat_id,
                    _topic(topic),
                ),
            )
            if not cursor.rowcount:
                return None
            return await _get(conn, platform, chat_id, _topic(topic))

        return await self._database.run(work)
