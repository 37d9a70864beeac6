"""`herald run` with tokens: every enabled adapter in one task group, stopped on a signal."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

from herald.app import open_app
from herald.config import Config

log = logging.getLogger("herald")


async def run_service(config: Config, stop: asyncio.Event | None = None) -> None:
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        # Not possible off the main thread or on Windows; Ctrl-C still ends the process there.
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)
    async with open_app(config) as app:
        report = await app.sync()
        log.info(
            "content: %d added, %d updated, %d removed, %d unchanged, %d failed",
            len(report.added),
            len(report.updated),
            len(report.removed),
            report.unchanged,
            len(report.failed),
        )
        async with asyncio.TaskGroup() as group:
            if config.telegram.token is not None:
                from herald.adapters.telegram_adapter import build_application, run_telegram

                application = build_application(app.reader, config)
                group.create_task(run_telegram(application, config, stop))
            if config.discord.token is not None:
                from herald.adapters.discord_adapter import build_client, run_discord

                client = build_client(app.reader, config)
                group.create_task(run_discord(client, config, stop))
