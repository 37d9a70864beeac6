"""Telegram forum topics: a topic is a place of its own.  `/subscribe` in a topic subscribes
that topic, pushes go there, and every answer to a command or a button pressed in a topic
goes back to that topic (not to General), against the fake Bot API's forum rules."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fakes.telegram_server import TOKEN, FakeTelegram, Sent
from telegram import Bot
from telegram.error import BadRequest

from herald.app import open_app
from herald.config import load_config
from tests.adapters.test_telegram import telegram, write_config
from tests.conftest import store_at
from tests.push.faults import until
from tests.push.serving import BANNER, running_service

FORUM = -100900
ADMIN = 77
IDEAS, NEWS = 7, 8


@dataclass
class Forum:
    tg: FakeTelegram

    async def say(self, text: str, *, topic: int | None, replies: int = 1) -> list[Sent]:
        before = len(self.tg.sent(FORUM))
        await self.tg.user_sends(FORUM, text, user_id=ADMIN, topic=topic)
        await self.tg.wait_for(lambda: len(self.tg.sent(FORUM)) >= before + replies)
        return self.tg.sent(FORUM)[before:]


@pytest.fixture
async def forum(tmp_path: Path) -> AsyncIterator[Forum]:
    async with FakeTelegram() as tg:
        tg.add_forum(FORUM, IDEAS, NEWS)
        tg.set_member_status(FORUM, ADMIN, "administrator")
        config = load_config(write_config(tmp_path, tg), environ={"HERALD_TELEGRAM_TOKEN": TOKEN})
        async with open_app(config) as app:
            await app.sync()
            stop = asyncio.Event()
            task = asyncio.create_task(telegram(app).run(stop))
            await tg.wait_for(lambda: bool(tg.calls("getUpdates")))
            try:
                yield Forum(tg)
            finally:
                stop.set()
                await asyncio.wait_for(task, 20)


async def test_subscribe_in_a_topic_subscribes_that_topic_and_answers_there(
    forum: Forum, tmp_path: Path
) -> None:
    [done] = await forum.say("/subscribe", topic=IDEAS)
    assert done.thread_id == IDEAS and (done.text or "").startswith("Subscribed")
    assert "This topic is subscribed to every new post." in (done.text or "")
    [settings] = await forum.say("/settings", topic=IDEAS)
    assert settings.thread_id == IDEAS and "This topic" in (settings.text or "")
    [none_here] = await forum.say("/unsubscribe", topic=NEWS)
    assert none_here.thread_id == NEWS and none_here.text == "There is no subscription here."
    [in_general] = await forum.say("/settings", topic=None)
    assert in_general.thread_id is None  # General: no thread named
    assert (in_general.text or "").startswith("Nothing is subscribed here yet")
    async with await store_at(tmp_path / "h.db") as store:
        topic = await store.subscriptions.get("telegram", str(FORUM), topic=str(IDEAS))
        whole_chat = await store.subscriptions.get("telegram", str(FORUM))
    assert topic is not None and topic.active and topic.topic == str(IDEAS)
    assert whole_chat is None


async def test_a_page_and_the_article_its_button_opens_stay_in_the_topic(forum: Forum) -> None:
    [page] = await forum.say("/latest", topic=NEWS)
    assert page.thread_id == NEWS
    read = next(b["callback_data"] for b in page.buttons if b["text"].startswith("Read"))
    before = len(forum.tg.sent(FORUM))
    query = await forum.tg.user_presses(FORUM, page.message_id, read, user_id=ADMIN)
    await forum.tg.wait_for(lambda: query in forum.tg.callback_answers)
    await forum.tg.wait_for(lambda: len(forum.tg.sent(FORUM)) > before)
    opened = forum.tg.sent(FORUM)[before:]
    assert opened and all(message.thread_id == NEWS for message in opened)


async def test_an_unknown_topic_is_refused_by_the_fake_as_by_telegram(tmp_path: Path) -> None:
    """The rule the tests above rely on: a send naming a topic the forum lacks fails."""
    async with FakeTelegram() as tg:
        tg.add_forum(FORUM, IDEAS)
        async with Bot(TOKEN, base_url=tg.base_url) as bot:
            sent = await bot.send_message(FORUM, "x", message_thread_id=IDEAS)
            assert sent.message_thread_id == IDEAS and sent.is_topic_message
            with pytest.raises(BadRequest, match=r"(?i)message thread not found"):
                await bot.send_message(FORUM, "x", message_thread_id=99)


async def test_pushes_go_to_each_subscribed_topic_once(tmp_path: Path) -> None:
    async with running_service(tmp_path, chats=[]) as service:
        tg = service.tg
        tg.add_forum(FORUM, IDEAS, NEWS)
        tg.set_member_status(FORUM, ADMIN, "administrator")
        for topic in (IDEAS, NEWS):
            before = len(tg.sent(FORUM))
            await tg.user_sends(FORUM, "/subscribe", user_id=ADMIN, topic=topic)
            await until(lambda b=before: len(tg.sent(FORUM)) > b)  # type: ignore[misc]
        (service.content / "fresh.md").write_text(
            "---\ntitle: Topic news\ndate: 2025-11-20\ntags: [LLM]\n---\n\nBody.\n", "utf-8"
        )
        await until(lambda: len(service.cards(FORUM)) >= 2)
        await asyncio.sleep(0.3)  # nothing more arrives
        pushes = [m for m in tg.sent(FORUM) if (m.text or "").startswith(BANNER)]
    assert sorted(m.thread_id or 0 for m in pushes) == [IDEAS, NEWS]
    assert all("Topic news" in (m.text or "") for m in pushes)


async def test_a_deleted_topic_ends_its_subscription_only(tmp_path: Path) -> None:
    async with running_service(tmp_path, chats=[]) as service:
        tg = service.tg
        tg.add_forum(FORUM, IDEAS, NEWS)
        async with await store_at(service.db) as store:
            await store.subscriptions.subscribe("telegram", str(FORUM), topic=str(IDEAS))
            await store.subscriptions.subscribe("telegram", str(FORUM), topic=str(NEWS))
        tg.forums[FORUM].discard(NEWS)  # the topic is deleted
        (service.content / "fresh.md").write_text(
            "---\ntitle: After the deletion\ndate: 2025-11-20\n---\n\nBody.\n", "utf-8"
        )
        await until(lambda: bool(service.cards(FORUM)))
        async with await store_at(service.db) as store:

            async def gone() -> bool:
                news = await store.subscriptions.get("telegram", str(FORUM), topic=str(NEWS))
                return news is not None and not news.active

            for _ in range(200):
                if await gone():
                    break
                await asyncio.sleep(0.05)
            ideas = await store.subscriptions.get("telegram", str(FORUM), topic=str(IDEAS))
            assert await gone()
    assert ideas is not None and ideas.active
    assert [m.thread_id for m in service.tg.sent(FORUM)] == [IDEAS]
