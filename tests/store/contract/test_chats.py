"""The contract of the chat-side ports: subscriptions, preferences, reading lists."""

from __future__ import annotations

from herald.core.ports import Store


async def test_subscribing_without_tags_means_everything(store: Store) -> None:
    subscription = await store.subscriptions.subscribe("tg", "1", (), "en")
    assert (subscription.tags, subscription.active, subscription.language) == ((), True, "en")
    again = await store.subscriptions.get("tg", "1")
    assert again == subscription


async def test_tags_narrow_and_are_added_to_an_existing_filter(store: Store) -> None:
    await store.subscriptions.subscribe("tg", "1", ("LLM",))
    widened = await store.subscriptions.subscribe("tg", "1", ("训练", "llm"))
    assert widened.tags == ("llm", "训练")
    narrowed = await store.subscriptions.unsubscribe("tg", "1", ("LLM",))
    assert narrowed is not None and narrowed.active and narrowed.tags == ("训练",)


async def test_unsubscribing_the_last_tag_or_everything_stops_pushes(store: Store) -> None:
    await store.subscriptions.subscribe("tg", "1", ("a",))
    gone = await store.subscriptions.unsubscribe("tg", "1", ("a",))
    assert gone is not None and not gone.active
    await store.subscriptions.subscribe("tg", "2")
    stopped = await store.subscriptions.unsubscribe("tg", "2")
    assert stopped is not None and not stopped.active
    assert await store.subscriptions.unsubscribe("tg", "never") is None


async def test_a_new_subscription_keeps_the_language_it_had(store: Store) -> None:
    await store.subscriptions.subscribe("tg", "1", (), "zh")
    again = await store.subscriptions.subscribe("tg", "1", ())
    assert again.language == "zh"


async def test_chats_are_per_platform(store: Store) -> None:
    await store.subscriptions.subscribe("telegram", "1")
    assert await store.subscriptions.get("discord", "1") is None


async def test_a_chosen_language_is_remembered_per_platform_and_user(store: Store) -> None:
    assert await store.preferences.language("tg", "u") is None
    await store.preferences.set_language("tg", "u", "en")
    await store.preferences.set_language("tg", "u", "zh")
    assert await store.preferences.language("tg", "u") == "zh"
    assert await store.preferences.language("dc", "u") is None


async def test_a_chat_s_reading_list_is_remembered(store: Store) -> None:
    assert await store.preferences.reading_list("tg", "1") is None
    await store.preferences.set_reading_list("tg", "1", "t:abcdefghij:1")
    await store.preferences.set_reading_list("tg", "1", "l:1")
    assert await store.preferences.reading_list("tg", "1") == "l:1"
    assert await store.preferences.reading_list("tg", "2") is None
