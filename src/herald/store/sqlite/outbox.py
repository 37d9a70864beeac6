"""The durable outbox: claim planned deliveries, record every outcome.

Exactly-once, within the limits of physics: an entry is claimed (`sending`) before the send
and marked `sent` the moment the platform acknowledges it.  After a crash only entries still
in `sending` are retried, so at most the messages that were in flight can repeat.
"""

from __future__ import annotations

import time

import aiosqlite

from herald.core.records import Delivery, OutboxStats
from herald.store.sent_marks import SentMarks, SentRows
from herald.store.sqlite.database import Database
from herald.store.sqlite.subscriptions import options_from_row


def _delivery(row: aiosqlite.Row) -> Delivery:
    """A claimed entry with where and how its subscription wants it sent, as they are at
    the claim: options changed after it was planned apply to it too."""
    return Delivery(
        id=row["id"],
        post_id=row["post_id"],
        subscription_id=row["subscription_id"],
        chat_id=row["chat_id"],
        language=row["language"],
        attempts=row["attempts"],
        topic=row["topic"] or None,
        options=options_from_row(row),
    )


class SqliteOutbox:
    """`herald.core.ports.Outbox` on SQLite (entries are planned in `publish.py`)."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self._db = database.connection
        self._sent = SentMarks(self._write_sent)

    async def recover(self) -> int:
        """At start-up: whatever was in flight when the last process died goes again."""
        async with self._database.transaction() as db:
            cursor = await db.execute(
                "UPDATE outbox SET state = 'pending', claimed_at = NULL WHERE state = 'sending'"
            )
            return cursor.rowcount

    async def renew_leases(self) -> int:
        """Nothing to renew: one process serves a SQLite store (`owner.py`), so its claims
        stay its own."""
        return 0

    async def claim(self, platform: str, *, limit: int, now: float | None = None) -> list[Delivery]:
        moment = time.time() if now is None else now
        async with self._database.transaction() as db:
            async with db.execute(
                "SELECT o.id, o.post_id, o.subscription_id, s.chat_id, s.language, o.attempts, "
                "s.topic, s.silent, s.send_mode, s.link_preview "
                "FROM outbox o JOIN subscriptions s ON s.id = o.subscription_id "
                "WHERE o.state = 'pending' AND o.not_before <= ? AND s.platform = ? "
                "AND s.active = 1 ORDER BY o.not_before, o.id LIMIT ?",
                (moment, platform, limit),
            ) as cursor:
                rows = list(await cursor.fetchall())
            await db.executemany(
                "UPDATE outbox SET state = 'sending', claimed_at = ? WHERE id = ?",
                [(moment, row[0]) for row in rows],
            )
        return [_delivery(row) for row in rows]

    async def next_due(self, platform: str) -> float | None:
        async with self._db.execute(
            "SELECT min(o.not_before) FROM outbox o JOIN subscriptions s "
            "ON s.id = o.subscription_id WHERE o.state = 'pending' AND s.platform = ? "
            "AND s.active = 1",
            (platform,),
        ) as cursor:
            row = await cursor.fetchone()
        return float(row[0]) if row and row[0] is not None else None

    async def mark_sent(self, entry_id: int) -> None:
        """Returns once the mark is committed, as every outcome does (group commit,
        `herald.store.sent_marks`)."""
        await self._sent.mark(entry_id)

    async def _write_sent(self, rows: SentRows) -> None:
        async with self._database.transaction() as db:
            await db.executemany(
                "UPDATE outbox SET state = 'sent', sent_at = ?, attempts = attempts + 1 "
                "WHERE id = ?",
                rows,
            )

    async def retry_after(self, entry_id: int, seconds: float, error: str) -> None:
        """The platform's own "wait": honoured exactly and not counted as a failed attempt."""
        await self._set(
            "UPDATE outbox SET state = 'pending', not_before = ?, last_error = ? WHERE id = ?",
            (time.time() + seconds, error, entry_id),
        )

    async def retry_later(self, delivery: Delivery, error: str, *, delay: float | None) -> None:
        attempts = delivery.attempts + 1
        if delay is None:
            await self._set(
                "UPDATE outbox SET state = 'failed', attempts = ?, last_error = ? WHERE id = ?",
                (attempts, error, delivery.id),
            )
            return
        await self._set(
            "UPDATE outbox SET state = 'pending', attempts = ?, not_before = ?, last_error = ? "
            "WHERE id = ?",
            (attempts, time.time() + delay, error, delivery.id),
        )

    async def drop(self, delivery: Delivery, error: str) -> None:
        """The chat is gone for good: stop this entry, the subscription, and its other entries."""
        async with self._database.transaction() as db:
            await db.execute(
                "UPDATE subscriptions SET active = 0 WHERE id = ?", (delivery.subscription_id,)
            )
            await db.execute(
                "UPDATE outbox SET state = 'dropped', last_error = ? "
                "WHERE subscription_id = ? AND state IN ('pending', 'sending')",
                (error, delivery.subscription_id),
            )

    async def skip(self, entry_id: int, error: str) -> None:
        await self._set(
            "UPDATE outbox SET state = 'dropped', last_error = ? WHERE id = ?", (error, entry_id)
        )

    async def retry_failed(self) -> int:
        async with self._database.transaction() as db:
            cursor = await db.execute(
                "UPDATE outbox SET state = 'pending', attempts = 0, not_before = 0 "
                "WHERE state = 'failed'"
            )
            return cursor.rowcount

    async def stats(self, *, errors: int = 10) -> OutboxStats:
        counts = dict.fromkeys(("pending", "sending", "sent", "failed", "dropped"), 0)
        async with self._db.execute("SELECT state, count(*) FROM outbox GROUP BY state") as cursor:
            async for row in cursor:
                counts[row[0]] = row[1]
        async with self._db.execute(
            "SELECT o.id, s.platform, s.chat_id, o.last_error FROM outbox o "
            "JOIN subscriptions s ON s.id = o.subscription_id WHERE o.last_error IS NOT NULL "
            "AND o.state != 'sent' ORDER BY o.id DESC LIMIT ?",
            (errors,),
        ) as cursor:
            last = [(row[0], row[1], row[2], row[3]) async for row in cursor]
        async with self._db.execute(
            "SELECT min(created_at) FROM outbox WHERE state IN ('pending', 'sending')"
        ) as cursor:
            first = await cursor.fetchone()
        oldest = float(first[0]) if first is not None and first[0] is not None else None
        return OutboxStats(counts, last, oldest)

    async def _set(self, sql: str, params: tuple[object, ...]) -> None:
        async with self._database.transaction() as db:
            await db.execute(sql, params)
