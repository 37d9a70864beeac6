"""`herald migrate`: a SQLite store copied into PostgreSQL serves exactly as it did.

A real store is made on SQLite by real syncs (a removed post, an alias, tags), with
subscriptions (a topic, options), preferences, a reading list and an outbox in several
states; the command copies it; the PostgreSQL store then answers every port as SQLite did,
and its next sync reads nothing again and announces nothing twice.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from herald.core.ports import Store
from herald.core.records import PushOptions
from herald.indexing.sync import sync
from herald.store import open_store
from tests.conftest import WritePost

NOW = 1_900_000_000
LATER = 2**40


async def _herald(*args: str) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "herald",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await process.communicate()
    return process.returncode or 0, out.decode()


async def _fill(store: Store, content: Path, write_post: WritePost) -> None:
    write_post("a.md", "梯度检查点 saves memory.", title="Alpha", date="2025-01-01", tags=["ML"])
    write_post("gone.md", "soon removed", title="Gone", date="2025-01-02")
    await sync(store.index, content, excerpt_chars=350, now=NOW)  # the silent first sync
    await store.subscriptions.subscribe("telegram", "1", ("ml",), "en")
    await store.subscriptions.subscribe("telegram", "-100", topic="7")
    await store.subscriptions.set_options(
        "telegram", "-100", PushOptions(silent=True, mode="title"), topic="7"
    )
    await store.subscriptions.subscribe("discord", "2")
    await store.preferences.set_language("telegram", "42", "zh")
    await store.preferences.set_reading_list("telegram", "1", "tag:ml:0")
    (content / "gone.md").unlink()
    write_post("b.md", "LoRA 微调", title="Beta", date="2025-01-03", tags=["ml"], slug="beta")
    await sync(store.index, content, excerpt_chars=350, now=NOW)
    [in_flight] = await store.outbox.claim("discord", limit=1, now=LATER)
    sent, waiting = await store.outbox.claim("telegram", limit=5, now=LATER)
    await store.outbox.mark_sent(sent.id)
    await store.outbox.retry_later(waiting, "502", delay=None)
    assert in_flight.chat_id == "2"


async def _view(store: Store) -> dict[str, object]:
    """What readers, subscribers and the dispatcher see of a store."""
    latest = await store.posts.latest(now=NOW, offset=0, limit=10)
    found = await store.posts.search("检查", now=NOW, offset=0, limit=10)
    beta = await store.posts.by_slug("beta", now=NOW)
    return {
        "latest": [(p.id, p.slug, p.title, p.tags, p.excerpt) for p in latest.items],
        "search": found and [p.id for p in found.items],
        "tags": await store.posts.tags(now=NOW),
        "beta": beta and (beta.summary.id, beta.body),
        "topic": await store.subscriptions.get("telegram", "-100", topic="7"),
        "tagged": await store.subscriptions.get("telegram", "1"),
        "language": await store.preferences.language("telegram", "42"),
        "list": await store.preferences.reading_list("telegram", "1"),
        "outbox": (await store.outbox.stats()).counts,
        "failures": await store.index.failures(),
    }


async def test_a_sqlite_store_copied_into_postgres_serves_the_same(
    tmp_path: Path, content_dir: Path, write_post: WritePost, postgres_url: str
) -> None:
    db = tmp_path / "herald.db"
    sqlite = await open_store(db, excerpt_chars=350)
    try:
        await _fill(sqlite, content_dir, write_post)
        before = await _view(sqlite)
    finally:
        await sqlite.close()
    status, out = await _herald("migrate", "--from", f"sqlite://{db}", "--to", postgres_url)
    assert status == 0, out
    assert "4 posts" not in out and "3 posts" in out  # Alpha, Beta and Gone's tombstone
    store = await open_store(postgres_url, excerpt_chars=350)
    try:
        after = await _view(store)
        counts = dict(before["outbox"])  # type: ignore[call-overload]
        counts["pending"] += counts.pop("sending")  # in flight: recovered, as a restart does
        counts["sending"] = 0
        assert after == {**before, "outbox": counts}
        # The copy goes on where SQLite left off: nothing read again, nothing re-announced.
        report = await sync(store.index, content_dir, excerpt_chars=350, now=NOW)
        assert (report.parsed, report.unchanged, report.added) == (0, 2, [])
        write_post("gone.md", "back", title="Gone", date="2025-01-02")
        await sync(store.index, content_dir, excerpt_chars=350, now=NOW)
        assert (await store.outbox.stats()).counts["pending"] == counts["pending"]
        redelivered = await store.outbox.claim("discord", limit=5, now=LATER)
        assert [d.chat_id for d in redelivered] == ["2"]
        assert (await store.subscriptions.subscribe("slack", "3")).id > 3  # ids go on
    finally:
        await store.close()
    status, out = await _herald("migrate", "--from", f"sqlite://{db}", "--to", postgres_url)
    assert status == 2 and out.strip().endswith("copies into an empty database"), out
    assert len(out.strip().splitlines()) == 1


async def test_a_wrong_migration_is_one_line_that_never_shows_the_password(
    tmp_path: Path, postgres: object
) -> None:
    missing = tmp_path / "none.db"
    status, out = await _herald(
        "migrate", "--from", f"sqlite://{missing}", "--to", "postgresql://u:hunter2@x/db"
    )
    assert (status, out.strip()) == (2, f"Error: {missing}: no SQLite store there to copy")
    db = tmp_path / "herald.db"
    await (await open_store(db, excerpt_chars=350)).close()  # an empty store
    status, out = await _herald(
        "migrate", "--from", f"sqlite://{db}", "--to", "postgresql://u:hunter2@127.0.0.1:1/db"
    )
    assert status == 2 and len(out.strip().splitlines()) == 1, out
    assert "hunter2" not in out and "cannot reach the database" in out
