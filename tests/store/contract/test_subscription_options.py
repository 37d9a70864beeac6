"""The contract of subscription options and topics: stored with the subscription, kept
across restarts, carried on every claimed delivery; a topic is a subscription of its own."""

from __future__ import annotations

from pathlib import Path

from herald.core.ports import Store
from herald.core.records import PushOptions
from herald.indexing.sync import sync
from tests.conftest import WritePost
from tests.store.contract.conftest import OpenStore

NOW = 1_900_000_000
LATER = 2**40
QUIET_ARTICLES = PushOptions(silent=True, mode="article", link_preview=True)


async def publish_one(store: Store, content_dir: Path, write_post: WritePost, name: str) -> None:
    write_post(f"{name}.md", "x", title=name, date="2025-01-02")
    await sync(store.index, content_dir, excerpt_chars=350, now=NOW)


async def test_a_new_subscription_has_the_defaults(store: Store) -> None:
    subscription = await store.subscriptions.subscribe("memo", "1")
    assert subscription.options == PushOptions()
    assert subscription.options == PushOptions(silent=False, mode="card", link_preview=False)
    assert subscription.topic is None


async def test_options_are_stored_and_survive_a_restart(
    store: Store, open_fresh: OpenStore
) -> None:
    await store.subscriptions.subscribe("memo", "1", ("llm",))
    changed = await store.subscriptions.set_options("memo", "1", QUIET_ARTICLES)
    assert changed is not None and changed.options == QUIET_ARTICLES
    assert changed.tags == ("llm",) and changed.active  # nothing else moved
    again = await open_fresh()
    stored = await again.subscriptions.get("memo", "1")
    assert stored is not None and stored.options == QUIET_ARTICLES


async def test_options_need_a_subscription_and_store_nothing_without_one(store: Store) -> None:
    assert await store.subscriptions.set_options("memo", "1", QUIET_ARTICLES) is None
    assert await store.subscriptions.get("memo", "1") is None


async def test_options_outlive_unsubscribing_and_more_tags(store: Store) -> None:
    await store.subscriptions.subscribe("memo", "1")
    await store.subscriptions.set_options("memo", "1", QUIET_ARTICLES)
    await store.subscriptions.unsubscribe("memo", "1")
    await store.subscriptions.subscribe("memo", "1", ("llm",))
    back = await store.subscriptions.subscribe("memo", "1", ("rl",))
    assert back.options == QUIET_ARTICLES and back.tags == ("llm", "rl")


async def test_each_topic_is_a_subscription_of_its_own(store: Store) -> None:
    subs = store.subscriptions
    chat = await subs.subscribe("memo", "-100", ("llm",))
    first = await subs.subscribe("memo", "-100", topic="7")
    second = await subs.subscribe("memo", "-100", ("rl",), topic="8")
    assert len({chat.id, first.id, second.id}) == 3
    assert (first.topic, second.topic, chat.topic) == ("7", "8", None)
    await subs.set_options("memo", "-100", PushOptions(silent=True), topic="7")
    await subs.unsubscribe("memo", "-100", topic="8")
    in_chat = await subs.get("memo", "-100")
    in_first = await subs.get("memo", "-100", topic="7")
    in_second = await subs.get("memo", "-100", topic="8")
    assert in_chat is not None and in_chat.active and in_chat.tags == ("llm",)
    assert in_chat.options == PushOptions()  # the topic's options are the topic's
    assert in_first is not None and in_first.active and in_first.options.silent
    assert in_second is not None and not in_second.active
    assert await subs.get("memo", "-100", topic="9") is None


async def test_claimed_deliveries_carry_the_topic_and_the_options(
    store: Store, content_dir: Path, write_post: WritePost
) -> None:
    write_post("old.md", "x", title="Old", date="2025-01-01")
    await sync(store.index, content_dir, excerpt_chars=350, now=NOW)  # the silent first sync
    await store.subscriptions.subscribe("memo", "-100")
    await store.subscriptions.subscribe("memo", "-100", topic="7")
    await store.subscriptions.set_options("memo", "-100", QUIET_ARTICLES, topic="7")
    await publish_one(store, content_dir, write_post, "new")
    claimed = await store.outbox.claim("memo", limit=10, now=LATER)
    by_topic = {delivery.topic: delivery for delivery in claimed}
    assert set(by_topic) == {None, "7"}
    assert by_topic[None].chat_id == by_topic["7"].chat_id == "-100"
    assert by_topic[None].options == PushOptions()
    assert by_topic["7"].options == QUIET_ARTICLES


async def test_options_changed_after_planning_apply_to_the_waiting_delivery(
    store: Store, content_dir: Path, write_post: WritePost
) -> None:
    write_post("old.md", "x", title="Old", date="2025-01-01")
    await sync(store.index, content_dir, excerpt_chars=350, now=NOW)
    await store.subscriptions.subscribe("memo", "1")
    await publish_one(store, content_dir, write_post, "new")  # planned with the defaults
    await store.subscriptions.set_options("memo", "1", PushOptions(mode="title"))
    [delivery] = await store.outbox.claim("memo", limit=10, now=LATER)
    assert delivery.options == PushOptions(mode="title")
