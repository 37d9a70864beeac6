"""Herald's Telegram and Discord adapters running against the fake servers, on a content
folder a test writes: the harnesses of `test_telegram.py` and `test_discord.py`, for any
content (tags that Telegram's hashtags would mangle, say)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from fakes.discord_server import FakeDiscord
from fakes.telegram_server import FakeTelegram, Sent

from herald.app import App
from tests.adapters import running


@dataclass
class TelegramBot:
    tg: FakeTelegram
    app: App

    async def say(
        self, chat: int, text: str, *, user: int | None = None, replies: int = 1
    ) -> list[Sent]:
        before = len(self.tg.sent(chat))
        await self.tg.user_sends(chat, text, user_id=user)
        await self.tg.wait_for(lambda: len(self.tg.sent(chat)) >= before + replies)
        return self.tg.sent(chat)[before:]

    async def press(self, message: Sent, data: str, *, user: int | None = None) -> str:
        """Press a button; returns once the press is answered (the spinner stopped)."""
        query = await self.tg.user_presses(message.chat_id, message.message_id, data, user_id=user)
        await self.tg.wait_for(lambda: query in self.tg.callback_answers)
        return query


@dataclass
class DiscordBot:
    fake: FakeDiscord
    app: App


@asynccontextmanager
async def telegram_bot(tmp_path: Path, content: Path) -> AsyncIterator[TelegramBot]:
    groups = "max_per_group_per_minute = 3000.0\n"
    async with running.telegram_bot(tmp_path, content, telegram_keys=groups) as harness:
        yield TelegramBot(harness.tg, harness.app)


@asynccontextmanager
async def discord_bot(tmp_path: Path, content: Path) -> AsyncIterator[DiscordBot]:
    async with running.discord_bot(tmp_path, content) as harness:
        yield DiscordBot(harness.fake, harness.app)
