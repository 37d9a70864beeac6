"""Open the SQLite file, bring its schema up to date, and hand out one connection.

Migrations are numbered SQL files (`migrations/V<n>__<name>.sql`) applied in order inside a
transaction each, tracked by `PRAGMA user_version`, so an old database file upgrades itself
on start and a newer one is refused instead of being damaged.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Self

import aiosqlite

from herald.core.actions import tag_ref
from herald.core.ports import StoreError
from herald.store.sqlite.faults import is_busy, unavailable

_MIGRATION_NAME = re.compile(r"V(\d+)__[\w-]+\.sql")
log = logging.getLogger(__name__)
BUSY_TIMEOUT = 5.0
"""Seconds a statement waits for another process's lock before giving up."""
_FIRST_BUSY_PAUSE = 0.002
_LAST_BUSY_PAUSE = 0.1
"""How often a waiting writer looks again: soon at first, every 100 ms at most."""


def migrations() -> list[tuple[int, str]]:
    folder = resources.files("herald.store.sqlite") / "migrations"
    found = []
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.fullmatch(entry.name)
        if match:
            found.append((int(match.group(1)), entry.read_text(encoding="utf-8")))
    found.sort()
    if [version for version, _ in found] != list(range(1, len(found) + 1)):
        raise StoreError("migrations must be numbered V1, V2, ... without gaps")
    return found


class Database:
    """An open Herald database: `async with Database.open(path) as db: ...`."""

    def __init__(
        self, connection: aiosqlite.Connection, path: Path, *, busy_timeout: float = BUSY_TIMEOUT
    ) -> None:
        self.connection = connection
        self.path = path
        self.busy_timeout = busy_timeout
        """Seconds a write waits for another process's lock before `StoreUnavailable`."""
        self._write_lock = asyncio.Lock()
        self.generation = 0
        """Bumped after every commit through `transaction()` that may change which posts
        readers see or their order: the feed caches compare against it."""

    @asynccontextmanager
    async def transaction(
        self, *, bulk_load: bool = False, reorders: bool = True
    ) -> AsyncIterator[aiosqlite.Connection]:
        """The only way to write: one writer at a time on the shared connection.

        Every component (sync, dispatcher, readers saving a query) shares one connection, so
        without this a dispatcher's "sent" mark could land inside a sync transaction and be
        rolled back with it.

        A fault that passes (disk full, locked past the busy timeout, I/O error, read-only)
        is raised as `StoreUnavailable`, from BEGIN, any statement inside or COMMIT alike,
        with SQLite's own words: SQLite rolls some of them back by itself, and the ROLLBACK
        that follows must not replace the cause with "cannot rollback - no transaction is
        active".  Waiting for another process's write lock happens here, on the event loop,
        not in SQLite's busy handler: that would hold the connection's one thread, and every
        reader queued behind it, for the whole busy timeout.

        `bulk_load` is for filling an empty store with a large first sync.  Through the
        WAL every page of it would be written twice, into the WAL and then into the file by
        the checkpoint that follows the commit; with a rollback journal, pages appended to
        the file need no journal at all, so it is written once.  At 100k posts the sync
        took 98 s instead of 109 s, its tail after the last parsed batch 0.8 s instead of
        6.0 s.  The journal mode can only change while no other connection has the file
        open; if one does, this is an ordinary WAL transaction.  The commit syncs fully
        (`synchronous = FULL`), as NORMAL is only crash-safe with the WAL.

        `reorders=False` promises the transaction changes no post's visibility or order
        (storing rendered excerpts): this process's feed caches then stay valid.
        """
        async with self._write_lock:
            direct = bulk_load and await self._leave_wal()
            try:
                await self._begin()
                try:
                    yield self.connection
                except BaseException as exc:
                    await self._rollback()
                    if (fault := unavailable(exc, self.path)) is None:
                        raise
                    raise fault from exc
                try:
                    await self.connection.execute("COMMIT")
                except sqlite3.Error as exc:
                    await self._rollback()
                    if (fault := unavailable(exc, self.path)) is None:
                        raise
                    raise fault from exc
                if reorders:
                    self.generation += 1
            finally:
                if direct:
                    await self._enter_wal()

    async def _begin(self) -> None:
        """BEGIN IMMEDIATE, waiting up to the busy timeout for another process's write lock
        without blocking this connection's readers (see `transaction`)."""
        deadline = time.monotonic() + self.busy_timeout
        pause = _FIRST_BUSY_PAUSE
        await self.connection.execute("PRAGMA busy_timeout = 0")
        try:
            while True:
                try:
                    await self.connection.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.Error as exc:
                    if not is_busy(exc) or time.monotonic() >= deadline:
                        fault = unavailable(exc, self.path, waited=self.busy_timeout)
                        if fault is None:
                            raise
                        raise fault from exc
                await asyncio.sleep(min(pause, max(0.0, deadline - time.monotonic())))
                pause = min(pause * 2, _LAST_BUSY_PAUSE)
        finally:
            await self.connection.execute(f"PRAGMA busy_timeout = {self._busy_timeout_ms}")

    async def _rollback(self) -> None:
        """Undo what is left of a failed transaction; SQLite may have undone it already."""
        if not self.connection.in_transaction:
            return
        try:
            await self.connection.execute("ROLLBACK")
        except sqlite3.Error as exc:  # the first error is the one worth reporting
            log.debug("%s: rollback after a failed transaction: %s", self.path, exc)

    async def _leave_wal(self) -> bool:
        """Switch to a rollback journal if this is the only connection; never waits."""
        await self.connection.execute("PRAGMA busy_timeout = 0")
        try:
            async with self.connection.execute("PRAGMA journal_mode = TRUNCATE") as cursor:
                row = await cursor.fetchone()
        except aiosqlite.OperationalError:  # "database is locked": another connection
            return False
        finally:
            await self.connection.execute(f"PRAGMA busy_timeout = {self._busy_timeout_ms}")
        if row is None or row[0] != "truncate":  # ":memory:" has no journal to change
            return False
        await self.connection.execute("PRAGMA synchronous = FULL")
        return True

    async def _enter_wal(self) -> None:
        try:
            await self.connection.execute("PRAGMA journal_mode = WAL")
        except aiosqlite.OperationalError as exc:  # a process that opened it meanwhile reads
            log.warning(
                "%s: still in rollback-journal mode after a bulk load (%s); "
                "the next start switches it back to WAL",
                self.path,
                exc,
            )
            return
        await self.connection.execute("PRAGMA synchronous = NORMAL")

    async def version(self) -> tuple[int, int]:
        """Changes whenever anyone, this process or another, committed a change."""
        async with self.connection.execute("PRAGMA data_version") as cursor:
            row = await cursor.fetchone()
        return self.generation, int(row[0]) if row else 0

    @property
    def _busy_timeout_ms(self) -> int:
        return round(self.busy_timeout * 1000)

    @classmethod
    async def open(cls, path: Path, *, busy_timeout: float = BUSY_TIMEOUT) -> Database:
        """Open, configure and migrate; `busy_timeout` as in `Database.busy_timeout`."""
        if str(path) != ":memory:":
            path.parent.mkdir(parents=True, exist_ok=True)
        try:
            connection = await aiosqlite.connect(path, isolation_level=None)
        except Exception as exc:
            raise StoreError(f"{path}: cannot open database: {exc}") from None
        connection.row_factory = aiosqlite.Row
        # Migrations compute what Python computes for new rows (V8: tag refs).
        await connection.create_function("herald_tag_ref", 1, tag_ref, deterministic=True)
        database = cls(connection, path, busy_timeout=busy_timeout)
        try:
            await database._configure()
            await database._migrate()
        except BaseException:
            await connection.close()
            raise
        return database

    async def _configure(self) -> None:
        for pragma in (
            "PRAGMA journal_mode = WAL",
            "PRAGMA synchronous = NORMAL",
            "PRAGMA foreign_keys = ON",
            f"PRAGMA busy_timeout = {self._busy_timeout_ms}",
            "PRAGMA temp_store = MEMORY",
        ):
            try:
                await self.connection.execute(pragma)
            except aiosqlite.DatabaseError as exc:
                if "locked" in str(exc):  # see `transaction(bulk_load=True)`
                    raise StoreError(
                        f"{self.path}: busy, another process is loading it for the first "
                        "time; try again once its sync is done"
                    ) from None
                raise StoreError(f"{self.path}: not a usable SQLite database ({exc})") from None

    async def schema_version(self) -> int:
        async with self.connection.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def _migrate(self) -> None:
        current = await self.schema_version()
        known = migrations()
        if current > len(known):
            raise StoreError(
                f"{self.path}: database schema v{current} is newer than this Herald "
                f"(knows v{len(known)}); upgrade Herald or use another --db"
            )
        for version, script in known[current:]:
            # executescript commits first; wrap the migration and the version bump together.
            await self.connection.executescript(
                f"BEGIN;\n{script}\nPRAGMA user_version = {version};\nCOMMIT;"
            )

    async def close(self) -> None:
        await self.connection.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()
