"""V12 (issue 17): a store indexed with the old tokens (where `LoRA微调` was one token) is
searched the new way after the upgrade: the index starts again with prefix indexes, and
the next sync reads every file once to fill it."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from herald.indexing.sync import sync
from herald.store.sqlite import open_store
from tests.conftest import WritePost

NOW = 1_900_000_000


def _as_an_older_herald_left_it(path: Path) -> None:
    """Version 11: the V1 index with a row tokenised the old way, the old index format."""
    old = sqlite3.connect(path, isolation_level=None)
    old.executescript(
        "DROP TABLE posts_fts;"
        "CREATE VIRTUAL TABLE posts_fts USING fts5 (title, tags, body,"
        " tokenize = 'unicode61 remove_diacritics 2');"
        "INSERT INTO posts_fts (rowid, title, tags, body) SELECT id, title, '',"
        " '我们 们用 用LoRA微调 调模 模型 FlashAttention' FROM posts;"
        "PRAGMA user_version = 11;"
    )
    (render,) = old.execute("SELECT value FROM meta WHERE key = 'render'").fetchone()
    settings = json.loads(render)
    settings["index"] = "source-2+" + settings["index"].partition("+")[2].partition("+")[2]
    old.execute("UPDATE meta SET value = ? WHERE key = 'render'", (json.dumps(settings),))
    old.close()


async def test_an_old_index_is_rebuilt_and_finds_mixed_terms(
    tmp_path: Path, content_dir: Path, write_post: WritePost
) -> None:
    path = tmp_path / "herald.db"
    write_post("p.md", "我们用LoRA微调模型 with FlashAttention.", title="P", date="2025-01-01")
    store = await open_store(path, excerpt_chars=350)
    await sync(store.index, content_dir, excerpt_chars=350, now=NOW)
    await store.close()
    _as_an_older_herald_left_it(path)

    store = await open_store(path, excerpt_chars=350)
    try:
        report = await sync(store.index, content_dir, excerpt_chars=350, now=NOW)
        assert report.updated == ["p.md"]  # read again, though the file did not change
        for query in ("LoRA微调", "lora 微调", "flash"):
            found = await store.posts.search(query, now=NOW, offset=0, limit=5)
            assert found is not None and [p.title for p in found.items] == ["P"], query
    finally:
        await store.close()
    schema = (
        sqlite3.connect(path)
        .execute("SELECT sql FROM sqlite_master WHERE name = 'posts_fts'")
        .fetchone()
    )
    assert "prefix = '3 4 5'" in schema[0]
