"""`herald run`: every enabled adapter plus the push machinery, in one task group.

Stopped cleanly by SIGINT/SIGTERM (or, for the console, by the end of its input).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
import sys
import time
from collections.abc import Iterator

from herald.app import App, open_app
from herald.config import Config
from herald.push.messenger import ChatLimits, Messenger
from herald.push.service import run_push
from herald.push.waiting import first_of

log = logging.getLogger("herald")


async def run_service(
    config: Config, stop: asyncio.Event | None = None, *, handle_signals: bool = True
) -> None:
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM) if handle_signals else ():
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
        # The stack closes after the group: clients (the push bot) outlive every task.
        async with contextlib.AsyncExitStack() as stack, asyncio.TaskGroup() as group:
            messengers: list[Messenger] = []
            if config.telegram.token is None and config.discord.token is None:
                messengers.append(_console(app, group, stop))
            if config.telegram.token is not None:
                messengers.append(await _telegram(app, group, stack, stop))
            if config.discord.token is not None:
                messengers.append(_discord(app, group, stop))
            group.create_task(run_push(app, messengers, stop))
            group.create_task(render_excerpts_when_due(app, stop))
            stack.enter_context(startup_heap_frozen())


async def render_excerpts_when_due(app: App, stop: asyncio.Event) -> None:
    """After each sync, store the excerpts it left to render, while readers are served.

    Readers never wait for this (a missing excerpt is rendered when a card needs it); it
    runs at low priority, so it takes the cores only when the service leaves them idle.
    """
    while True:
        await first_of(app.excerpts_due, stop, seconds=3600)
        if stop.is_set():
            return
        if not app.excerpts_due.is_set():
            continue
        started = time.perf_counter()
        stored = await app.render_excerpts(background=True, stop=stop)
        if stored:
            log.info("rendered %d excerpt(s) in %.1f s", stored, time.perf_counter() - started)


@contextlib.contextmanager
def startup_heap_frozen() -> Iterator[None]:
    """Keep what start-up allocated out of the cyclic collector's sight while serving.

    Modules, config, adapters: with python-telegram-bot and discord.py loaded that is about
    100k long-lived objects, and every full collection walked them all, pausing the event
    loop for 50–70 ms — in a paced broadcast, long enough to bunch two sends (see
    BENCHMARKS.md).  Frozen (after one last collection, so no garbage is kept), they are
    skipped; whatever the service allocates later is collected as usual.  Unfrozen when
    the service stops, for a caller that goes on in the same process.
    """
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _console(app: App, group: asyncio.TaskGroup, stop: asyncio.Event) -> Messenger:
    from herald.adapters.console import ConsoleMessenger, run_console

    async def console_then_stop() -> None:
        try:
            await run_console(app.reader, lang=app.config.bot.default_language)
        finally:
            stop.set()

    group.create_task(console_then_stop())
    return ConsoleMessenger(sys.stdout)


async def _telegram(
    app: App, group: asyncio.TaskGroup, stack: contextlib.AsyncExitStack, stop: asyncio.Event
) -> Messenger:
    from telegram import Bot

    from herald.adapters.telegram_adapter import build_application, run_telegram
    from herald.adapters.telegram_adapter.messenger import TelegramMessenger

    settings = app.config.telegram
    assert settings.token is not None
    application = build_application(app.reader, app.config)
    group.create_task(run_telegram(application, app.config, stop))
    push_bot = Bot(settings.token.get_secret_value(), base_url=settings.base_url)
    await stack.enter_async_context(push_bot)
    limits = ChatLimits(
        per_second=settings.max_per_second,
        per_chat_per_second=settings.max_per_chat_per_second,
        per_group_per_minute=settings.max_per_group_per_minute,
    )
    return TelegramMessenger(push_bot, limits)


def _discord(app: App, group: asyncio.TaskGroup, stop: asyncio.Event) -> Messenger:
    from herald.adapters.discord_adapter import build_client, run_discord
    from herald.adapters.discord_adapter.messenger import DiscordMessenger

    client = build_client(app.reader, app.config)
    group.create_task(run_discord(client, app.config, stop))
    settings = app.config.discord
    limits = ChatLimits(
        per_second=settings.max_per_second,
        per_chat_per_second=settings.max_per_channel_per_second,
    )
    return DiscordMessenger(client, limits)
