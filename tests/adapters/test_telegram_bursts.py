"""One send budget, end to end: the running service against a fake Bot API that enforces
Telegram's flood limits (30/s overall, a bucket of 4 a chat refilled at 1/s).

Bursts of page presses are edited at once, a reader is answered in the middle of a
broadcast before the pushes that wait, and a 429 pauses every send and is retried until
the reply goes: nothing is dropped.
"""

from __future__ import annotations

import asyncio
import shutil
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from fakes.telegram_server import TOKEN, FakeTelegram

from herald.app import run_service
from herald.config import load_config
from herald.core.actions import ShowLatest, encode
from tests.conftest import REPO, store_at

ALICE = 1001
BOB = 1002


@dataclass
class Service:
    tg: FakeTelegram
    content: Path

    def sent_at(self, chat: int) -> list[float]:
        return self.tg.stats.sent_at[chat]


@asynccontextmanager
async def service(
    tmp_path: Path, *, subscribers: list[int] = (), push: str = ""
) -> AsyncIterator[Service]:
    """The bundled posts (two a page), Telegram's own default limits, the fake enforcing."""
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    async with FakeTelegram(enforce_rate_limits=True) as tg:
        path = tmp_path / "herald.toml"
        path.write_text(
            f'[content]\ndir = "{content}"\n[store]\npath = "{tmp_path / "h.db"}"\n'
            f'[bot]\ndefault_language = "en"\npage_size = 2\n'
            f'[telegram]\nbase_url = "{tg.base_url}"\npoll_timeout = 1.0\n'
            f"[push]\nretry_base_seconds = 0.2\n{push}",
            encoding="utf-8",
        )
        tg.known_chats.update(subscribers)
        async with await store_at(tmp_path / "h.db") as store:
            for chat in subscribers:
                await store.subscriptions.subscribe("telegram", str(chat))
        stop = asyncio.Event()
        config = load_config(path, environ={"HERALD_TELEGRAM_TOKEN": TOKEN})
        task = asyncio.create_task(run_service(config, stop, handle_signals=False))
        await tg.wait_for(lambda: bool(tg.calls("getUpdates")) or task.done(), 60)
        assert not task.done(), task.exception()
        try:
            yield Service(tg, content)
        finally:
            stop.set()
            await asyncio.wait_for(task, 30)


async def test_five_quick_page_presses_are_all_edited_within_a_second(tmp_path: Path) -> None:
    async with service(tmp_path) as bot:
        await bot.tg.user_sends(ALICE, "/latest")
        await bot.tg.wait_for(lambda: len(bot.tg.sent(ALICE)) == 1)
        [feed] = bot.tg.sent(ALICE)
        await asyncio.sleep(1.0)  # the reader reads page 1 (the chat's bucket fills again)
        pressed = []
        for page in range(2, 7):  # "next" five times, a fifth of a second apart
            pressed.append(time.monotonic())
            await bot.tg.user_presses(ALICE, feed.message_id, encode(ShowLatest(page)))
            await asyncio.sleep(0.2)
        await bot.tg.wait_for(lambda: feed.edits == 5)
        edited = bot.sent_at(ALICE)[1:]
    waits = [edit - press for press, edit in zip(pressed, sorted(edited), strict=True)]
    assert max(waits) < 1.0, waits  # strictly 1/s, the fifth waited 4 s
    assert bot.tg.stats.rejected_429 == 0
    assert bot.tg.unanswered() == 0


async def test_a_reply_during_a_broadcast_goes_before_the_queued_pushes(tmp_path: Path) -> None:
    subscribers = list(range(50_000, 50_400))  # ~13 s at 30/s
    async with service(tmp_path, subscribers=subscribers, push="concurrency = 64\n") as bot:
        (bot.content / "breaking.md").write_text(
            "---\ntitle: Breaking\ndate: 2025-11-20\n---\n\nNews.\n", encoding="utf-8"
        )
        await bot.tg.wait_for(lambda: bot.tg.stats.sends >= 60, 30)  # 64 pushes wait
        asked = time.monotonic()
        await bot.tg.user_sends(ALICE, "/latest")
        await bot.tg.wait_for(lambda: bool(bot.tg.sent(ALICE)), 30)
        [answered] = bot.sent_at(ALICE)
        pushed = [moment for chat in subscribers for moment in bot.sent_at(chat)]
    pushed_meanwhile = sum(1 for moment in pushed if asked <= moment < answered)
    # Behind the waiting pushes, the reply would have waited for 64 of them (two seconds);
    # ahead of them it waits for those already on their way while the bot prepares it.
    assert pushed_meanwhile < 32, pushed_meanwhile
    assert len(pushed) < len(subscribers) - 100  # the broadcast was far from over
    assert bot.tg.stats.rejected_429 == 0
    assert bot.tg.stats.max_per_second <= 30
    assert bot.tg.unanswered() == 0


async def test_a_reply_is_retried_through_any_number_of_429s(tmp_path: Path) -> None:
    async with service(tmp_path) as bot:
        bot.tg.fail_next(
            "sendMessage",
            status=429,
            description="Too Many Requests: retry after 1",
            retry_after=0.5,
            times=5,  # python-telegram-bot's own limiter gave up after 3
        )
        await bot.tg.user_sends(ALICE, "/latest")
        await bot.tg.wait_for(lambda: bool(bot.tg.sent(ALICE)), 30)
    assert len(bot.tg.calls("sendMessage")) == 6
    assert len(bot.tg.sent(ALICE)) == 1
    assert bot.tg.unanswered() == 0


async def test_a_429_pauses_every_send_for_its_retry_after(tmp_path: Path) -> None:
    async with service(tmp_path) as bot:
        bot.tg.fail_next(
            "sendMessage", status=429, description="Too Many Requests: retry after 2", retry_after=2
        )
        asked = time.monotonic()
        await bot.tg.user_sends(ALICE, "/latest")
        await bot.tg.wait_for(lambda: bool(bot.tg.calls("sendMessage")))  # the 429
        await bot.tg.user_sends(BOB, "/latest")  # another chat, within the pause
        await bot.tg.wait_for(lambda: bool(bot.tg.sent(ALICE)) and bool(bot.tg.sent(BOB)), 30)
    assert bot.sent_at(BOB)[0] >= asked + 2.0  # Bob's reply waited the pause out too
    assert len(bot.tg.calls("sendMessage")) == 3  # and was not tried meanwhile
    assert bot.tg.unanswered() == 0
