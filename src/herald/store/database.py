"""Open the SQLite file, bring its schema up to date, and hand out one connection.

Migrations are numbered SQL files (`migrations/V<n>__<name>.sql`) applied in order inside a
transaction each, tracked by `PRAGMA user_version`, so an old database file upgrades itself
on start and a newer one is refused instead of being damaged.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Self

import aiosqlite

_MIGRATION_NAME = re.compile(r"V(\d+)__[\w-]+\.sql")


class StoreError(Exception):
    """The database cannot be used (newer schema, unwritable path, corrupt file)."""


def migrations() -> list[tuple[int, str]]:
    folder = resources.files("herald.store") / "migrations"
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

    def __init__(self, connection: aiosqlite.Connection, path: Path) -> None:
        self.connection = connection
        self.path = path
        self._write_lock = asyncio.Lock()
        self.generation = 0
        """Bumped after every commit through `transaction()`: caches compare against it."""

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """The only way to write: one writer at a time on the shared connection.

        Every component (sync, dispatcher, readers saving a query) shares one connection, so
        without this a dispatcher's "sent" mark could land inside a sync transaction and be
        rolled back with it.
        """
        async with self._write_lock:
            await self.connection.execute("BEGIN IMMEDIATE")
            try:
                yield self.connection
            except BaseException:
                await self.connection.execute("ROLLBACK")
                raise
            await self.connection.execute("COMMIT")
            self.generation += 1

    async def version(self) -> tuple[int, int]:
        """Changes whenever anyone, this process or another, committed a change."""
        async with self.connection.execute("PRAGMA data_version") as cursor:
            row = await cursor.fetchone()
        return self.generation, int(row[0]) if row else 0

    @classmethod
    async def open(cls, path: Path) -> Database:
        if str(path) != ":memory:":
            path.parent.mkdir(parents=True, exist_ok=True)
        try:
            connection = await aiosqlite.connect(path, isolation_level=None)
        except Exception as exc:
            raise StoreError(f"{path}: cannot open database: {exc}") from None
        connection.row_factory = aiosqlite.Row
        database = cls(connection, path)
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
            "PRAGMA busy_timeout = 5000",
            "PRAGMA temp_store = MEMORY",
        ):
            try:
                await self.connection.execute(pragma)
            except aiosqlite.DatabaseError as exc:
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
