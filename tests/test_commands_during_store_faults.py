"""Issue 14: a command that writes while the store refuses writes gets a polite reply.

`/subscribe`, `/unsubscribe`, `/language` and a new `/search` write; while another process
holds the write lock past the busy timeout (a real second SQLite connection, the store
opened with a short timeout so it gives up at once) the reader is told to try again in a
minute instead of getting a traceback.  Remembering the list a command showed is
best-effort: the list is still shown.  On 494c7a0 each of these raised "database is locked"
into the adapter.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from herald.core.commands import BY_NAME, Chat, Request, execute
from herald.core.i18n import t
from herald.core.reader import ReaderService
from herald.core.views import FeedPage, Notice
from herald.indexing.sync import sync
from herald.store.sqlite import Database, SqliteStore
from tests.conftest import WritePost
from tests.push.faults import write_lock_held

CHAT = Chat("telegram", "42", user_id="42")


@pytest.fixture
async def reader(
    tmp_path: Path, content_dir: Path, write_post: WritePost
) -> AsyncIterator[ReaderService]:
    database = await Database.open(tmp_path / "h.db", busy_timeout=0.05)
    store = SqliteStore(database, excerpt_chars=350)
    write_post("a.md", "正文。", title="A post", date="2024-01-01")
    await sync(store.index, content_dir, excerpt_chars=350)
    try:
        yield ReaderService(store, timezone="UTC")
    finally:
        await store.close()


@pytest.mark.parametrize(
    ("command", "argument"),
    [("subscribe", ""), ("subscribe", "llm"), ("language", "zh"), ("search", "正文")],
)
async def test_a_command_that_writes_during_a_fault_gets_a_polite_reply(
    reader: ReaderService, tmp_path: Path, command: str, argument: str
) -> None:
    request = Request(argument, "en", CHAT)
    async with write_lock_held(tmp_path / "h.db"):
        reply = await execute(reader, BY_NAME[command], request)
    assert reply == Notice(t("en", "store.unavailable"), is_error=True)
    assert await reader.subscriptions.get("telegram", "42") is None  # nothing half-stored
    after = await execute(reader, BY_NAME[command], request)  # the fault has passed
    assert after != reply


async def test_a_list_is_shown_even_when_it_cannot_be_remembered(
    reader: ReaderService, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with write_lock_held(tmp_path / "h.db"):
        reply = await execute(reader, BY_NAME["latest"], Request("", "en", CHAT))
    assert isinstance(reply, FeedPage) and reply.cards[0].title == "A post"
    assert any("was not remembered" in r.getMessage() for r in caplog.records)
    assert await reader.preferences.reading_list("telegram", "42") is None
