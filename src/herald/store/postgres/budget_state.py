"""A token's shared send budget as the database keeps it: one function call per change.

The rules are `herald.push.send_windows`' (an overall window that counts each send from
its answer, a GCRA bucket per chat with one message in flight, a minute window per
group), computed once from the limits and handed to the SQL functions of migration V3,
which apply them under the token row's lock with the server's clock.  Each call is one
round trip on a connection of the budget's own: a send's turn never queues behind the
outbox's or the readers' statements for a pooled connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import psycopg

from herald.limits import SEND_LEASE_SECONDS, SHARED_BUDGET_REPLY_SHARE
from herald.push.pacing import ChatLimits
from herald.push.send_windows import EDGE_SECONDS, Window
from herald.store.postgres.database import CONNECT_TIMEOUT, Connection
from herald.store.postgres.faults import unavailable

_TAKE = (
    "SELECT granted, slot, chat_slot, taken, wait, blocker FROM send_budget_take("
    "%(budget)s, %(chat)s, %(group)s, %(reply)s, %(count)s, %(span)s, %(reserve)s,"
    " %(spacing)s, %(tolerance)s, %(interval)s, %(burst)s, %(group_count)s,"
    " %(group_span)s, %(lease)s, %(at)s)"
)
_RELEASE = "SELECT send_budget_release(%s, %s, %s, %s, %s, %s, %s)"
_PAUSE = "SELECT send_budget_pause(%s, %s, %s, %s)"
_FORGET = "SELECT send_budget_forget(%s, %s, %s)"


def _span(window: Window) -> float:
    return window.period + min(EDGE_SECONDS, window.period / 1000)


@dataclass(frozen=True, slots=True)
class Rules:
    """The limits in the shape the SQL functions take them."""

    count: int
    span: float
    reserve: int
    spacing: float
    interval: float
    burst: int
    group_interval: float
    group_count: int
    group_span: float

    @classmethod
    def of(cls, limits: ChatLimits, *, reply_share: float = SHARED_BUDGET_REPLY_SHARE) -> Rules:
        overall = Window(limits.per_second, 1.0)
        reserve = min(overall.count - 1, max(1, round(overall.count * reply_share)))
        per_minute = limits.per_group_per_minute
        group = Window(per_minute, 60.0) if per_minute else None
        return cls(
            count=overall.count,
            span=_span(overall),
            reserve=max(0, reserve),
            spacing=overall.period / (overall.count - max(0, reserve)),
            interval=1.0 / limits.per_chat_per_second,
            burst=max(1, limits.chat_burst),
            group_interval=60.0 / per_minute if per_minute else 1.0 / limits.per_chat_per_second,
            group_count=group.count if group is not None else 0,
            group_span=_span(group) if group is not None else 0.0,
        )

    def chat_interval(self, group: bool) -> float:
        return self.group_interval if group else self.interval


@dataclass(frozen=True, slots=True)
class Turn:
    """What the database said to one request for a turn."""

    granted: bool
    slot: int | None
    chat_slot: int | None
    taken: float | None
    """The provisional answer time the turn holds its entries with (its release names it)."""
    wait: float
    """Refused: seconds until the obstacle may be gone (as things stand)."""
    blocker: str | None
    """Refused: 'paused', 'overall' (the token's window), 'chat' or 'busy' (this chat)."""


class BudgetState:
    """One token's rows, through a connection of their own (made again when lost)."""

    def __init__(
        self,
        url: str,
        where: str,
        key: str,
        rules: Rules,
        *,
        lease: float = SEND_LEASE_SECONDS,
        server_time: Callable[[], float] | None = None,
    ) -> None:
        self._url = url
        self._where = where
        self.key = key
        self.rules = rules
        self.lease = lease
        self._server_time = server_time
        """Tests give the time the server should use; otherwise its own clock."""
        self._conn: Connection | None = None
        self._connecting = asyncio.Lock()

    def _at(self) -> float | None:
        return None if self._server_time is None else self._server_time()

    async def take(self, chat: str, *, group: bool, reply: bool) -> Turn:
        rules = self.rules
        params: dict[str, Any] = {
            "budget": self.key,
            "chat": chat,
            "group": group,
            "reply": reply,
            "count": rules.count,
            "span": rules.span,
            "reserve": rules.reserve,
            "spacing": rules.spacing,
            "tolerance": rules.spacing / 2,
            "interval": rules.chat_interval(group),
            "burst": rules.burst,
            "group_count": rules.group_count if group else 0,
            "group_span": rules.group_span,
            "lease": self.lease,
            "at": self._at(),
        }
        row = await self._one(_TAKE, params)
        granted, slot, chat_slot, taken, wait, blocker = row
        wait = float(wait) if wait is not None and math.isfinite(wait) else math.inf
        return Turn(bool(granted), slot, chat_slot, taken, max(0.0, wait), blocker)

    async def release(self, chat: str, turn: Turn, *, group: bool) -> None:
        interval = self.rules.chat_interval(group)
        params = (self.key, chat, turn.slot, turn.chat_slot, turn.taken, interval, self._at())
        await self._one(_RELEASE, params)

    async def pause(self, seconds: float) -> float:
        """Pause every replica; the seconds the pause now lasts (a longer one stays)."""
        row = await self._one(_PAUSE, (self.key, self.rules.count, seconds, self._at()))
        return float(row[0])

    async def forget_idle_chats(self) -> int:
        row = await self._one(_FORGET, (self.key, self.rules.group_span, self._at()))
        return int(row[0])

    async def _one(self, sql: str, params: Any) -> tuple[Any, ...]:
        """One statement's one row; a passing fault is `StoreUnavailable` (and the
        connection is made again next time)."""
        try:
            conn = await self._connection()
            cursor = await conn.execute(sql, params, prepare=True)
            row = await cursor.fetchone()
        except psycopg.Error as exc:
            await self._drop()
            fault = unavailable(exc, self._where)
            if fault is None:
                raise
            raise fault from exc
        assert row is not None
        return row

    async def _connection(self) -> Connection:
        async with self._connecting:
            if self._conn is None or self._conn.closed:
                self._conn = await psycopg.AsyncConnection.connect(
                    self._url,
                    autocommit=True,
                    connect_timeout=CONNECT_TIMEOUT,
                    application_name="herald-send-budget",
                )
            return self._conn

    async def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(psycopg.Error):  # already gone: nothing to release
                await conn.close()

    async def close(self) -> None:
        await self._drop()
