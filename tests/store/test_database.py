from pathlib import Path

import pytest

from herald.store.database import Database, StoreError, migrations


async def test_new_file_is_migrated_to_the_latest_schema_in_wal_mode(tmp_path: Path) -> None:
    async with await Database.open(tmp_path / "h.db") as db:
        assert await db.schema_version() == len(migrations())
        async with db.connection.execute("PRAGMA journal_mode") as cursor:
            assert (await cursor.fetchone())[0] == "wal"  # type: ignore[index]


async def test_reopening_keeps_data_and_does_not_migrate_again(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    async with await Database.open(path) as db:
        await db.connection.execute("INSERT INTO meta (key, value) VALUES ('x', 'kept')")
    async with (
        await Database.open(path) as db,
        db.connection.execute("SELECT value FROM meta WHERE key = 'x'") as cursor,
    ):
        assert (await cursor.fetchone())[0] == "kept"  # type: ignore[index]


async def test_a_newer_schema_is_refused_not_damaged(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    async with await Database.open(path) as db:
        await db.connection.execute("PRAGMA user_version = 999")
    with pytest.raises(StoreError, match="newer than this Herald"):
        await Database.open(path)


async def test_a_file_that_is_not_sqlite_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="not a usable SQLite database"):
        await Database.open(path)
