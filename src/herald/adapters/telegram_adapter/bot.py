"""The Telegram bot: its Application for readers, a plain Bot for pushes, one budget.

Readers' updates arrive by long polling (default) or a webhook; pushes go out through a
second bot without retry logic, because the outbox must see each 429 to honour it
durably.  Both pace through the token's one send budget (Telegram's limits are per bot
token): the Application's requests as replies (first), the dispatcher's as pushes (what is
left).  The budget is the composition root's (`Services.send_budget`): in this process, or
shared by every replica on a PostgreSQL store.
"""

from __future__ import annotations

import asyncio
import logging
import os
from contextlib import AsyncExitStack
from datetime import timedelta
from urllib.parse import urlsplit

from telegram import Bot, BotCommand, Update
from telegram.error import (
    BadRequest,
    Conflict,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ExtBot,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from herald.adapters import AdapterError, Services
from herald.adapters.connecting import DEFAULT_BACKOFF, Backoff, keep_trying
from herald.adapters.telegram_adapter import PLATFORM, TelegramSettings
from herald.core.commands import commands_for
from herald.core.i18n import FALLBACK, LANGUAGES
from herald.logs import one_line
from herald.push.budget import SendBudget
from herald.push.pacing import ChatLimits

from .handlers import TelegramHandlers
from .messenger import TelegramMessenger
from .ratelimit import PushRateLimiter, ReplyRateLimiter

log = logging.getLogger(__name__)
# Opt in to python-telegram-bot's future behaviour (RetryAfter.retry_after as a timedelta),
# which our code already handles, instead of a deprecation warning on every 429.
os.environ.setdefault("PTB_TIMEDELTA", "1")


class TelegramAdapter:
    def __init__(
        self, settings: TelegramSettings, services: Services, *, backoff: Backoff = DEFAULT_BACKOFF
    ) -> None:
        if settings.token is None:
            raise ValueError(f"no Telegram token: set {settings.token_env}")
        self.settings = settings
        self.backoff = backoff
        self.pacer = services.send_budget(
            PLATFORM.name,
            settings.token,
            ChatLimits(
                per_second=settings.max_per_second,
                per_chat_per_second=settings.max_per_chat_per_second,
                per_group_per_minute=settings.max_per_group_per_minute,
                chat_burst=settings.max_burst_per_chat,
            ),
        )
        self.application = build_application(settings, services, self.pacer)
        self.web_base_url = services.web_base_url
        self.push_bot = push_bot(settings.token.get_secret_value(), settings.base_url, self.pacer)
        self.connected = asyncio.Event()
        """Set once Telegram answered: until then pushes wait instead of failing."""

    async def open(self, stack: AsyncExitStack) -> TelegramMessenger:
        """No network here: Telegram may be unreachable at start (`run` keeps trying)."""
        stack.push_async_callback(self.push_bot.shutdown)
        return TelegramMessenger(
            self.push_bot, self.pacer, connected=self.connected, web_base_url=self.web_base_url
        )

    async def run(self, stop: asyncio.Event) -> None:
        where = f"telegram ({urlsplit(self.settings.base_url).netloc})"
        try:
            started = await keep_trying(
                where, self._start, retryable=_passing, stop=stop, log=log, backoff=self.backoff
            )
            if started is None:
                return
            self.connected.set()
            log.info("telegram: running as @%s", self.application.bot.username)
            await stop.wait()
        finally:  # also when cancelled: the Application refuses to shut down while running
            self.connected.clear()
            await self._stop()
            await self.application.bot.shutdown()

    async def _start(self) -> bool:
        """One attempt: ask Telegram who we are, register the menus, start taking updates."""
        try:
            await self.application.initialize()
            await self.push_bot.initialize()
            await register_commands(self.application)
            await self.application.start()
            await start_updates(self.application, self.settings)
        except InvalidToken:
            env = self.settings.token_env
            raise AdapterError(f"telegram: the token in {env} was rejected") from None
        except BaseException:
            await self._stop()
            raise
        return True

    async def _stop(self) -> None:
        updater = self.application.updater
        if updater is not None and updater.running:
            await updater.stop()
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()


def _passing(exc: BaseException) -> bool:
    """Telegram unreachable, slow, overloaded or rate limiting: worth trying again.
    (python-telegram-bot's BadRequest is a NetworkError too, but retrying cannot fix it.)"""
    return isinstance(exc, NetworkError | RetryAfter) and not isinstance(exc, BadRequest)


def push_bot(token: str, base_url: str, pacer: SendBudget) -> Bot:
    """The bot pushes go out through: paced by the dispatcher, its 429s pause `pacer`."""
    return ExtBot(token, base_url=base_url, rate_limiter=PushRateLimiter(pacer))


def build_application(
    settings: TelegramSettings, services: Services, pacer: SendBudget
) -> Application:  # type: ignore[type-arg]
    assert settings.token is not None
    application = (
        ApplicationBuilder()
        .token(settings.token.get_secret_value())
        .base_url(settings.base_url)
        .base_file_url(settings.base_url.replace("/bot", "/file/bot"))
        .rate_limiter(ReplyRateLimiter(pacer))
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


async def start_updates(application: Application, settings: TelegramSettings) -> None:  # type: ignore[type-arg]
    """Long polling by default, a webhook when configured."""
    updater = application.updater
    assert updater is not None
    if settings.mode == "webhook" and settings.webhook_url:
        try:
            await updater.start_webhook(
                listen=settings.webhook_listen,
                port=settings.webhook_port,
                url_path=urlsplit(settings.webhook_url).path.lstrip("/"),
                webhook_url=settings.webhook_url,
                secret_token=settings.webhook_secret(),
                allowed_updates=Update.ALL_TYPES,
            )
        except OSError as exc:  # the port is taken or the address is not this machine's
            where = f"{settings.webhook_listen}:{settings.webhook_port}"
            raise AdapterError(f"telegram: cannot listen on {where}: {exc.strerror}") from None
    else:
        await updater.start_polling(
            allowed_updates=Update.ALL_TYPES,
            drop_pending_updates=False,
            timeout=timedelta(seconds=settings.poll_timeout),
            error_callback=PollingFailures().heard,
        )


class PollingFailures:
    """What the log says when a poll fails; python-telegram-bot retries by itself.

    One line per failure, no traceback; but a 409 Conflict means another process polls
    the same token (a second replica left in polling mode, an old deployment still
    running), and Telegram keeps ending one poll with the other for as long as both run:
    said once, with what to do, and then only at debug level."""

    def __init__(self) -> None:
        self.conflicts = 0

    def heard(self, exc: TelegramError) -> None:
        if not isinstance(exc, Conflict):
            log.warning("telegram: polling failed (%s); retrying", one_line(exc))
            return
        self.conflicts += 1
        if self.conflicts == 1:
            log.warning(
                "telegram: another process polls this bot's token (%s); Telegram hands "
                "each update to one of them. For several replicas use webhook mode "
                '(README, "Webhooks behind a load balancer"); told once',
                one_line(exc),
            )
        else:
            log.debug("telegram: polling conflict %d (%s)", self.conflicts, one_line(exc))
