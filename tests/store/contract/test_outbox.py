"""The contract of the outbox: planned with a publish, claimed, every outcome recorded."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from herald.core.ports import Store
from herald.core.records import Delivery
from herald.indexing.sync import sync
from tests.conftest import WritePost

NOW = 1_900_000_000
LATER = 2**40


@pytest.fixture
async def planned(store: Store, content_dir: Path, write_post: WritePost) -> list[Delivery]:
    """Three chats subscribed, one new post published: three deliveries, claimed."""
    write_post("old.md", "x", title="Old", date="2025-01-01")
    await sync(store.index, content_dir, excerpt_chars=350, now=NOW)  # the silent first sync
    for chat in ("1", "2", "-3"):
        await store.subscriptions.subscribe("memo", chat, (), "en")
    await store.subscriptions.subscribe("other", "9")
    write_post("new.md", "x", title="New", date="2025-01-02", tags=["t"])
    await sync(store.index, content_dir, excerpt_chars=350, now=NOW)
    return await store.outbox.claim("memo", limit=10, now=LATER)


async def test_one_entry_per_post_and_matching_subscription(
    store: Store, planned: list[Delivery]
) -> None:
    assert sorted(d.chat_id for d in planned) == ["-3", "1", "2"]
    assert len({d.post_id for d in planned}) == 1 and {d.language for d in planned} == {"en"}
    assert await store.outbox.claim("memo", limit=10, now=LATER) == []  # claimed once
    assert (await store.outbox.stats()).counts == {
        "pending": 1,  # the other platform's
        "sending": 3,
        "sent": 0,
        "failed": 0,
        "dropped": 0,
    }


async def test_tag_filters_decide_who_gets_a_post(
    store: Store, content_dir: Path, write_post: WritePost, planned: list[Delivery]
) -> None:
    await store.subscriptions.subscribe("tagged", "1", ("t",))
    await store.subscriptions.subscribe("tagged", "2", ("elsewhere",))
    write_post("tagged.md", "x", title="Tagged", date="2025-01-03", tags=["T"])
    await sync(store.index, content_dir, excerpt_chars=350, now=NOW)
    claimed = await store.outbox.claim("tagged", limit=10, now=LATER)
    assert [d.chat_id for d in claimed] == ["1"]


async def test_outcomes_are_recorded(store: Store, planned: list[Delivery]) -> None:
    sent, waiting, failing = sorted(planned, key=lambda d: d.chat_id)
    await store.outbox.mark_sent(sent.id)
    await store.outbox.retry_after(waiting.id, 60.0, "429")
    await store.outbox.retry_later(failing, "500", delay=None)
    stats = await store.outbox.stats()
    assert (stats.counts["sent"], stats.counts["pending"], stats.counts["failed"]) == (1, 2, 1)
    assert {error for _, _, _, error in stats.last_errors} >= {"429", "500"}
    due = await store.outbox.next_due("memo")
    assert due is not None and due > time.time() + 30
    assert await store.outbox.retry_failed() == 1
    again = await store.outbox.claim("memo", limit=10, now=LATER)
    assert sorted(d.chat_id for d in again) == [waiting.chat_id, failing.chat_id]
    retried = next(d for d in again if d.id == failing.id)
    assert retried.attempts == 0  # requeued by hand: a fresh start


async def test_a_retry_later_counts_an_attempt_and_waits(
    store: Store, planned: list[Delivery]
) -> None:
    first = planned[0]
    await store.outbox.retry_later(first, "timeout", delay=3600.0)
    assert await store.outbox.claim("memo", limit=10, now=time.time()) == []
    [later] = await store.outbox.claim("memo", limit=10, now=LATER)
    assert later.id == first.id and later.attempts == first.attempts + 1


async def test_a_gone_chat_drops_its_queue_and_its_subscription(
    store: Store, planned: list[Delivery]
) -> None:
    await store.outbox.drop(planned[0], "blocked")
    subscription = await store.subscriptions.get("memo", planned[0].chat_id)
    assert subscription is not None and not subscription.active
    assert (await store.outbox.stats()).counts["dropped"] == 1
    await store.outbox.skip(planned[1].id, "post is gone")
    assert (await store.outbox.stats()).counts["dropped"] == 2


async def test_what_was_in_flight_at_a_crash_goes_again(
    store: Store, planned: list[Delivery]
) -> None:
    await store.outbox.mark_sent(planned[0].id)
    assert await store.outbox.recover() == 2
    again = await store.outbox.claim("memo", limit=10, now=LATER)
    assert sorted(d.id for d in again) == sorted(d.id for d in planned[1:])
