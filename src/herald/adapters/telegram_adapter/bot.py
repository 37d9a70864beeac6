"""The Telegram bot: its Application for readers, a plain Bot for pushes, one budget.

Readers' updates arrive by long polling (default) or a webhook; pushes go out through a
second `Bot` without retry logic, because the outbox must see each 429 to honour it
durably.  Both pace through the same `Pacer`: Telegram's limits are per bot token.
"""

from __future__ import annotations

import asyncio
import logging
import os
from contextlib import AsyncExitStack
from datetime import timedelta
from urllib.parse import urlsplit

from telegram import Bot, BotCommand, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from herald.adapters import Services
from herald.adapters.telegram_adapter import PLATFORM, TelegramSettings
from herald.core.commands import commands_for
from herald.core.i18n import FALLBACK, LANGUAGES
from herald.push.pacing import ChatLimits, Pacer

from .handlers import TelegramHandlers
from .messenger import TelegramMessenger
from .ratelimit import PacedRateLimiter

log = logging.getLogger(__name__)
# Opt in to python-telegram-bot's future behaviour (RetryAfter.retry_after as a timedelta),
# which our code already handles, instead of a deprecation warning on every 429.
os.environ.setdefault("PTB_TIMEDELTA", "1")


class TelegramAdapter:
    def __init__(self, settings: TelegramSettings, services: Services) -> None:
        if settings.token is None:
            raise ValueError(f"no Telegram token: set {settings.token_env}")
        self.settings = settings
        self.pacer = Pacer(
            ChatLimits(
                per_second=settings.max_per_second,
                per_chat_per_second=settings.max_per_chat_per_second,
                per_group_per_minute=settings.max_per_group_per_minute,
            )
        )
        self.application = build_application(settings, services, self.pacer)

    async def open(self, stack: AsyncExitStack) -> TelegramMessenger:
        token = self.settings.token
        assert token is not None
        push_bot = Bot(token.get_secret_value(), base_url=self.settings.base_url)
        await stack.enter_async_context(push_bot)
        return TelegramMessenger(push_bot, self.pacer)

    async def run(self, stop: asyncio.Event) -> None:
        await run_application(self.application, self.settings, stop)


def build_application(settings: TelegramSettings, services: Services, pacer: Pacer) -> Application:  # type: ignore[type-arg]
    assert settings.token is not None
    application = (
        ApplicationBuilder()
        .token(settings.token.get_secret_value())
        .base_url(settings.base_url)
        .base_file_url(settings.base_url.replace("/bot", "/file/bot"))
        .rate_limiter(PacedRateLimiter(pacer))
        .concurrent_updates(8)
        .build()
    )
    handlers = TelegramHandlers(services)
    # In a channel only its administrators can post, so its subscription is theirs to set.
    in_channels = filters.UpdateType.CHANNEL_POSTS
    for command in commands_for(PLATFORM.name):
        callback = handlers.command(command)
        application.add_handler(CommandHandler(command.name, callback))
        if command.manages_chat:
            application.add_handler(CommandHandler(command.name, callback, filters=in_channels))
    application.add_handler(CallbackQueryHandler(handlers.button))
    application.add_handler(InlineQueryHandler(handlers.inline))
    # Unknown commands get a hint only in private chats: in groups they may be another bot's.
    application.add_handler(
        MessageHandler(filters.COMMAND & filters.ChatType.PRIVATE, handlers.unknown)
    )
    application.add_error_handler(handlers.error)
    return application


async def register_commands(application: Application) -> None:  # type: ignore[type-arg]
    """The command menu in every language Herald speaks, the fallback's for other clients."""
    commands = commands_for(PLATFORM.name)
    for lang in LANGUAGES:
        menu = [BotCommand(c.name, c.description(lang)) for c in commands]
        await application.bot.set_my_commands(menu, language_code=lang)
    default = [BotCommand(c.name, c.description(FALLBACK)) for c in commands]
    await application.bot.set_my_commands(default)


async def run_application(
    application: Application,  # type: ignore[type-arg]
    settings: TelegramSettings,
    stop: asyncio.Event,
) -> None:
    """Run until `stop` is set: long polling by default, a webhook when configured."""
    async with application:
        await register_commands(application)
        await application.start()
        updater = application.updater
        assert updater is not None
        try:
            if settings.mode == "webhook" and settings.webhook_url:
                await updater.start_webhook(
                    listen=settings.webhook_listen,
                    port=settings.webhook_port,
                    url_path=urlsplit(settings.webhook_url).path.lstrip("/"),
                    webhook_url=settings.webhook_url,
                    secret_token=settings.webhook_secret(),
                    allowed_updates=Update.ALL_TYPES,
                )
            else:
                await updater.start_polling(
                    allowed_updates=Update.ALL_TYPES,
                    drop_pending_updates=False,
                    timeout=timedelta(seconds=settings.poll_timeout),
                )
            log.info("telegram: running as @%s", application.bot.username)
            await stop.wait()
        finally:  # also when cancelled: the Application refuses to shut down while running
            if updater.running:
                await updater.stop()
            if application.running:
                await application.stop()
