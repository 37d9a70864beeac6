"""The push path with a real SQLite file and an in-memory messenger (errbot's TestBackend idea)."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from herald.core.reader import ReaderService
from herald.core.records import Delivery, SyncReport
from herald.core.views import Announcement
from herald.indexing.sync import sync
from herald.push.dispatcher import Dispatcher
from herald.push.errors import DeliveryError, PermanentFailure, RetryAfter, TemporaryFailure
from herald.push.pacing import ChatLimits, Pacer
from herald.push.scheduler import Scheduler
from herald.store.sqlite import SqliteStore
from herald.store.sqlite.outbox import SqliteOutbox
from herald.store.sqlite.subscriptions import SqliteSubscriptions
from tests.conftest import WritePost


@dataclass
class MemoryMessenger:
    platform: str = "memo"
    pacer: Pacer = field(
        default_factory=lambda: Pacer(ChatLimits(per_second=1000.0, per_chat_per_second=1000.0))
    )
    sent: list[tuple[str, str, float]] = field(default_factory=list)
    failures: dict[str, list[DeliveryError]] = field(default_factory=dict)

    def is_group(self, chat_id: str) -> bool:
        return chat_id.startswith("-")

    async def send(self, delivery: Delivery, post: Announcement) -> None:
        queued = self.failures.get(delivery.chat_id)
        if queued:
            raise queued.pop(0)
        self.sent.append((delivery.chat_id, post.card.title, time.monotonic()))


@dataclass
class World:
    store: SqliteStore
    content: Path
    write: WritePost
    messenger: MemoryMessenger
    dispatcher: Dispatcher

    @property
    def outbox(self) -> SqliteOutbox:
        return self.store.outbox

    @property
    def subscriptions(self) -> SqliteSubscriptions:
        return self.store.subscriptions

    async def sync(self, *, notify_on_update: bool = False) -> SyncReport:
        return await sync(
            self.store.index, self.content, excerpt_chars=350, notify_on_update=notify_on_update
        )

    async def drain(self) -> int:
        return await self.dispatcher.drain(self.messenger)


@pytest.fixture
async def world(store: SqliteStore, content_dir: Path, write_post: WritePost) -> World:
    messenger = MemoryMessenger()
    reader = ReaderService(store, timezone="UTC")
    dispatcher = Dispatcher(store.outbox, reader, [messenger], max_attempts=3)
    write_post("old.md", "旧文", title="Old", date="2024-01-01")
    built = World(store, content_dir, write_post, messenger, dispatcher)
    await built.sync()
    return built


async def test_a_new_post_reaches_every_subscriber_exactly_once(world: World) -> None:
    for chat in ("1", "2", "3"):
        await world.subscriptions.subscribe("memo", chat)
    world.write("new.md", "新文", title="New", date="2025-01-01")
    report = await world.sync()
    assert len(report.published) == 1
    assert await world.drain() == 3
    assert sorted((c, t) for c, t, _ in world.messenger.sent) == [
        ("1", "New"),
        ("2", "New"),
        ("3", "New"),
    ]
    assert await world.drain() == 0
    await world.sync()
    assert await world.drain() == 0 and len(world.messenger.sent) == 3


async def test_existing_posts_are_not_pushed_to_new_subscribers(world: World) -> None:
    await world.subscriptions.subscribe("memo", "1")
    await world.sync()
    assert await world.drain() == 0


async def test_tag_filters_are_respected(world: World) -> None:
    await world.subscriptions.subscribe("memo", "all")
    await world.subscriptions.subscribe("memo", "llm", ("LLM",))
    await world.subscriptions.subscribe("memo", "rl", ("强化学习",))
    world.write("a.md", "x", title="About LLMs", date="2025-01-01", tags=["llm", "训练"])
    await world.sync()
    await world.drain()
    assert sorted(chat for chat, _, _ in world.messenger.sent) == ["all", "llm"]


async def test_edits_do_not_notify_again(world: World) -> None:
    await world.subscriptions.subscribe("memo", "1")
    world.write("e.md", "v1", title="Edited", date="2025-01-01")
    await world.sync()
    await world.drain()
    world.write("e.md", "v2 changed", title="Edited again", date="2025-01-01")
    report = await world.sync()
    assert report.updated == ["e.md"] and report.published == []
    assert await world.drain() == 0


async def test_retry_after_is_honoured_exactly_and_is_not_an_attempt(world: World) -> None:
    await world.subscriptions.subscribe("memo", "1")
    world.messenger.failures["1"] = [RetryAfter(30)]
    world.write("n.md", "x", title="N", date="2025-01-01")
    await world.sync()
    before = time.time()
    await world.drain()
    async with world.store.database.connection.execute(
        "SELECT state, attempts, not_before, last_error FROM outbox"
    ) as cursor:
        state, attempts, not_before, error = await cursor.fetchone()  # type: ignore[misc]
    assert (state, attempts) == ("pending", 0)
    assert before + 29.9 <= not_before <= time.time() + 30.1
    assert "retry after 30" in error
    assert await world.drain() == 0  # not due yet
    await world.store.database.connection.execute("UPDATE outbox SET not_before = 0")
    assert await world.drain() == 1 and [c for c, _, _ in world.messenger.sent] == ["1"]


async def test_temporary_failures_back_off_then_fail_and_can_be_retried(world: World) -> None:
    await world.subscriptions.subscribe("memo", "1")
    world.messenger.failures["1"] = [TemporaryFailure("500 Internal Server Error")] * 3
    world.write("n.md", "x", title="N", date="2025-01-01")
    await world.sync()
    for _ in range(3):
        await world.store.database.connection.execute("UPDATE outbox SET not_before = 0")
        await world.drain()
    stats = await world.outbox.stats()
    assert stats.counts["failed"] == 1 and stats.counts["sent"] == 0
    assert stats.last_errors[0][1:] == ("memo", "1", "500 Internal Server Error")
    assert await world.outbox.retry_failed() == 1
    assert await world.drain() == 1 and len(world.messenger.sent) == 1


async def test_a_gone_chat_is_unsubscribed_and_its_queue_dropped(world: World) -> None:
    await world.subscriptions.subscribe("memo", "blocked")
    await world.subscriptions.subscribe("memo", "ok")
    world.messenger.failures["blocked"] = [
        PermanentFailure("Forbidden: bot was blocked by the user")
    ]
    world.write("a.md", "x", title="A", date="2025-01-01")
    await world.sync()
    await world.drain()
    subscription = await world.subscriptions.get("memo", "blocked")
    assert subscription is not None and not subscription.active
    world.write("b.md", "x", title="B", date="2025-01-02")
    await world.sync()
    await world.drain()
    assert [c for c, _, _ in world.messenger.sent] == ["ok", "ok"]
    assert (await world.outbox.stats()).counts["dropped"] == 1


async def test_in_flight_entries_are_resent_after_a_crash(world: World) -> None:
    await world.subscriptions.subscribe("memo", "1")
    await world.subscriptions.subscribe("memo", "2")
    world.write("a.md", "x", title="A", date="2025-01-01")
    await world.sync()
    claimed = await world.outbox.claim("memo", limit=1)  # the process dies mid-send
    assert len(claimed) == 1
    assert await world.drain() == 1  # only the unclaimed one goes now
    assert await world.outbox.recover() == 1
    assert await world.drain() == 1
    assert sorted(c for c, _, _ in world.messenger.sent) == ["1", "2"]


async def test_sent_marks_arriving_together_share_one_commit(world: World) -> None:
    for chat in range(40):
        await world.subscriptions.subscribe("memo", str(chat))
    world.write("a.md", "x", title="A", date="2025-01-01")
    await world.sync()
    claimed = await world.outbox.claim("memo", limit=40)
    commits = world.store.database.generation
    await asyncio.gather(*(world.outbox.mark_sent(entry.id) for entry in claimed))
    assert world.store.database.generation - commits <= 2  # the first mark's write, then the rest
    stats = await world.outbox.stats()
    assert stats.counts["sent"] == 40 and stats.counts["sending"] == 0


async def test_a_failed_group_write_fails_its_marks_and_not_the_next_group(world: World) -> None:
    for chat in ("1", "2", "3"):
        await world.subscriptions.subscribe("memo", chat)
    world.write("a.md", "x", title="A", date="2025-01-01")
    await world.sync()
    first, second, third = await world.outbox.claim("memo", limit=3)
    await world.store.database.connection.execute(
        "CREATE TEMP TRIGGER refuse_sent BEFORE UPDATE OF state ON outbox "
        f"WHEN NEW.id IN ({first.id}, {second.id}) BEGIN SELECT RAISE(ABORT, 'disk full'); END"
    )
    results = await asyncio.gather(
        world.outbox.mark_sent(first.id), world.outbox.mark_sent(second.id),
        return_exceptions=True,
    )  # fmt: skip
    assert [str(result) for result in results] == ["disk full", "disk full"]
    await world.outbox.mark_sent(third.id)
    stats = await world.outbox.stats()
    assert stats.counts["sent"] == 1 and stats.counts["sending"] == 2


async def test_pacing_keeps_one_chat_under_its_limit(world: World) -> None:
    world.messenger.pacer = Pacer(ChatLimits(per_second=1000.0, per_chat_per_second=20.0))
    await world.subscriptions.subscribe("memo", "1")
    for day in range(1, 7):
        world.write(f"p{day}.md", "x", title=f"P{day}", date=f"2025-01-0{day}")
    await world.sync()
    await world.drain()
    times = [moment for _, _, moment in world.messenger.sent]
    assert len(times) == 6
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) >= 0.045  # 20/s → one per 50 ms (minus timer slack)


async def test_scheduled_post_is_published_by_the_timer(world: World) -> None:
    await world.subscriptions.subscribe("memo", "1")
    due = time.time() + 1.5
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(due + 1))
    world.write("later.md", "x", title="Later", date=stamp)
    report = await world.sync()
    assert report.published == []
    published: list[list[int]] = []
    scheduler = Scheduler(world.store.index, on_published=published.append)
    stop = asyncio.Event()
    task = asyncio.create_task(scheduler.run(stop))
    await _until(lambda: bool(published), seconds=6)
    stop.set()
    await task
    assert await world.drain() == 1 and world.messenger.sent[0][1] == "Later"


async def _until(condition: Callable[[], bool], *, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)


async def test_the_first_sync_of_an_empty_store_announces_nothing(
    store: SqliteStore, content_dir: Path, write_post: WritePost
) -> None:
    await store.subscriptions.subscribe("memo", "1")
    write_post("a.md", "x", title="A", date="2025-01-01")
    first = await sync(store.index, content_dir, excerpt_chars=350)
    assert len(first.published) == 1
    assert (await store.outbox.stats()).counts["pending"] == 0
    write_post("b.md", "x", title="B", date="2025-01-02")
    await sync(store.index, content_dir, excerpt_chars=350)
    assert (await store.outbox.stats()).counts["pending"] == 1


async def test_edits_notify_again_only_when_configured(world: World) -> None:
    await world.subscriptions.subscribe("memo", "1")
    world.write("e.md", "v1", title="Edited", date="2025-01-01")
    await world.sync()
    await world.drain()
    world.write("e.md", "v2", title="Edited, v2", date="2025-01-01")
    await world.sync(notify_on_update=True)
    assert await world.drain() == 1
    assert [title for _, title, _ in world.messenger.sent] == ["Edited", "Edited, v2"]
    await world.sync(notify_on_update=True)  # nothing changed: nothing more
    assert await world.drain() == 0


async def test_timeouts_are_retried_like_server_errors(world: World) -> None:
    await world.subscriptions.subscribe("memo", "1")
    world.messenger.failures["1"] = [TimeoutError()]  # type: ignore[list-item]
    world.write("n.md", "x", title="N", date="2025-01-01")
    await world.sync()
    await world.drain()
    stats = await world.outbox.stats()
    assert stats.counts["pending"] == 1 and stats.last_errors[0][3] == "TimeoutError"
    await world.store.database.connection.execute("UPDATE outbox SET not_before = 0")
    assert await world.drain() == 1 and len(world.messenger.sent) == 1
