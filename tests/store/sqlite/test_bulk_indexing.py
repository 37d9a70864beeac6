"""SQLite's bulk load: a large sync indexes in large FTS5 merges, then restores defaults."""

from pathlib import Path

import pytest

from herald.indexing.sync import sync
from herald.store.sqlite import SqliteStore
from tests.conftest import WritePost

NOW = 1_900_000_000


async def test_a_bulk_sync_indexes_in_large_merges_and_restores_the_index_defaults(
    store: SqliteStore, content_dir: Path, write_post: WritePost, monkeypatch: pytest.MonkeyPatch
) -> None:
    import herald.indexing.sync as sync_module

    monkeypatch.setattr(sync_module, "BULK_INDEXING_THRESHOLD", 10)
    for i in range(12):
        write_post(f"{i:02}.md", f"第 {i} 篇，关于梯度检查点。", title=f"T{i}", date="2025-01-01")
    report = await sync(store.index, content_dir, excerpt_chars=350, now=NOW)
    assert len(report.added) == 12
    found = await store.posts.search("检查点", now=NOW, offset=0, limit=20)
    assert found is not None and found.total == 12
    async with store.database.connection.execute(
        "SELECT k, v FROM posts_fts_config WHERE k IN ('hashsize', 'automerge')"
    ) as cursor:
        settings = {row[0]: row[1] for row in await cursor.fetchall()}
    assert settings == {"hashsize": 1024 * 1024, "automerge": 4}
    async with store.database.connection.execute(
        "INSERT INTO posts_fts (posts_fts, rank) VALUES ('integrity-check', 1)"
    ):
        pass  # raises if the index does not match its content
