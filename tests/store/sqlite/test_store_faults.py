"""Faults that pass (issue 14, cases 2 and 3 at the store): SQLite's own errors become
`StoreUnavailable` with the real cause, and a writer waiting for a lock leaves readers be.

The full disk is SQLite's own: `PRAGMA max_page_count` on the connection that writes makes
SQLite refuse to grow the file with SQLITE_FULL, exactly as a full disk does (a pragma set
from another connection would not do: it is per connection).  The lock is a second, real
connection holding `BEGIN IMMEDIATE`.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from herald.core.ports import StoreUnavailable
from herald.store.sqlite.database import Database


async def _count(db: Database) -> int:
    async with db.connection.execute("SELECT count(*) FROM meta") as cursor:
        row = await cursor.fetchone()
    assert row is not None
    return int(row[0])


async def _page_count(db: Database) -> int:
    async with db.connection.execute("PRAGMA page_count") as cursor:
        row = await cursor.fetchone()
    assert row is not None
    return int(row[0])


async def _until(condition: Callable[[], bool], seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.01)


async def test_a_full_disk_is_store_unavailable_with_its_real_cause(tmp_path: Path) -> None:
    async with await Database.open(tmp_path / "h.db") as db:
        before = await _count(db)
        await db.connection.execute(f"PRAGMA max_page_count = {await _page_count(db)}")
        with pytest.raises(StoreUnavailable) as raised:
            async with db.transaction() as connection:
                await connection.execute(
                    "INSERT INTO meta (key, value) VALUES ('big', hex(randomblob(200000)))"
                )
        message = str(raised.value)
        assert "disk full" in message and "database or disk is full" in message
        assert "cannot rollback" not in message  # SQLite had rolled back by itself already
        assert not db.connection.in_transaction and await _count(db) == before
        await db.connection.execute("PRAGMA max_page_count = 1073741823")  # space freed
        async with db.transaction() as connection:
            await connection.execute("INSERT INTO meta (key, value) VALUES ('after', 'ok')")
        assert await _count(db) == before + 1


async def test_a_lock_held_past_the_busy_timeout_is_store_unavailable(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    async with await Database.open(path, busy_timeout=0.2) as db:
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(StoreUnavailable, match=r"locked by another process for over 0.2 s"):
                async with db.transaction() as connection:
                    await connection.execute("INSERT INTO meta (key, value) VALUES ('x', 'y')")
        finally:
            other.execute("ROLLBACK")
            other.close()
        async with db.transaction() as connection:  # the lock is gone: writes go through
            await connection.execute("INSERT INTO meta (key, value) VALUES ('x', 'y')")


async def test_a_writer_waiting_for_a_lock_does_not_hold_up_readers(tmp_path: Path) -> None:
    """SQLite's busy handler would wait inside the connection's one thread, and every read
    queued behind the writer would wait the whole busy timeout with it."""
    path = tmp_path / "h.db"
    async with await Database.open(path, busy_timeout=60.0) as db:
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")

        async def write() -> None:
            async with db.transaction() as connection:
                await connection.execute("INSERT INTO meta (key, value) VALUES ('w', 'v')")

        writer = asyncio.create_task(write())
        try:
            await _until(db._write_lock.locked)  # the writer is in, waiting for the lock
            for _ in range(20):
                await _count(db)
            assert not writer.done()  # every read was answered while the writer waited
        finally:
            other.execute("ROLLBACK")
            other.close()
        await asyncio.wait_for(writer, 30)
    with sqlite3.connect(path) as check:
        assert check.execute("SELECT value FROM meta WHERE key = 'w'").fetchone() == ("v",)


async def test_other_errors_stay_what_they_are(tmp_path: Path) -> None:
    async with await Database.open(tmp_path / "h.db") as db:
        await db.connection.execute("INSERT INTO meta (key, value) VALUES ('k', 'v')")
        with pytest.raises(sqlite3.IntegrityError):
            async with db.transaction() as connection:
                await connection.execute("INSERT INTO meta (key, value) VALUES ('k', 'again')")
        with pytest.raises(RuntimeError, match="a bug"):
            async with db.transaction():
                raise RuntimeError("a bug")
        assert not db.connection.in_transaction
