"""Content sync by one replica at a time: a PostgreSQL session advisory lock.

Every replica may try; the one whose connection holds the lock leads (watches the folder,
syncs, publishes what is due), the others wait and try again every `retry_every`
seconds.  The lock lives on a connection of its own, so it ends with its holder however
that ends:

* the leader's process dies (SIGKILL, OOM, a crash): the kernel closes its socket, the
  server ends the session and the lock is free at once;
* the leader's process freezes (SIGSTOP, a stuck VM) or its host vanishes: its session
  idles out (`idle_session_timeout`) or its TCP keepalives fail, and the lock is free
  after about `IDLE_TIMEOUT` seconds;
* the server restarts or the connection is cut: the leader's next check fails and it
  stops leading at once.

A leader checks its connection (`still_leading`) more often than `IDLE_TIMEOUT`, which also
keeps its session from idling out, and stops syncing as soon as it says no.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from types import TracebackType
from typing import Self

import psycopg
from psycopg.conninfo import make_conninfo

from herald.store.postgres.database import CONNECT_TIMEOUT, Connection, scalar
from herald.store.postgres.faults import redacted

SYNC_LOCK = 0x68657261_6C640004
"""Advisory lock key ('herald' + 4): the sync leader (1, 2: database.py; 3 was the lock of
the one serving process, before replicas)."""
IDLE_TIMEOUT = 15
"""Seconds after which the server ends a leader's session that stopped talking."""
_KEEPALIVES = {"keepalives": 1, "keepalives_idle": 5, "keepalives_interval": 2}
"""With libpq's `keepalives_count`, a host that vanished (no FIN ever arrives) is noticed
after about 11 s."""
log = logging.getLogger(__name__)


def _line(exc: BaseException) -> str:
    """The driver's first line (libpq adds lines of advice)."""
    return next(iter(str(exc).strip().splitlines()), type(exc).__name__)


class Leadership:
    """One replica's claim to lead: `async with Leadership(url) as lead: ...`."""

    def __init__(self, url: str, *, key: int = SYNC_LOCK, idle_timeout: int = IDLE_TIMEOUT):
        self._url = url
        self._key = key
        self._idle_timeout = idle_timeout
        self._where = redacted(url)
        self._conn: Connection | None = None
        self._unreachable = False
        """Said once per outage: a follower tries every few seconds."""
        self.leading = False

    async def try_lead(self) -> bool:
        """Lead if nobody does; True while this replica leads.  A connection that cannot be
        made or is lost means not leading (and it is made again on the next try)."""
        if self.leading:
            return await self.still_leading()
        try:
            if self._conn is None or self._conn.closed:
                self._conn = await psycopg.AsyncConnection.connect(
                    make_conninfo(self._url, keepalives_count=3, **_KEEPALIVES),
                    autocommit=True,
                    connect_timeout=CONNECT_TIMEOUT,
                    application_name="herald-leader",
                )
                await self._conn.execute(
                    f"SET idle_session_timeout = '{int(self._idle_timeout)}s'".encode()
                )
            self.leading = bool(
                await scalar(self._conn, "SELECT pg_try_advisory_lock(%s)", (self._key,))
            )
            self._unreachable = False
        except psycopg.Error as exc:
            level = logging.DEBUG if self._unreachable else logging.WARNING
            log.log(level, "%s: cannot try to lead the sync: %s", self._where, _line(exc))
            self._unreachable = True
            await self._drop()
        return self.leading

    async def still_leading(self) -> bool:
        """Whether the lock is still ours: the connection answers (a lost session took the
        lock with it)."""
        if not self.leading or self._conn is None:
            return False
        try:
            await self._conn.execute("SELECT 1")
        except psycopg.Error as exc:
            log.warning("%s: lost the sync leadership: %s", self._where, _line(exc))
            await self._drop()
        return self.leading

    async def wait_to_lead(self, stop: asyncio.Event, *, retry_every: float = 2.0) -> bool:
        """Try until this replica leads (True) or `stop` is set (False)."""
        while not stop.is_set():
            if await self.try_lead():
                return True
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), retry_every)
        return False

    async def _drop(self) -> None:
        self.leading = False
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                await conn.close()
            except psycopg.Error as exc:  # already gone: nothing left to release
                log.debug("%s: closing the leader connection: %s", self._where, _line(exc))

    async def close(self) -> None:
        """Stop leading (the lock goes with the session)."""
        await self._drop()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()
