"""The Telegram adapter (python-telegram-bot v22): build the Application and run it."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
from datetime import timedelta
from urllib.parse import urlsplit

from telegram import BotCommand, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from herald.config import Config, TelegramConfig
from herald.core.commands import COMMANDS
from herald.core.i18n import LANGUAGES
from herald.core.service import ReaderService

from .handlers import TelegramHandlers
from .ratelimit import ChatAwareRateLimiter

log = logging.getLogger(__name__)
# Opt in to python-telegram-bot's future behaviour (RetryAfter.retry_after as a timedelta),
# which our code already handles, instead of a deprecation warning on every 429.
os.environ.setdefault("PTB_TIMEDELTA", "1")


def build_application(reader: ReaderService, config: Config) -> Application:  # type: ignore[type-arg]
    settings = config.telegram
    if settings.token is None:
        raise ValueError("no Telegram token: set HERALD_TELEGRAM_TOKEN")
    application = (
        ApplicationBuilder()
        .token(settings.token.get_secret_value())
        .base_url(settings.base_url)
        .base_file_url(settings.base_url.replace("/bot", "/file/bot"))
        .rate_limiter(_rate_limiter(settings))
        .concurrent_updates(8)
        .build()
    )
    handlers = TelegramHandlers(
        reader, content_dir=config.content.dir, default_language=config.bot.default_language
    )
    commands = {
        "start": handlers.start,
        "help": handlers.help,
        "latest": handlers.latest,
        "read": handlers.read,
        "search": handlers.search,
        "tags": handlers.tags,
        "tag": handlers.tag,
        "subscribe": handlers.subscribe,
        "unsubscribe": handlers.unsubscribe,
        "language": handlers.set_language,
    }
    for name, callback in commands.items():
        application.add_handler(CommandHandler(name, callback))
    # In a channel only its administrators can post, so its subscription is theirs to set.
    in_channels = filters.UpdateType.CHANNEL_POSTS
    application.add_handler(CommandHandler("subscribe", handlers.subscribe, filters=in_channels))
    application.add_handler(
        CommandHandler("unsubscribe", handlers.unsubscribe, filters=in_channels)
    )
    application.add_handler(CallbackQueryHandler(handlers.button))
    application.add_handler(InlineQueryHandler(handlers.inline))
    # Unknown commands get a hint only in private chats: in groups they may be another bot's.
    application.add_handler(
        MessageHandler(filters.COMMAND & filters.ChatType.PRIVATE, handlers.unknown)
    )
    application.add_error_handler(handlers.error)
    return application


def webhook_secret(settings: TelegramConfig) -> str:
    """Telegram echoes this in a header on every webhook call, so forged POSTs are refused.

    Derived from the token (never the token itself), so it is stable across restarts.
    """
    assert settings.token is not None
    digest = hashlib.sha256(b"herald-webhook:" + settings.token.get_secret_value().encode())
    return digest.hexdigest()[:48]


def _rate_limiter(settings: TelegramConfig) -> ChatAwareRateLimiter:
    return ChatAwareRateLimiter(
        per_second=settings.max_per_second,
        per_chat_per_second=settings.max_per_chat_per_second,
        per_group_per_minute=settings.max_per_group_per_minute,
    )


async def _register_commands(application: Application) -> None:  # type: ignore[type-arg]
    """The command menu, in Chinese for Chinese clients and English for everyone else."""
    for lang in LANGUAGES:
        menu = [BotCommand(c.name, c.description(lang)) for c in COMMANDS]
        await application.bot.set_my_commands(menu, language_code=lang)
    english = [BotCommand(c.name, c.description("en")) for c in COMMANDS]
    await application.bot.set_my_commands(english)


async def run_telegram(application: Application, config: Config, stop: asyncio.Event) -> None:  # type: ignore[type-arg]
    """Run until `stop` is set: long polling by default, a webhook when configured."""
    settings = config.telegram
    async with application:
        await _register_commands(application)
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
                    secret_token=webhook_secret(settings),
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
