"""Herald's Telegram and Discord adapters running against the fake servers, on a content
folder a test writes: the harnesses of `test_telegram.py` and `test_discord.py`, for any
content (tags that Telegram's hashtags would mangle, say)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route
from fakes.discord_server import GUILD_ID, FakeDiscord
from fakes.discord_server import TOKEN as DISCORD_TOKEN
from fakes.telegram_server import TOKEN, FakeTelegram, Sent

from herald.adapters.discord_adapter import DiscordSettings
from herald.adapters.discord_adapter.client import DiscordAdapter
from herald.adapters.telegram_adapter import TelegramSettings
from herald.adapters.telegram_adapter.bot import TelegramAdapter
from herald.app import App, open_app
from herald.config import load_config


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


def _config(tmp_path: Path, content: Path, section: str) -> Path:
    path = tmp_path / "herald.toml"
    path.write_text(
        f'[content]\ndir = "{content}"\n[store]\npath = "{tmp_path / "h.db"}"\n'
        f'[bot]\ndefault_language = "en"\n{section}',
        encoding="utf-8",
    )
    return path


@asynccontextmanager
async def telegram_bot(tmp_path: Path, content: Path) -> AsyncIterator[TelegramBot]:
    async with FakeTelegram() as tg:
        section = (
            f'[telegram]\nbase_url = "{tg.base_url}"\nmax_per_chat_per_second = 50.0\n'
            "max_per_group_per_minute = 3000.0\npoll_timeout = 1.0\n"
        )
        config = load_config(
            _config(tmp_path, content, section), environ={"HERALD_TELEGRAM_TOKEN": TOKEN}
        )
        async with open_app(config) as app:
            await app.sync()
            settings = config.platforms["telegram"]
            assert isinstance(settings, TelegramSettings)
            stop = asyncio.Event()
            task = asyncio.create_task(TelegramAdapter(settings, app.services()).run(stop))
            await tg.wait_for(lambda: bool(tg.calls("getUpdates")))
            try:
                yield TelegramBot(tg, app)
            finally:
                stop.set()
                await asyncio.wait_for(task, 20)


@asynccontextmanager
async def discord_bot(tmp_path: Path, content: Path) -> AsyncIterator[DiscordBot]:
    saved = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    try:
        async with FakeDiscord() as fake:
            section = (
                f'[discord]\napi_base = "{fake.api_base}"\n'
                f'gateway_url = "{fake.gateway_url}"\nguild_id = {GUILD_ID}\n'
            )
            config = load_config(
                _config(tmp_path, content, section), environ={"HERALD_DISCORD_TOKEN": DISCORD_TOKEN}
            )
            async with open_app(config) as app:
                await app.sync()
                settings = config.platforms["discord"]
                assert isinstance(settings, DiscordSettings)
                adapter = DiscordAdapter(settings, app.services())
                stop = asyncio.Event()
                task = asyncio.create_task(adapter.run(stop))
                await asyncio.wait_for(adapter.client.wait_until_ready(), 20)
                try:
                    yield DiscordBot(fake, app)
                finally:
                    stop.set()
                    await asyncio.wait_for(task, 20)
    finally:
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = saved[0], yarl.URL(str(saved[1]))
