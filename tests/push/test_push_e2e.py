"""Push end to end: a running service, real files dropped into its content folder, the real
python-telegram-bot / discord.py stacks delivering to the fake platform servers."""

from __future__ import annotations

import asyncio
import gc
import shutil
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yarl
from bench.corpus import write_corpus
from discord.gateway import DiscordWebSocket
from discord.http import Route
from fakes.discord_server import CHANNEL_ID, GUILD_ID, FakeDiscord
from fakes.discord_server import TOKEN as DISCORD_TOKEN
from fakes.telegram_server import TOKEN, FakeTelegram

from herald.app import run_service
from herald.config import load_config
from herald.indexing.sync import BULK_INDEXING_THRESHOLD
from tests.conftest import REPO, pending, store_at

GROUP = -100777


def post(title: str, *, date: str = "2025-11-20T10:00:00+08:00", tags: str = "[LLM]") -> str:
    header = f"---\ntitle: {title}\ndate: {date}\ntags: {tags}\n---\n\n"
    return header + "新文章正文，讲 Self-supervised。\n"


@dataclass
class Service:
    tg: FakeTelegram
    content: Path
    config_path: Path
    stop: asyncio.Event
    task: asyncio.Task[None]

    def cards(self, chat: int) -> list[str]:
        return [
            m.text or ""
            for m in self.tg.sent(chat)
            if (m.text or "").startswith("INCOMING TRANSMISSION")
        ]


async def subscribe(db_path: Path, chats: list[tuple[str, str, tuple[str, ...]]]) -> None:
    async with await store_at(db_path) as store:
        for platform, chat, tags in chats:
            await store.subscriptions.subscribe(platform, chat, tags)


def config_text(tmp_path: Path, content: Path, tg: FakeTelegram, extra: str = "") -> str:
    return (
        f'[content]\ndir = "{content}"\n[store]\npath = "{tmp_path / "h.db"}"\n'
        f'[bot]\ndefault_language = "en"\n'
        f'[telegram]\nbase_url = "{tg.base_url}"\npoll_timeout = 1.0\n'
        f"max_per_chat_per_second = 20.0\nmax_per_group_per_minute = 600.0\n"
        f"[push]\nretry_base_seconds = 0.2\n{extra}"
    )


@pytest.fixture
async def service(tmp_path: Path) -> AsyncIterator[Service]:
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    async with FakeTelegram() as tg:
        path = tmp_path / "herald.toml"
        path.write_text(config_text(tmp_path, content, tg), encoding="utf-8")
        chats = [1, 2, 3, GROUP]
        tg.known_chats.update(chats)
        await subscribe(tmp_path / "h.db", [("telegram", str(c), ()) for c in chats])
        config = load_config(path, environ={"HERALD_TELEGRAM_TOKEN": TOKEN})
        stop = asyncio.Event()
        task = asyncio.create_task(run_service(config, stop, handle_signals=False))
        await tg.wait_for(lambda: bool(tg.calls("getUpdates")))
        try:
            yield Service(tg, content, path, stop, task)
        finally:
            stop.set()
            await asyncio.wait_for(task, 20)


async def until(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def test_start_up_objects_are_frozen_out_of_collections_while_serving(
    service: Service,
) -> None:
    # Full collections would otherwise walk every module and adapter object each time,
    # pausing the event loop for tens of milliseconds in the middle of paced sends.
    assert gc.get_freeze_count() > 10_000
    service.stop.set()
    await asyncio.wait_for(service.task, 20)
    assert gc.get_freeze_count() == 0  # given back when the service stops


async def test_existing_posts_are_not_pushed_on_start(service: Service) -> None:
    await asyncio.sleep(1.0)
    assert all(service.cards(chat) == [] for chat in (1, 2, 3, GROUP))


async def test_a_new_file_reaches_every_subscriber_once(service: Service) -> None:
    (service.content / "fresh.md").write_text(post("Fresh post"), encoding="utf-8")
    await until(lambda: all(service.cards(c) for c in (1, 2, 3, GROUP)))
    await asyncio.sleep(0.5)
    for chat in (1, 2, 3, GROUP):
        [card] = service.cards(chat)
        assert "Fresh post" in card and "Self-supervised" in card
        [message] = [m for m in service.tg.sent(chat) if m.text == card]
        assert message.buttons[0]["text"] == "Open full post"
        assert message.buttons[0]["callback_data"].startswith("r:")
    (service.content / "fresh.md").write_text(post("Fresh post, edited"), encoding="utf-8")
    await asyncio.sleep(1.5)
    assert len(service.cards(1)) == 1  # an edit does not notify again


async def test_the_read_button_on_a_card_opens_the_post(service: Service) -> None:
    (service.content / "fresh.md").write_text(post("Button post"), encoding="utf-8")
    await until(lambda: bool(service.cards(1)))
    card = service.tg.sent(1)[-1]
    before = len(service.tg.sent(1))
    await service.tg.user_presses(1, card.message_id, card.buttons[0]["callback_data"])
    await until(lambda: len(service.tg.sent(1)) > before)
    assert (service.tg.sent(1)[before].text or "").startswith("Button post")


async def test_scheduled_posts_arrive_when_due(service: Service) -> None:
    due = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(time.time() + 2))
    (service.content / "soon.md").write_text(post("Soon", date=due), encoding="utf-8")
    await asyncio.sleep(1.0)
    assert service.cards(1) == []  # stored, not yet published
    await until(lambda: bool(service.cards(1)), seconds=8)
    assert "Soon" in service.cards(1)[0]


async def test_tag_filters_decide_who_gets_a_post(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    async with FakeTelegram() as tg:
        path = tmp_path / "herald.toml"
        path.write_text(config_text(tmp_path, content, tg), encoding="utf-8")
        tg.known_chats.update({1, 2})
        await subscribe(
            tmp_path / "h.db", [("telegram", "1", ("llm",)), ("telegram", "2", ("扩散模型",))]
        )
        stop = asyncio.Event()
        config = load_config(path, environ={"HERALD_TELEGRAM_TOKEN": TOKEN})
        task = asyncio.create_task(run_service(config, stop, handle_signals=False))
        await tg.wait_for(lambda: bool(tg.calls("getUpdates")))
        (content / "a.md").write_text(post("Tagged LLM", tags="[llm]"), encoding="utf-8")
        await tg.wait_for(lambda: bool(tg.sent(1)))
        await asyncio.sleep(0.5)
        stop.set()
        await asyncio.wait_for(task, 20)
    assert len(tg.sent(1)) == 1 and tg.sent(2) == []


async def test_failures_are_handled_by_kind(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    async with FakeTelegram() as tg:
        path = tmp_path / "herald.toml"
        path.write_text(config_text(tmp_path, content, tg), encoding="utf-8")
        tg.known_chats.update({1, 2, 3, -4})
        tg.blocked.add(2)
        tg.kicked.add(-4)
        await subscribe(
            tmp_path / "h.db", [("telegram", c, ()) for c in ("1", "2", "3", "-4", "5")]
        )
        tg.fail_next(
            "sendMessage", status=429, description="Too Many Requests: retry after 1", retry_after=1
        )
        tg.fail_next("sendMessage", status=500, description="Internal Server Error")
        stop = asyncio.Event()
        config = load_config(path, environ={"HERALD_TELEGRAM_TOKEN": TOKEN})
        task = asyncio.create_task(run_service(config, stop, handle_signals=False))
        await tg.wait_for(lambda: bool(tg.calls("getUpdates")))
        started = time.monotonic()
        (content / "a.md").write_text(post("Through faults"), encoding="utf-8")
        await tg.wait_for(lambda: bool(tg.sent(1)) and bool(tg.sent(3)), seconds=15)
        elapsed = time.monotonic() - started
        await asyncio.sleep(0.5)
        stop.set()
        await asyncio.wait_for(task, 20)
    assert elapsed >= 1.0  # the 429's retry_after was waited out
    assert len(tg.sent(1)) == 1 and len(tg.sent(3)) == 1  # and nothing was sent twice
    async with await store_at(tmp_path / "h.db") as store:
        for gone in ("2", "-4", "5"):  # blocked, kicked, chat not found
            record = await store.subscriptions.get("telegram", gone)
            assert record is not None and not record.active, gone
        stats = await store.outbox.stats()
    assert stats.counts["sent"] == 2 and stats.counts["dropped"] == 3
    errors = {chat: error for _, _, chat, error in stats.last_errors}
    assert errors["2"] == "Forbidden: bot was blocked by the user"
    assert errors["-4"] == "Forbidden: bot was kicked from the group chat"
    assert errors["5"] == "Chat not found"


async def test_broadcast_stays_under_telegrams_limit_with_zero_429s(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    chats = list(range(10_000, 10_080))
    async with FakeTelegram(enforce_rate_limits=True) as tg:
        path = tmp_path / "herald.toml"
        path.write_text(
            config_text(tmp_path, content, tg, "concurrency = 32\n").replace(
                "max_per_chat_per_second = 20.0", "max_per_chat_per_second = 1.0"
            ),
            encoding="utf-8",
        )
        tg.known_chats.update(chats)
        await subscribe(tmp_path / "h.db", [("telegram", str(c), ()) for c in chats])
        stop = asyncio.Event()
        config = load_config(path, environ={"HERALD_TELEGRAM_TOKEN": TOKEN})
        task = asyncio.create_task(run_service(config, stop, handle_signals=False))
        await tg.wait_for(lambda: bool(tg.calls("getUpdates")))
        started = time.monotonic()
        (content / "a.md").write_text(post("Broadcast"), encoding="utf-8")
        await tg.wait_for(lambda: all(tg.sent(c) for c in chats), seconds=30)
        elapsed = time.monotonic() - started
        stop.set()
        await asyncio.wait_for(task, 20)
    assert tg.stats.rejected_429 == 0
    assert tg.stats.max_per_second <= 30
    assert elapsed >= 80 / 30 - 0.5  # paced, not burst


async def test_discord_channels_get_pushes_too(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    saved = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    try:
        async with FakeDiscord() as fake:
            path = tmp_path / "herald.toml"
            path.write_text(
                f'[content]\ndir = "{content}"\n[store]\npath = "{tmp_path / "h.db"}"\n'
                f'[discord]\napi_base = "{fake.api_base}"\ngateway_url = "{fake.gateway_url}"\n'
                f"guild_id = {GUILD_ID}\n",
                encoding="utf-8",
            )
            await subscribe(
                tmp_path / "h.db", [("discord", str(CHANNEL_ID), ()), ("discord", "123", ())]
            )
            fake.forbidden.add(123)
            fake.channels[123] = {}
            stop = asyncio.Event()
            config = load_config(path, environ={"HERALD_DISCORD_TOKEN": DISCORD_TOKEN})
            task = asyncio.create_task(run_service(config, stop, handle_signals=False))
            await fake.wait_for(lambda: fake.identified > 0)
            fake.fail_next(f"POST /channels/{CHANNEL_ID}/messages", status=429, retry_after=0.3)
            (content / "a.md").write_text(post("To Discord"), encoding="utf-8")
            await fake.wait_for(lambda: bool(fake.messages()), seconds=15)
            await asyncio.sleep(0.5)
            stop.set()
            await asyncio.wait_for(task, 20)
    finally:
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = saved[0], yarl.URL(str(saved[1]))
    [message] = fake.messages()
    assert message["content"] == "**INCOMING TRANSMISSION**"
    assert message["embeds"][0]["title"].endswith("To Discord")
    assert message["components"][0]["components"][0]["custom_id"].startswith("herald:r:")
    async with await store_at(tmp_path / "h.db") as store:
        gone = await store.subscriptions.get("discord", "123")
    assert gone is not None and not gone.active  # Missing Access: unsubscribed


async def test_a_large_first_load_gets_its_excerpts_while_the_service_runs(
    tmp_path: Path,
) -> None:
    """The deferred excerpts are rendered by workers forked from the running service, and
    the service still stops promptly.  (A first version had the workers open SQLite; one
    of them inherited a lock held by the service's database thread at the fork and waited
    forever — a race this test did not catch, three runs out of three; `in_order` says why
    its workers must not touch SQLite.)"""
    content = tmp_path / "content"
    write_corpus(content, BULK_INDEXING_THRESHOLD, seed=9)
    async with FakeTelegram() as tg:
        path = tmp_path / "herald.toml"
        path.write_text(config_text(tmp_path, content, tg), encoding="utf-8")
        stop = asyncio.Event()
        config = load_config(path, environ={"HERALD_TELEGRAM_TOKEN": TOKEN})
        task = asyncio.create_task(run_service(config, stop, handle_signals=False))
        await tg.wait_for(lambda: bool(tg.calls("getUpdates")), 60)  # synced, serving
        async with await store_at(tmp_path / "h.db") as store:
            listed = await store.posts.latest(now=int(time.time()), offset=0, limit=1)
            assert listed.total == BULK_INDEXING_THRESHOLD
            await until_async(lambda: pending(store), seconds=60)
        (content / "new.md").write_text(post("After the load"), encoding="utf-8")
        stop.set()
        await asyncio.wait_for(task, 20)


async def until_async(remaining: Callable[[], Awaitable[int]], seconds: float) -> None:
    """Poll a count in the database until it is zero."""
    deadline = time.monotonic() + seconds
    while await remaining():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.2)
