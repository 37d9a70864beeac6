"""One serving process per PostgreSQL store: a session advisory lock, held on a connection
of its own for as long as the service runs.

The reason is SQLite's (`herald.store.sqlite.owner`): a second `herald run` would deliver
too, and its start-up recovery would put the first one's in-flight deliveries back in the
queue.  The lock belongs to the connection, so it goes with the process however that
ends: a SIGKILLed service's backend sees its socket close and lets go at once.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import psycopg

from herald.core.ports import StoreError
from herald.store.postgres.database import CONNECT_TIMEOUT, scalar
from herald.store.postgres.faults import redacted, unavailable

OWNER_LOCK = 0x68657261_6C640003
"""Advisory lock key ('herald' + 3): the serving process (1 and 2 are in database.py)."""


@contextlib.asynccontextmanager
async def sole_owner(url: str) -> AsyncIterator[None]:
    """Hold the store's owner lock for the block, or raise `StoreError` at once."""
    where = redacted(url)
    try:
        conn = await psycopg.AsyncConnection.connect(
            url, autocommit=True, connect_timeout=CONNECT_TIMEOUT, application_name="herald-owner"
        )
    except psycopg.Error as exc:
        fault = unavailable(exc, where)
        raise StoreError(str(fault) if fault else f"{where}: {exc}".splitlines()[0]) from None
    async with conn:
        if not await scalar(conn, "SELECT pg_try_advisory_lock(%s)", (OWNER_LOCK,)):
            holder = await scalar(
                conn,
                "SELECT a.client_addr::text || ' pid ' || l.pid FROM pg_locks l "
                "LEFT JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' "
                "AND l.granted AND ((l.classid::bigint << 32) | l.objid::bigint) = %s",
                (OWNER_LOCK,),
            )
            who = f" (server backend {holder})" if holder else ""
            raise StoreError(
                f"{where} is already served by another herald{who}; stop it first "
                "or use another database"
            )
        yield
