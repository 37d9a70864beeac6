"""Telegram's flood limits, all three: 30 messages/s overall, 20/min per group, 1/s per chat.

python-telegram-bot's AIORateLimiter paces the overall rate and groups but lets private
chats burst; Telegram asks for about one message per second in a chat, so this subclass adds
a per-private-chat limiter around the same machinery (and keeps its retry_after handling).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.ext import AIORateLimiter

JSONDict = dict[str, Any]
_MAX_TRACKED_CHATS = 1024
SAFETY = 0.95
"""Stay a little under the limit: timers are not exact, and Telegram counts strictly."""


class ChatAwareRateLimiter(AIORateLimiter):
    def __init__(
        self,
        *,
        per_second: float,
        per_chat_per_second: float,
        per_group_per_minute: float,
        max_retries: int = 3,
    ) -> None:
        super().__init__(
            overall_max_rate=per_second,
            overall_time_period=1,
            group_max_rate=per_group_per_minute,
            group_time_period=60,
            max_retries=max_retries,
        )
        self._per_chat = per_chat_per_second
        self._chat_limiters: dict[int, AsyncLimiter] = {}

    def _chat_limiter(self, chat_id: int) -> AsyncLimiter:
        if len(self._chat_limiters) > _MAX_TRACKED_CHATS:
            for key, limiter in list(self._chat_limiters.items()):
                if limiter.has_capacity(limiter.max_rate):  # idle: forgetting it changes nothing
                    del self._chat_limiters[key]
        if chat_id not in self._chat_limiters:
            spacing = 1 / (self._per_chat * SAFETY)
            self._chat_limiters[chat_id] = AsyncLimiter(max_rate=1, time_period=spacing)
        return self._chat_limiters[chat_id]

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
        if not (isinstance(chat_id, int | str) and str(chat_id).isdigit()):
            return await super().process_request(
                callback, args, kwargs, endpoint, data, rate_limit_args
            )
        limiter = self._chat_limiter(int(chat_id))

        async def paced(*call_args: Any, **call_kwargs: Any) -> bool | JSONDict | list[JSONDict]:
            # Paced per attempt, after any retry_after wait: a retried message and the next
            # one must not leave back to back.
            async with limiter:
                return await callback(*call_args, **call_kwargs)

        return await super().process_request(paced, args, kwargs, endpoint, data, rate_limit_args)
