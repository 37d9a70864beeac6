"""V10 rebuilds `subscriptions` (a topic joins the key) and the outbox that refers to it: a
store from before keeps every subscription, its id, and every outbox entry in its state."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from herald.core.records import PushOptions
from herald.store.sqlite import Database, open_store
from herald.store.sqlite.database import migrations


def _v9_store(path: Path) -> None:
    old = sqlite3.connect(path, isolation_level=None)
    old.execute("PRAGMA foreign_keys = ON")
    old.create_function("herald_tag_ref", 1, lambda key: key, deterministic=True)
    for version, script in migrations()[:9]:
        old.executescript(f"BEGIN;\n{script}\nPRAGMA user_version = {version};\nCOMMIT;")
    old.execute(
        "INSERT INTO posts (id, path, slug, link_key, title, date, tags, lang, draft, body) "
        "VALUES (1, 'p.md', 'p', 'p', 'P', 0, '[]', 'en', 0, 'x')"
    )
    old.execute(
        "INSERT INTO subscriptions (id, platform, chat_id, tags, language, active, created_at) "
        "VALUES (5, 'telegram', '-100', '[\"llm\"]', 'zh', 1, 0), "
        "(9, 'discord', '42', '[]', NULL, 0, 0)"
    )
    old.execute(
        "INSERT INTO outbox (id, post_id, subscription_id, state, attempts, created_at) "
        "VALUES (3, 1, 5, 'pending', 2, 0), (4, 1, 9, 'sent', 1, 0)"
    )
    old.close()


async def test_a_v9_store_keeps_its_subscriptions_and_outbox(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    _v9_store(path)
    store = await open_store(path, excerpt_chars=350)
    try:
        kept = await store.subscriptions.get("telegram", "-100")
        gone = await store.subscriptions.get("discord", "42")
        assert kept is not None and (kept.id, kept.tags, kept.language) == (5, ("llm",), "zh")
        assert kept.topic is None and kept.options == PushOptions()
        assert gone is not None and gone.id == 9 and not gone.active
        [delivery] = await store.outbox.claim("telegram", limit=10, now=2**40)
        assert (delivery.id, delivery.subscription_id, delivery.attempts) == (3, 5, 2)
        assert (await store.outbox.stats()).counts["sent"] == 1
        # the same chat can now have a topic's subscription beside its own
        topic = await store.subscriptions.subscribe("telegram", "-100", topic="7")
        assert topic.id not in (5, 9)
    finally:
        await store.close()


async def test_the_rebuilt_outbox_still_follows_its_subscriptions_and_posts(
    tmp_path: Path,
) -> None:
    path = tmp_path / "h.db"
    _v9_store(path)
    async with await Database.open(path) as db:
        async with db.connection.execute("PRAGMA foreign_key_check") as cursor:
            assert await cursor.fetchall() == []
        async with db.connection.execute(
            "SELECT name FROM sqlite_master WHERE name LIKE '%v9%' OR name LIKE '%v10%'"
        ) as cursor:
            assert await cursor.fetchall() == []  # no table left behind
        async with db.transaction() as connection:
            await connection.execute("DELETE FROM subscriptions WHERE id = 9")
        async with db.connection.execute("SELECT id FROM outbox ORDER BY id") as cursor:
            assert [row[0] for row in await cursor.fetchall()] == [3]  # cascaded
        async with db.transaction() as connection:
            await connection.execute("DELETE FROM posts WHERE id = 1")
        async with db.connection.execute("SELECT count(*) FROM outbox") as cursor:
            assert (await cursor.fetchone())[0] == 0  # type: ignore[index]
