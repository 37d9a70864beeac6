"""python-telegram-bot's rate-limiter hooks over the token's one send budget.

The interactive Application sends only replies to people (command answers, page edits,
article parts), so each of its messages takes a reply slot, before any push waiting in
the same budget (Telegram's limits are per bot token).  Requests that post no message in
a chat (answering a button or an inline query, polling, command menus, `getChatMember`)
are not counted, as Telegram does not count them either.

A 429 pauses the whole budget for its `retry_after`, whichever bot hears it.  A reply is
then tried again, as often as it takes: an update that cannot be answered now is answered
late, never dropped.  A push is not: the dispatcher paces it and the outbox reschedules it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from herald.push.budget import SendBudget

JSONDict = dict[str, Any]
Answer = bool | JSONDict | list[JSONDict]
Request = Callable[..., Coroutine[Any, Any, Answer]]
log = logging.getLogger(__name__)
_POSTING = ("send", "edit", "copy", "forward")
"""Bot API methods that put a message in a chat start so (sendMessage, editMessageText…)."""


def retry_seconds(error: RetryAfter) -> float:
    wait = error.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


def counted_chat(endpoint: str, data: dict[str, Any]) -> tuple[str, bool] | None:
    """The chat a request posts a message in, and whether it is a group (or channel:
    `@name` ids and negative ones); None for requests Telegram does not count."""
    chat_id = data.get("chat_id")
    if chat_id is None or not endpoint.startswith(_POSTING):
        return None
    key = str(chat_id)
    return key, key.startswith(("-", "@"))


class _OverPacer(BaseRateLimiter[int]):
    def __init__(self, pacer: SendBudget) -> None:
        self.pacer = pacer

    async def initialize(self) -> None:
        """Nothing to set up: the pacer lives as long as the adapter."""

    async def shutdown(self) -> None:
        """Nothing to release."""


class ReplyRateLimiter(_OverPacer):
    async def process_request(
        self,
        callback: Request,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Answer:
        chat = counted_chat(endpoint, data)
        if chat is None:
            return await callback(*args, **kwargs)
        chat_id, group = chat
        while True:
            try:
                async with self.pacer.reply_slot(chat_id, group=group):
                    return await callback(*args, **kwargs)
            except RetryAfter as exc:
                log.info("telegram: rate limited; pausing every send for %s", exc.retry_after)
                self.pacer.pause(retry_seconds(exc))


class PushRateLimiter(_OverPacer):
    """The push bot's hook: its sends are paced by the dispatcher (a push slot each), so
    this only hears 429s, pauses the budget, and lets the outbox see them."""

    async def process_request(
        self,
        callback: Request,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Answer:
        try:
            return await callback(*args, **kwargs)
        except RetryAfter as exc:
            log.info("telegram: push rate limited; pausing every send for %s", exc.retry_after)
            self.pacer.pause(retry_seconds(exc))
            raise
