import sqlite3
from pathlib import Path

import pytest

from herald.core.ports import StoreError
from herald.store.sqlite.database import Database, migrations


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


async def _pragma(db: Database, name: str) -> object:
    async with db.connection.execute(f"PRAGMA {name}") as cursor:
        row = await cursor.fetchone()
    assert row is not None
    return row[0]


async def test_a_bulk_load_is_written_into_the_file_not_the_wal_then_wal_resumes(
    tmp_path: Path,
) -> None:
    path = tmp_path / "h.db"
    wal = tmp_path / "h.db-wal"
    rows = [(f"k{i}", "值" * 500) for i in range(2000)]  # ~3 MB: more than the page cache
    async with await Database.open(path) as db:
        async with db.transaction(bulk_load=True) as connection:
            assert await _pragma(db, "journal_mode") == "truncate"
            await connection.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", rows)
        assert not wal.exists() or wal.stat().st_size == 0
        assert (await _pragma(db, "journal_mode"), await _pragma(db, "synchronous")) == ("wal", 1)
        async with db.transaction() as connection:  # an ordinary write goes through the WAL
            await connection.execute("INSERT INTO meta (key, value) VALUES ('after', 'x')")
        assert wal.stat().st_size > 0
    with sqlite3.connect(path) as other:
        assert other.execute("SELECT count(*) FROM meta WHERE key LIKE 'k%'").fetchone() == (2000,)


async def test_a_failed_bulk_load_leaves_nothing_and_returns_to_wal(tmp_path: Path) -> None:
    async with await Database.open(tmp_path / "h.db") as db:
        with pytest.raises(RuntimeError):
            async with db.transaction(bulk_load=True) as connection:
                await connection.execute("INSERT INTO meta (key, value) VALUES ('x', 'y')")
                raise RuntimeError("parser crashed")
        assert await _pragma(db, "journal_mode") == "wal"
        async with db.connection.execute("SELECT count(*) FROM meta WHERE key = 'x'") as cursor:
            assert tuple(await cursor.fetchone() or ()) == (0,)


async def test_a_bulk_load_beside_another_open_connection_stays_in_wal(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    async with await Database.open(path) as db:
        with sqlite3.connect(path) as other:
            other.execute("SELECT count(*) FROM meta").fetchone()
            async with db.transaction(bulk_load=True) as connection:
                assert await _pragma(db, "journal_mode") == "wal"
                await connection.execute("INSERT INTO meta (key, value) VALUES ('x', 'y')")
            assert other.execute("SELECT value FROM meta WHERE key = 'x'").fetchone() == ("y",)


async def test_opening_a_store_during_another_process_bulk_load_is_a_clear_error(
    tmp_path: Path,
) -> None:
    path = tmp_path / "h.db"
    async with await Database.open(path) as db, db.transaction(bulk_load=True) as connection:
        await connection.execute("INSERT INTO meta (key, value) VALUES ('x', 'y')")
        with pytest.raises(StoreError, match="busy, another process is loading it"):
            await Database.open(path)


async def test_a_v6_store_keeps_its_posts_and_excerpts_when_excerpts_become_optional(
    tmp_path: Path,
) -> None:
    path = tmp_path / "h.db"
    old = sqlite3.connect(path, isolation_level=None)
    old.execute("PRAGMA foreign_keys = ON")
    for version, script in migrations()[:6]:
        old.executescript(f"BEGIN;\n{script}\nPRAGMA user_version = {version};\nCOMMIT;")
    old.execute(
        "INSERT INTO posts (id, path, slug, link_key, title, date, tags, excerpt, lang, draft, "
        "body) VALUES (1, 'p.md', 'p', 'k', 'P', 0, '[\"LLM\"]', '卡片', 'zh', 0, '正文')"
    )
    old.execute("INSERT INTO post_tags (post_id, tag, tag_key) VALUES (1, 'LLM', 'llm')")
    old.close()
    async with await Database.open(path) as db:
        assert await db.schema_version() == len(migrations()) >= 7
        async with db.transaction() as connection:
            await connection.execute(
                "INSERT INTO posts (id, path, slug, link_key, title, date, tags, lang, draft, "
                "body) VALUES (2, 'q.md', 'q', 'k2', 'Q', 0, '[]', 'zh', 0, '正文')"
            )
        async with db.connection.execute("SELECT id, excerpt FROM posts ORDER BY id") as cursor:
            assert [tuple(row) for row in await cursor.fetchall()] == [(1, "卡片"), (2, None)]
        async with db.connection.execute("PRAGMA foreign_key_check") as cursor:
            assert await cursor.fetchall() == []
        async with db.connection.execute("SELECT post_id FROM post_tags") as cursor:
            assert [row[0] for row in await cursor.fetchall()] == [1]
