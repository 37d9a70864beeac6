"""Connect to PostgreSQL, bring its schema up to date, and hand out pooled connections.

Migrations are numbered SQL files (`migrations/V<n>__<name>.sql`), applied in order, each
in its own transaction with its row in `herald_migrations`, under an advisory lock so two
processes starting together do not both apply them; a database migrated by a newer Herald
is refused instead of being damaged.

Every statement goes through `connection()`, `transaction()` or `run()`, which turn the
faults that pass into `StoreUnavailable` (`faults.py`); `run` also retries a transaction
another one got in the way of (serialization failure, deadlock).  Connections come from a
psycopg pool that checks each one before lending it, so a server restart costs no request
more than the wait for the server.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from importlib import resources
from typing import Any, TypeVar

import psycopg
from psycopg.rows import TupleRow, class_row
from psycopg_pool import AsyncConnectionPool

from herald.core.ports import StoreError, StoreUnavailable
from herald.store.postgres.faults import RETRIED_STATES, redacted, unavailable

Connection = psycopg.AsyncConnection[TupleRow]
T = TypeVar("T")
log = logging.getLogger(__name__)

_MIGRATION_NAME = re.compile(r"V(\d+)__([\w-]+)\.sql")
_MIGRATION_LOCK = 0x68657261_6C640001
_INDEX_LOCK = 0x68657261_6C640002
"""Advisory lock keys ('herald' + n): schema changes; writes to the content index."""
POOL_SIZE = 8
CONNECT_TIMEOUT = 10
"""Seconds to wait for the server to answer a new connection."""
WAIT_FOR_CONNECTION = 5.0
"""Seconds a statement waits for a pooled connection before `StoreUnavailable` (SQLite's
busy timeout is 5 s too)."""
RETRIES = 4
"""Attempts of a transaction that met a serialization failure or a deadlock."""


def migrations() -> list[tuple[int, str, str]]:
    folder = resources.files("herald.store.postgres") / "migrations"
    found = []
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.fullmatch(entry.name)
        if match:
            found.append((int(match.group(1)), match.group(2), entry.read_text("utf-8")))
    found.sort()
    if [version for version, _, _ in found] != list(range(1, len(found) + 1)):
        raise StoreError("migrations must be numbered V1, V2, ... without gaps")
    return found


async def fetch(
    conn: Connection, row: type[T], sql: str, params: Sequence[Any] | dict[str, Any] = ()
) -> list[T]:
    """Rows as instances of `row` (a dataclass whose fields are the selected columns)."""
    async with conn.cursor(row_factory=class_row(row)) as cursor:
        await cursor.execute(sql, params)  # type: ignore[arg-type]
        return await cursor.fetchall()


async def tuples(
    conn: Connection,
    sql: str,
    params: Sequence[Any] | dict[str, Any] = (),
    *,
    prepare: bool | None = None,
) -> list[tuple[Any, ...]]:
    """`prepare=False` for a statement whose best plan depends on its values (a search:
    a rare word wants the GIN index, a common one the newest-first walk), which a
    prepared statement's generic plan would not know."""
    cursor = await conn.execute(sql, params, prepare=prepare)  # type: ignore[arg-type]
    return await cursor.fetchall()


async def scalar(conn: Connection, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
    """The first column of the first row, None if there is none."""
    cursor = await conn.execute(sql, params)  # type: ignore[arg-type]
    row = await cursor.fetchone()
    return None if row is None else row[0]


class Database:
    """A pool of connections to one Herald database: `await Database.open(url)`."""

    def __init__(self, pool: AsyncConnectionPool[Connection], url: str) -> None:
        self.pool = pool
        self.url = url
        self.where = redacted(url)
        """The database as log lines name it (never with its password)."""

    @classmethod
    async def open(cls, url: str, *, pool_size: int = POOL_SIZE) -> Database:
        """Connect, migrate and open the pool; a database that cannot be used is one line."""
        where = redacted(url)
        try:
            async with await psycopg.AsyncConnection.connect(
                url, autocommit=True, connect_timeout=CONNECT_TIMEOUT
            ) as conn:
                await _migrate(conn, where)
        except psycopg.Error as exc:
            fault = unavailable(exc, where)
            reason = str(fault) if fault is not None else f"{where}: {exc}".strip()
            raise StoreError(reason.splitlines()[0]) from None
        pool: AsyncConnectionPool[Connection] = AsyncConnectionPool(
            url,
            min_size=1,
            max_size=pool_size,
            kwargs={"autocommit": True, "connect_timeout": CONNECT_TIMEOUT},
            check=AsyncConnectionPool.check_connection,
            timeout=WAIT_FOR_CONNECTION,
            open=False,
            name="herald",
        )
        try:
            await pool.open(wait=True, timeout=CONNECT_TIMEOUT)
        except psycopg.Error as exc:
            await pool.close()
            raise StoreError(f"{where}: cannot open a connection pool ({exc})") from None
        return cls(pool, url)

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[Connection]:
        """A connection for reads (autocommit: each statement sees what is committed)."""
        try:
            async with self.pool.connection() as conn:
                yield conn
        except psycopg.Error as exc:
            raise self._fault(exc) from exc

    @asynccontextmanager
    async def transaction(
        self, *, reorders: bool = False, index: bool = False
    ) -> AsyncIterator[Connection]:
        """One transaction, committed when the block ends, rolled back if it raises.

        `index`: a write of the content index (a sync, publishing); those wait for each
        other, as SQLite's single writer does, so two syncs never interleave.  `reorders`:
        it may change which posts readers see or their order (every process's cached feed
        order is then looked up again).  A passing fault is `StoreUnavailable`."""
        try:
            async with self.pool.connection() as conn, conn.transaction():
                if index:
                    await conn.execute("SELECT pg_advisory_xact_lock(%s)", (_INDEX_LOCK,))
                yield conn
                if reorders:
                    await conn.execute("UPDATE feed_version SET n = n + 1")
        except psycopg.Error as exc:
            raise self._fault(exc) from exc

    async def run(
        self,
        work: Callable[[Connection], Awaitable[T]],
        *,
        reorders: bool = False,
        index: bool = False,
    ) -> T:
        """`work` in a transaction (see `transaction`), run again if another transaction
        got in its way (a serialization failure or a deadlock), up to `RETRIES` times."""
        for attempt in range(1, RETRIES + 1):
            try:
                async with self.transaction(reorders=reorders, index=index) as conn:
                    return await work(conn)
            except StoreUnavailable as fault:
                cause = fault.__cause__
                state = cause.sqlstate if isinstance(cause, psycopg.Error) else None
                if state not in RETRIED_STATES or attempt == RETRIES:
                    raise
                await asyncio.sleep(0.01 * 2**attempt)
        raise AssertionError("unreachable")

    async def feed_version(self) -> int:
        async with self.connection() as conn:
            return int(await scalar(conn, "SELECT n FROM feed_version"))

    def _fault(self, exc: psycopg.Error) -> BaseException:
        fault = unavailable(exc, self.where)
        return exc if fault is None else fault

    async def close(self) -> None:
        await self.pool.close()


async def _migrate(conn: Connection, where: str) -> None:
    await conn.execute(
        "CREATE TABLE IF NOT EXISTS herald_migrations (version integer PRIMARY KEY, "
        "name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"
    )
    known = migrations()
    await conn.execute("SELECT pg_advisory_lock(%s)", (_MIGRATION_LOCK,))
    try:
        current = int(await scalar(conn, "SELECT coalesce(max(version), 0) FROM herald_migrations"))
        if current > len(known):
            raise StoreError(
                f"{where}: database schema v{current} is newer than this Herald "
                f"(knows v{len(known)}); upgrade Herald or use another database"
            )
        for version, name, script in known[current:]:
            async with conn.transaction():
                await conn.execute(script.encode())
                await conn.execute(
                    "INSERT INTO herald_migrations (version, name) VALUES (%s, %s)",
                    (version, name),
                )
            log.info("%s: migrated to schema v%d (%s)", where, version, name)
    finally:
        await conn.execute("SELECT pg_advisory_unlock(%s)", (_MIGRATION_LOCK,))


async def schema_version(conn: Connection) -> int:
    return int(await scalar(conn, "SELECT coalesce(max(version), 0) FROM herald_migrations"))
