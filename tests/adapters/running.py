"""Herald running on Telegram or Discord against the fakes, on a content folder of the
test's own (the suites in `test_telegram.py` / `test_discord.py` use the bundled posts)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route
from fakes.discord_server import GUILD_ID, FakeDiscord
from fakes.discord_server import TOKEN as DISCORD_TOKEN
from fakes.telegram_server import TOKEN, FakeTelegram

from herald.app import open_app
from herald.config import load_config
from tests.adapters.test_discord import Harness as DiscordHarness
from tests.adapters.test_telegram import Harness, telegram


def _config(tmp_path: Path, content_dir: Path, bot: str, platform: str) -> Path:
    path = tmp_path / "herald.toml"
    path.write_text(
        f'[content]\ndir = "{content_dir}"\n[store]\npath = "{tmp_path / "h.db"}"\n'
        f'[bot]\ndefault_language = "en"\n{bot}{platform}',
        encoding="utf-8",
    )
    return path


@contextlib.asynccontextmanager
async def telegram_bot(
    tmp_path: Path, content_dir: Path, *, bot: str = "", telegram_keys: str = ""
) -> AsyncIterator[Harness]:
    """`bot`, `telegram_keys`: more `[bot]` / `[telegram]` keys, one a line."""
    async with FakeTelegram() as tg:
        section = (
            f'[telegram]\nbase_url = "{tg.base_url}"\nmax_per_chat_per_second = 50.0\n'
            f"poll_timeout = 1.0\n{telegram_keys}"
        )
        path = _config(tmp_path, content_dir, bot, section)
        async with open_app(load_config(path, environ={"HERALD_TELEGRAM_TOKEN": TOKEN})) as app:
            await app.sync()
            stop = asyncio.Event()
            task = asyncio.create_task(telegram(app).run(stop))
            await tg.wait_for(lambda: bool(tg.calls("getUpdates")))
            try:
                yield Harness(tg, app)
            finally:
                stop.set()
                await asyncio.wait_for(task, 20)


@contextlib.asynccontextmanager
async def discord_bot(
    tmp_path: Path, content_dir: Path, *, bot: str = ""
) -> AsyncIterator[DiscordHarness]:
    saved = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    try:
        async with FakeDiscord() as fake:
            section = (
                f'[discord]\napi_base = "{fake.api_base}"\n'
                f'gateway_url = "{fake.gateway_url}"\nguild_id = {GUILD_ID}\n'
            )
            path = _config(tmp_path, content_dir, bot, section)
            config = load_config(path, environ={"HERALD_DISCORD_TOKEN": DISCORD_TOKEN})
            async with open_app(config) as app:
                await app.sync()
                harness = DiscordHarness(fake, app, path)
                await harness.start_client()
                try:
                    yield harness
                finally:
                    await harness.stop_client()
    finally:
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = saved[0], yarl.URL(str(saved[1]))
