"""Pacing sends to stay under a platform's limits without ever being told "429".

One `Pacer` per bot token, shared by everything that sends with it: the adapter's replies
and the push dispatcher.  Leaky buckets with a capacity of one message: a bucket of
capacity N would let N messages out at once and then N more within the same second, i.e.
twice the limit in a sliding window.  One slot per 1/rate seconds, with a small safety
margin for clock jitter, keeps every one-second (or one-minute) window under the limit
while reaching ~98 % of it.  A 429 pauses the whole budget for as long as the platform
asked.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass

from aiolimiter import AsyncLimiter

SAFETY = 0.98
_MAX_TRACKED_CHATS = 4096


@dataclass(frozen=True, slots=True)
class ChatLimits:
    """Sending rates a platform allows; `per_group_per_minute` applies to group chats."""

    per_second: float
    per_chat_per_second: float
    per_group_per_minute: float | None = None


def _spaced(per_second: float) -> AsyncLimiter:
    return AsyncLimiter(max_rate=1, time_period=1 / (per_second * SAFETY))


class Pacer:
    def __init__(self, limits: ChatLimits) -> None:
        self.limits = limits
        self._overall = _spaced(limits.per_second)
        self._chats: dict[str, AsyncLimiter] = {}
        self._paused_until = 0.0

    def _chat(self, chat_id: str, group: bool) -> AsyncLimiter:
        limiter = self._chats.get(chat_id)
        if limiter is None:
            if len(self._chats) > _MAX_TRACKED_CHATS:
                idle = [key for key, value in self._chats.items() if value.has_capacity()]
                for key in idle:
                    del self._chats[key]
            per_minute = self.limits.per_group_per_minute
            rate = per_minute / 60 if group and per_minute else self.limits.per_chat_per_second
            limiter = _spaced(rate)
            self._chats[chat_id] = limiter
        return limiter

    def pause(self, seconds: float) -> None:
        """The platform said "too many requests": nothing leaves for `seconds`."""
        self._paused_until = max(self._paused_until, time.monotonic() + seconds)

    @asynccontextmanager
    async def slot(self, chat_id: str | None, *, group: bool = False) -> AsyncIterator[None]:
        """Wait for the chat's turn first, then the platform's, so one slow chat blocks no
        one; a call that names no chat only waits for the platform's."""
        async with AsyncExitStack() as stack:
            if chat_id is not None:
                await stack.enter_async_context(self._chat(chat_id, group))
            await stack.enter_async_context(self._overall)
            wait = self._paused_until - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            yield
