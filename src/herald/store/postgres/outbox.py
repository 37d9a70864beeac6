"""The durable outbox on PostgreSQL: claim planned deliveries, record every outcome.

As on SQLite: an entry is claimed (`sending`) before the send and marked `sent` the moment
the platform acknowledges it; after a crash only entries still `sending` go again.  A claim
is one statement that skips rows another transaction holds (`FOR UPDATE SKIP LOCKED`), so
two claimers — two replicas on one database — never take the same entry.

Each claim is a lease (migration V2): the entry records which open store took it and
until when, by the server's clock.  Every claim first takes back entries whose lease ran
out (their replica died mid-send: at most those repeat, as after a crash today) and
renews the leases this store still holds; an outcome a store reports for an entry that
meanwhile went to another replica is ignored, so a replica that wakes up late cannot undo
another's claim.  `sent` is always recorded: sent is sent.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

from herald.core.records import Delivery, OutboxStats
from herald.limits import LEASE_SECONDS
from herald.store.postgres.database import Connection, Database, fetch, scalar, tuples
from herald.store.postgres.subscriptions import options
from herald.store.sent_marks import SentMarks, SentRows

STATES = ("pending", "sending", "sent", "failed", "dropped")
_SERVER_NOW = "extract(epoch FROM clock_timestamp())"
_MINE = "(claimed_by IS NULL OR claimed_by = %(me)s)"
"""An outcome applies to an entry this store holds (or nobody does, after `recover`)."""


@dataclass(frozen=True, slots=True)
class ClaimRow:
    id: int
    post_id: int
    subscription_id: int
    chat_id: str
    language: str | None
    attempts: int
    topic: str
    silent: bool
    send_mode: str
    link_preview: bool
    not_before: float

    def delivery(self) -> Delivery:
        """Where and how its subscription wants it sent, as they are at the claim."""
        return Delivery(
            id=self.id,
            post_id=self.post_id,
            subscription_id=self.subscription_id,
            chat_id=self.chat_id,
            language=self.language,
            attempts=self.attempts,
            topic=self.topic or None,
            options=options(self.silent, self.send_mode, self.link_preview),
        )


class PostgresOutbox:
    """`herald.core.ports.Outbox` on PostgreSQL (entries are planned in `publish.py`)."""

    def __init__(self, database: Database, *, lease_seconds: float = LEASE_SECONDS) -> None:
        self._database = database
        self._sent = SentMarks(self._write_sent)
        self.claimer = uuid.uuid4().hex
        """Who this open store is in `claimed_by`: one id per process and store."""
        self.lease_seconds = lease_seconds

    async def recover(self) -> int:
        """At start-up: whatever a dead process had in flight goes again — entries whose
        lease ran out, with no lease (claimed before leases existed), or this store's own.

        Never another live replica's: a replica starting beside it must not put its
        in-flight sends back in the queue (they would go twice).  A replica restarted
        after a crash gets its old entries back once their lease runs out, by its own
        claims or anyone's."""

        async def work(conn: Connection) -> int:
            cursor = await conn.execute(
                "UPDATE outbox SET state = 'pending', claimed_at = NULL, claimed_by = NULL, "
                "claimed_until = NULL WHERE id IN (SELECT id FROM outbox "
                "WHERE state = 'sending' AND (claimed_until IS NULL OR claimed_by = %s "
                f"OR claimed_until < {_SERVER_NOW}) FOR UPDATE SKIP LOCKED)",
                (self.claimer,),
            )
            return cursor.rowcount

        return await self._database.run(work)

    async def claim(self, platform: str, *, limit: int, now: float | None = None) -> list[Delivery]:
        moment = time.time() if now is None else now

        lease = {"me": self.claimer, "lease": self.lease_seconds}

        async def work(conn: Connection) -> list[ClaimRow]:
            await self._take_back_expired(conn)
            await conn.execute(
                f"UPDATE outbox SET claimed_until = {_SERVER_NOW} + %(lease)s "
                "WHERE state = 'sending' AND claimed_by = %(me)s",
                lease,
            )
            return await fetch(
                conn,
                ClaimRow,
                "WITH due AS ("
                "  SELECT o.id FROM outbox o JOIN subscriptions s ON s.id = o.subscription_id"
                "  WHERE o.state = 'pending' AND o.not_before <= %(now)s"
                "  AND s.platform = %(platform)s AND s.active"
                "  ORDER BY o.not_before, o.id LIMIT %(limit)s"
                "  FOR UPDATE OF o SKIP LOCKED) "
                "UPDATE outbox o SET state = 'sending', claimed_at = %(now)s, "
                f"claimed_by = %(me)s, claimed_until = {_SERVER_NOW} + %(lease)s "
                "FROM due, subscriptions s WHERE o.id = due.id AND s.id = o.subscription_id "
                "RETURNING o.id, o.post_id, o.subscription_id, s.chat_id, s.language, "
                "o.attempts, s.topic, s.silent, s.send_mode, s.link_preview, o.not_before",
                {"now": moment, "platform": platform, "limit": limit, **lease},
            )

        rows = await self._database.run(work)
        rows.sort(key=lambda row: (row.not_before, row.id))  # RETURNING keeps no order
        return [row.delivery() for row in rows]

    async def _take_back_expired(self, conn: Connection) -> None:
        """Entries whose claim's lease ran out go back in the queue (locked ones are being
        taken back or reported by someone else right now: skipped)."""
        await conn.execute(
            "UPDATE outbox SET state = 'pending', claimed_by = NULL, claimed_until = NULL "
            "WHERE id IN (SELECT id FROM outbox WHERE state = 'sending' "
            f"AND claimed_until < {_SERVER_NOW} FOR UPDATE SKIP LOCKED)"
        )

    async def renew_leases(self) -> int:
        """Extend every claim this store holds (a heartbeat for long sends); how many."""

        async def work(conn: Connection) -> int:
            cursor = await conn.execute(
                f"UPDATE outbox SET claimed_until = {_SERVER_NOW} + %(lease)s "
                "WHERE state = 'sending' AND claimed_by = %(me)s",
                {"me": self.claimer, "lease": self.lease_seconds},
            )
            return cursor.rowcount

        return await self._database.run(work)

    async def next_due(self, platform: str) -> float | None:
        """The next pending entry's time, or the next lease to run out (another replica's
        entry this one may have to take back), whichever comes first."""
        async with self._database.connection() as conn:
            due = await scalar(
                conn,
                "SELECT min(CASE WHEN o.state = 'pending' THEN o.not_before "
                "ELSE o.claimed_until END) FROM outbox o JOIN subscriptions s "
                "ON s.id = o.subscription_id WHERE s.platform = %s AND s.active AND "
                "(o.state = 'pending' OR (o.state = 'sending' AND o.claimed_by != %s))",
                (platform, self.claimer),
            )
        return None if due is None else float(due)

    async def mark_sent(self, entry_id: int) -> None:
        """Returns once the mark is committed, as every outcome does (group commit,
        `herald.store.sent_marks`, exactly as on SQLite)."""
        await self._sent.mark(entry_id)

    async def _write_sent(self, rows: SentRows) -> None:
        async def work(conn: Connection) -> None:
            await conn.execute(
                "UPDATE outbox o SET state = 'sent', sent_at = m.at, "
                "attempts = o.attempts + 1, claimed_by = NULL, claimed_until = NULL "
                "FROM unnest(%s::float8[], %s::bigint[]) AS m (at, id) WHERE o.id = m.id",
                ([at for at, _ in rows], [entry for _, entry in rows]),
            )

        await self._database.run(work)

    async def retry_after(self, entry_id: int, seconds: float, error: str) -> None:
        """The platform's own "wait": honoured exactly and not counted as a failed attempt."""
        await self._set(
            "UPDATE outbox SET state = 'pending', not_before = %(at)s, last_error = %(error)s, "
            f"claimed_by = NULL, claimed_until = NULL WHERE id = %(id)s AND {_MINE}",
            {"at": time.time() + seconds, "error": error, "id": entry_id},
        )

    async def retry_later(self, delivery: Delivery, error: str, *, delay: float | None) -> None:
        attempts = delivery.attempts + 1
        values = {"attempts": attempts, "error": error, "id": delivery.id}
        if delay is None:
            await self._set(
                "UPDATE outbox SET state = 'failed', attempts = %(attempts)s, "
                "last_error = %(error)s, claimed_by = NULL, claimed_until = NULL "
                f"WHERE id = %(id)s AND {_MINE}",
                values,
            )
            return
        await self._set(
            "UPDATE outbox SET state = 'pending', attempts = %(attempts)s, not_before = %(at)s, "
            "last_error = %(error)s, claimed_by = NULL, claimed_until = NULL "
            f"WHERE id = %(id)s AND {_MINE}",
            {**values, "at": time.time() + delay},
        )

    async def drop(self, delivery: Delivery, error: str) -> None:
        """The chat is gone for good: stop this entry, the subscription, and its other entries."""

        async def work(conn: Connection) -> None:
            await conn.execute(
                "UPDATE subscriptions SET active = false WHERE id = %s",
                (delivery.subscription_id,),
            )
            await conn.execute(
                "UPDATE outbox SET state = 'dropped', last_error = %s "
                "WHERE subscription_id = %s AND state IN ('pending', 'sending')",
                (error, delivery.subscription_id),
            )

        await self._database.run(work)

    async def skip(self, entry_id: int, error: str) -> None:
        await self._set(
            "UPDATE outbox SET state = 'dropped', last_error = %(error)s, claimed_by = NULL, "
            f"claimed_until = NULL WHERE id = %(id)s AND {_MINE}",
            {"error": error, "id": entry_id},
        )

    async def retry_failed(self) -> int:
        async def work(conn: Connection) -> int:
            cursor = await conn.execute(
                "UPDATE outbox SET state = 'pending', attempts = 0, not_before = 0 "
                "WHERE state = 'failed'"
            )
            return cursor.rowcount

        return await self._database.run(work)

    async def stats(self, *, errors: int = 10) -> OutboxStats:
        counts = dict.fromkeys(STATES, 0)
        async with self._database.connection() as conn:
            for state, count in await tuples(
                conn, "SELECT state, count(*) FROM outbox GROUP BY state"
            ):
                counts[state] = count
            last = await tuples(
                conn,
                "SELECT o.id, s.platform, s.chat_id, o.last_error FROM outbox o "
                "JOIN subscriptions s ON s.id = o.subscription_id "
                "WHERE o.last_error IS NOT NULL AND o.state != 'sent' ORDER BY o.id DESC LIMIT %s",
                (errors,),
            )
        return OutboxStats(counts, [(row[0], row[1], row[2], row[3]) for row in last])

    async def _set(self, sql: str, params: dict[str, object]) -> None:
        async def work(conn: Connection) -> None:
            await conn.execute(sql, {"me": self.claimer, **params})  # type: ignore[arg-type]

        await self._database.run(work)
