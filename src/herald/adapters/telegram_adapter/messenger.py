"""Pushes to Telegram: the dispatcher's `Messenger`, over a plain Bot with no retry logic.

The dispatcher paces through the token's send budget and the outbox honours each 429
itself, durably; what fails here is reported by kind.
"""

from __future__ import annotations

import asyncio

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, TimedOut
from telegram.error import RetryAfter as TelegramRetryAfter

from herald.core.records import Delivery
from herald.core.views import Announcement
from herald.limits import NOT_CONNECTED_RETRY_SECONDS
from herald.push.budget import SendBudget
from herald.push.errors import PermanentFailure, RetryAfter, TemporaryFailure
from herald.render.previews import first_web_link
from herald.render.telegram_push import push_message
from herald.render.web_links import with_reader_links

from .ratelimit import retry_seconds
from .wire import send

_GONE = (
    "chat not found",
    "bot was kicked",
    "user is deactivated",
    "group chat was upgraded",
    "have no rights to send",
    "not enough rights",
    "chat_write_forbidden",
    "message thread not found",  # the forum topic was deleted
    "topic_deleted",
)


class TelegramMessenger:
    platform = "telegram"

    def __init__(
        self,
        bot: Bot,
        pacer: SendBudget,
        *,
        connected: asyncio.Event | None = None,
        web_base_url: str | None = None,
    ) -> None:
        self.bot = bot
        self.pacer = pacer
        self.web_base_url = web_base_url
        """The web reader's public URL: pushed cards link there (issue 20)."""
        self.connected = connected
        """Set while Telegram is reachable (None: always, the bot is connected already)."""

    def is_group(self, chat_id: str) -> bool:
        return chat_id.startswith("-")

    @property
    def bot_username(self) -> str | None:
        """For tag links; known once the bot has asked Telegram who it is."""
        try:
            return self.bot.username
        except RuntimeError:  # not initialised yet
            return None

    async def send(self, delivery: Delivery, post: Announcement) -> None:
        """One message in the subscription's chat or forum topic, as its options ask."""
        if self.connected is not None and not self.connected.is_set():
            # Not the chat's fault, so not counted as a failed attempt: wait and see.
            raise RetryAfter(NOT_CONNECTED_RETRY_SECONDS, "telegram: not connected yet")
        options = delivery.options
        post = with_reader_links(post, self.web_base_url)
        message = push_message(post, options.mode, bot_username=self.bot_username)
        preview = first_web_link(post.article.document) if post.article else None
        try:
            await send(
                self.bot,
                int(delivery.chat_id),
                message,
                thread_id=int(delivery.topic) if delivery.topic else None,
                silent=options.silent,
                preview_url=preview if options.link_preview else None,
            )
        except TelegramRetryAfter as exc:
            raise RetryAfter(retry_seconds(exc)) from None
        except Forbidden as exc:
            raise PermanentFailure(exc.message) from None
        except BadRequest as exc:
            if any(reason in exc.message.lower() for reason in _GONE):
                raise PermanentFailure(exc.message) from None
            raise TemporaryFailure(exc.message) from None
        except (TimedOut, NetworkError) as exc:
            raise TemporaryFailure(exc.message or type(exc).__name__) from None
