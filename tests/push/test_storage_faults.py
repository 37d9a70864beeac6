"""The push path while the store refuses writes (issue 14, cases 2 and 3, in process).

A real SQLite file, a real second connection holding `BEGIN IMMEDIATE` (as `herald sync`
does for the length of its sync) and a short busy timeout, so every write of the service is
refused with SQLite's own "database is locked" in a fraction of a second; an in-memory
messenger whose sends can be held at a gate, so the lock is taken exactly between the
platform accepting a message and its `sent` mark.  On 494c7a0 the first refused mark ends
the dispatcher (and with it `herald run`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from herald.core.reader import ReaderService
from herald.core.records import Delivery
from herald.core.views import Announcement
from herald.indexing.sync import sync
from herald.push.dispatcher import Dispatcher
from herald.push.pacing import ChatLimits, Pacer
from herald.push.scheduler import Scheduler
from herald.push.supervise import Backoff, StoreOutage, supervised
from herald.store.sqlite import Database, SqliteStore
from tests.conftest import WritePost
from tests.push.faults import outbox_states, until, write_lock_held

CHATS = [str(chat) for chat in range(1, 11)]


def quick_retries() -> Backoff:
    return Backoff(0.02, 0.1)


@dataclass
class GatedMessenger:
    """Accepts every card, but only once the gate is open (a platform taking its time)."""

    platform: str = "memo"
    pacer: Pacer = field(
        default_factory=lambda: Pacer(ChatLimits(per_second=1000.0, per_chat_per_second=1000.0))
    )
    gate: asyncio.Event = field(default_factory=asyncio.Event)
    waiting: int = 0
    sent: list[str] = field(default_factory=list)

    def is_group(self, chat_id: str) -> bool:
        return False

    async def send(self, delivery: Delivery, post: Announcement) -> None:
        self.waiting += 1
        await self.gate.wait()
        self.sent.append(delivery.chat_id)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqliteStore]:
    """The store with a 50 ms busy timeout: a held lock is refused at once."""
    opened = SqliteStore(
        await Database.open(tmp_path / "h.db", busy_timeout=0.05), excerpt_chars=350
    )
    try:
        yield opened
    finally:
        await opened.close()


async def published_post(store: SqliteStore, content: Path, write_post: WritePost) -> None:
    """An archive, then subscribers, then one new post: ten deliveries planned."""
    write_post("old.md", "旧文", title="Old", date="2024-01-01")
    await sync(store.index, content, excerpt_chars=350)
    for chat in CHATS:
        await store.subscriptions.subscribe("memo", chat)
    write_post("new.md", "新文", title="New", date="2025-01-01")
    report = await sync(store.index, content, excerpt_chars=350)
    assert len(report.published) == 1


async def test_marks_refused_by_a_locked_store_are_retried_and_nothing_is_sent_twice(
    store: SqliteStore, content_dir: Path, write_post: WritePost, caplog: pytest.LogCaptureFixture
) -> None:
    await published_post(store, content_dir, write_post)
    messenger = GatedMessenger()
    dispatcher = Dispatcher(
        store.outbox, ReaderService(store, timezone="UTC"), [messenger], store_retry=quick_retries
    )
    stop = asyncio.Event()
    running = asyncio.create_task(dispatcher.run(stop))
    await until(lambda: messenger.waiting == len(CHATS))  # all claimed, all in flight
    async with write_lock_held(store.database.path):
        messenger.gate.set()  # the platform accepts every message: the marks are refused
        await until(lambda: len(messenger.sent) == len(CHATS) and dispatcher.outage.ongoing)
        await until(lambda: dispatcher.outage.refused >= 2 * len(CHATS))  # and retried
        assert outbox_states(store.database.path) == {"sending": len(CHATS)}
        assert not running.done()
    await until(lambda: outbox_states(store.database.path) == {"sent": len(CHATS)})
    assert not dispatcher.outage.ongoing  # "available again" was said
    assert sorted(messenger.sent, key=int) == CHATS  # each chat once: no mark, no resend
    assert await dispatcher.drain(messenger) == 0
    stop.set()
    await asyncio.wait_for(running, 10)
    unavailable = [r for r in caplog.records if "store unavailable" in r.getMessage()]
    assert len(unavailable) == 1 and "database is locked" in unavailable[0].getMessage()
    assert any("store available again" in r.getMessage() for r in caplog.records)


async def test_nothing_is_claimed_while_the_store_refuses_writes_and_delivery_resumes(
    store: SqliteStore, content_dir: Path, write_post: WritePost
) -> None:
    await published_post(store, content_dir, write_post)
    messenger = GatedMessenger()
    messenger.gate.set()
    dispatcher = Dispatcher(
        store.outbox, ReaderService(store, timezone="UTC"), [messenger], store_retry=quick_retries
    )
    stop = asyncio.Event()
    async with write_lock_held(store.database.path):
        running = asyncio.create_task(dispatcher.run(stop))  # recovery itself is refused
        await until(lambda: dispatcher.outage.refused >= 3)
        assert messenger.waiting == 0 and outbox_states(store.database.path) == {"pending": 10}
    await until(lambda: outbox_states(store.database.path) == {"sent": len(CHATS)})
    assert sorted(messenger.sent, key=int) == CHATS
    stop.set()
    await asyncio.wait_for(running, 10)


async def test_a_scheduled_post_is_published_once_the_store_takes_writes_again(
    store: SqliteStore, content_dir: Path, write_post: WritePost
) -> None:
    await store.subscriptions.subscribe("memo", "1")
    write_post("old.md", "旧文", title="Old", date="2024-01-01")
    await sync(store.index, content_dir, excerpt_chars=350)
    write_post("due.md", "x", title="Due", date="2025-01-02T00:00:00+00:00")
    before = time.mktime((2025, 1, 1, 0, 0, 0, 0, 0, 0))  # synced "before" its date
    assert (await sync(store.index, content_dir, excerpt_chars=350, now=before)).published == []
    published: list[list[int]] = []
    outage = StoreOutage()
    scheduler = Scheduler(
        store.index, on_published=published.append, outage=outage, store_retry=quick_retries
    )
    stop = asyncio.Event()
    async with write_lock_held(store.database.path):
        running = asyncio.create_task(scheduler.run(stop))
        await until(lambda: outage.refused >= 2)  # refused, retried, not given up
        assert published == [] and not running.done()
    await until(lambda: bool(published))
    assert not outage.ongoing and outbox_states(store.database.path) == {"pending": 1}
    stop.set()
    await asyncio.wait_for(running, 10)


async def test_a_failing_job_is_restarted_and_logged_once_with_its_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    runs = 0
    stop = asyncio.Event()

    async def job() -> None:
        nonlocal runs
        runs += 1
        if runs <= 3:
            raise RuntimeError("watch thread unexpectedly received a signal")
        await stop.wait()

    caplog.set_level(logging.INFO)
    task = asyncio.create_task(
        supervised("content watcher", job, stop, outage=StoreOutage(), backoff=Backoff(0.01, 0.02))
    )
    await until(lambda: runs == 4)
    assert not task.done()
    stop.set()
    await asyncio.wait_for(task, 5)
    failures = [r for r in caplog.records if "content watcher failed" in r.getMessage()]
    assert [r.exc_info is not None for r in failures] == [True, False, False]
