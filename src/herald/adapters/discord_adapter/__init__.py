"""The Discord adapter (discord.py 2.x): build the client, point it, run it."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from herald.config import Config
from herald.core.service import ReaderService

from .bot import HeraldDiscord

log = logging.getLogger(__name__)


def configure_endpoints(api_base: str, gateway_url: str | None) -> None:
    """Point discord.py at another REST base and gateway (a compatible server, or a test fake).

    discord.py keeps both as class attributes, so this is process-wide, like the library.
    """
    Route.BASE = api_base.rstrip("/")
    if gateway_url:
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)


def build_client(reader: ReaderService, config: Config) -> HeraldDiscord:
    configure_endpoints(config.discord.api_base, config.discord.gateway_url)
    return HeraldDiscord(
        reader,
        content_dir=config.content.dir,
        default_language=config.bot.default_language,
        guild_id=config.discord.guild_id,
    )


async def run_discord(client: HeraldDiscord, config: Config, stop: asyncio.Event) -> None:
    token = config.discord.token
    if token is None:
        raise ValueError("no Discord token: set HERALD_DISCORD_TOKEN")
    async with client:
        runner = asyncio.create_task(client.start(token.get_secret_value()))
        stopper = asyncio.create_task(stop.wait())
        done, _ = await asyncio.wait({runner, stopper}, return_when=asyncio.FIRST_COMPLETED)
        if runner in done:
            stopper.cancel()
            runner.result()  # a login failure surfaces here
            return
        await client.close()
        with contextlib.suppress(discord.ConnectionClosed, asyncio.CancelledError):
            await runner
