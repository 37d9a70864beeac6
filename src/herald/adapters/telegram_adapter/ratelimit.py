"""python-telegram-bot's rate-limiter hook, over Herald's one `Pacer` for this token.

Replies to readers and pushes share that budget (Telegram counts them together: 30/s per
bot, ~1/s per chat, 20/min per group).  Requests that name no chat (answering a button,
polling, command menus) are not counted, as Telegram does not count them either.  A 429
pauses the whole budget for its `retry_after`, then the request is tried again.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from herald.push.pacing import Pacer

JSONDict = dict[str, Any]
log = logging.getLogger(__name__)


def retry_seconds(error: RetryAfter) -> float:
    wait = error.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


class PacedRateLimiter(BaseRateLimiter[int]):
    def __init__(self, pacer: Pacer, *, max_retries: int = 3) -> None:
        self.pacer = pacer
        self.max_retries = max_retries

    async def initialize(self) -> None:
        """Nothing to set up: the pacer lives as long as the adapter."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        chat_id = data.get("chat_id")
        if chat_id is None:
            return await callback(*args, **kwargs)
        with contextlib.suppress(ValueError, TypeError):
            chat_id = int(chat_id)
        group = isinstance(chat_id, str) or chat_id < 0
        retries = rate_limit_args or self.max_retries
        for attempt in range(retries + 1):
            try:
                async with self.pacer.slot(str(chat_id), group=group):
                    return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if attempt == retries:
                    raise
                log.info("telegram: rate limited; pausing every send for %s", exc.retry_after)
                self.pacer.pause(retry_seconds(exc))
        raise AssertionError("unreachable")
