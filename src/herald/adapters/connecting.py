"""Connecting to a platform that is not there yet: capped exponential backoff, one line each.

At start a chat platform may be unreachable (no network yet, a proxy restarting, an outage).
That is not a reason to take down the rest of the service — the watcher, the store, the
other platforms — nor to print a traceback: the adapter keeps trying, 1 s, 2 s, 4 s … up
to a minute apart, logging one line per failed attempt, until it connects or the service
stops.  What the operator must fix instead (a rejected token) is raised at once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from herald.limits import CONNECT_RETRY_FIRST_SECONDS, CONNECT_RETRY_MAX_SECONDS
from herald.logs import one_line
from herald.push.waiting import first_of

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Backoff:
    first: float = CONNECT_RETRY_FIRST_SECONDS
    cap: float = CONNECT_RETRY_MAX_SECONDS

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number `attempt` (1, 2, …)."""
        return float(min(self.first * 2 ** min(attempt - 1, 32), self.cap))


DEFAULT_BACKOFF = Backoff()


async def keep_trying(
    what: str,
    connect: Callable[[], Awaitable[T]],
    *,
    retryable: Callable[[BaseException], bool],
    stop: asyncio.Event,
    log: logging.Logger,
    backoff: Backoff = DEFAULT_BACKOFF,
) -> T | None:
    """`connect()`'s result once it succeeds; None if `stop` was set first.

    A failure `retryable` accepts is logged as one line (no traceback: it is expected) and
    tried again after the backoff; any other is raised.
    """
    attempt = 0
    while not stop.is_set():
        attempt += 1
        try:
            result = await connect()
        except Exception as exc:
            if not retryable(exc):
                raise
            delay = backoff.delay(attempt)
            log.warning(
                "%s: cannot connect (attempt %d: %s); trying again in %g s",
                what,
                attempt,
                one_line(exc),
                delay,
            )
            await first_of(stop, seconds=delay)
            continue
        if attempt > 1:
            log.warning("%s: connected after %d attempts", what, attempt)
        return result
    return None
