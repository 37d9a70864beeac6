"""Pushes to Telegram: the dispatcher's `Messenger`, over a plain Bot with no retry logic.

The interactive bot's rate limiter retries 429s by itself; for pushes the outbox must see
each RetryAfter to honour it exactly and durably, so this uses its own `telegram.Bot` and
leaves pacing to the dispatcher's Pacer.
"""

from __future__ import annotations

from datetime import timedelta

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, TimedOut
from telegram.error import RetryAfter as TelegramRetryAfter

from herald.core.i18n import t
from herald.core.views import Card
from herald.push.errors import PermanentFailure, RetryAfter, TemporaryFailure
from herald.push.messenger import ChatLimits

from .format import escape, hashtags, keyboard

_GONE = (
    "chat not found",
    "bot was kicked",
    "user is deactivated",
    "group chat was upgraded",
    "have no rights to send",
    "not enough rights",
    "chat_write_forbidden",
)


def announcement_html(card: Card, lang: str) -> str:
    meta = " · ".join(part for part in (card.date_text, hashtags(card.tags)) if part)
    return (
        f"<b>{escape(t(lang, 'banner'))}</b>\n\n<b>{escape(card.title)}</b>\n"
        f"<i>{escape(meta)}</i>\n{escape(card.excerpt)}"
    )


class TelegramMessenger:
    platform = "telegram"

    def __init__(self, bot: Bot, limits: ChatLimits) -> None:
        self.bot = bot
        self.limits = limits

    def is_group(self, chat_id: str) -> bool:
        return chat_id.startswith("-")

    async def send_card(self, chat_id: str, card: Card, *, lang: str) -> None:
        try:
            await self.bot.send_message(
                int(chat_id),
                announcement_html(card, lang),
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard([[card.read]]),
                disable_web_page_preview=True,
            )
        except TelegramRetryAfter as exc:
            wait = exc.retry_after
            seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
            raise RetryAfter(seconds) from None
        except Forbidden as exc:
            raise PermanentFailure(exc.message) from None
        except BadRequest as exc:
            if any(reason in exc.message.lower() for reason in _GONE):
                raise PermanentFailure(exc.message) from None
            raise TemporaryFailure(exc.message) from None
        except (TimedOut, NetworkError) as exc:
            raise TemporaryFailure(exc.message or type(exc).__name__) from None
