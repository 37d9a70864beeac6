"""Pacing sends to stay under a platform's limits without ever being told "429".

Leaky buckets with a capacity of one message: a bucket of capacity N would let N messages
out at once and then N more within the same second, i.e. twice the limit in a sliding
window.  One slot per 1/rate seconds, with a small safety margin for clock jitter, keeps
every one-second (or one-minute) window under the limit while reaching ~98 % of it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from aiolimiter import AsyncLimiter

from herald.push.messenger import ChatLimits

SAFETY = 0.98
_MAX_TRACKED_CHATS = 4096


def _spaced(per_second: float) -> AsyncLimiter:
    return AsyncLimiter(max_rate=1, time_period=1 / (per_second * SAFETY))


class Pacer:
    def __init__(self, limits: ChatLimits) -> None:
        self.limits = limits
        self._overall = _spaced(limits.per_second)
        self._chats: dict[str, AsyncLimiter] = {}

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

    @asynccontextmanager
    async def slot(self, chat_id: str, *, group: bool) -> AsyncIterator[None]:
        """Wait for the chat's turn first, then the platform's, so one slow chat blocks no one."""
        async with AsyncExitStack() as stack:
            await stack.enter_async_context(self._chat(chat_id, group))
            await stack.enter_async_context(self._overall)
            yield
