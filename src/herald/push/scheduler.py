"""Publish posts dated in the future at their time.

A timer re-armed whenever the content changes, rather than polling: the earliest
scheduled post decides when to wake.  A store that refuses the publishing write (disk full,
locked) is waited out with backoff: the post is published, and its deliveries planned, as
soon as the store takes writes again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from herald.core.ports import ContentIndex, StoreUnavailable
from herald.push.supervise import Backoff, StoreOutage
from herald.push.waiting import first_of

log = logging.getLogger(__name__)
MAX_TIMER_SECONDS = 3600.0
"""Re-arm at least hourly, so a suspended machine or a changed clock cannot delay a post long."""


class Scheduler:
    def __init__(
        self,
        index: ContentIndex,
        on_published: Callable[[list[int]], None],
        *,
        outage: StoreOutage | None = None,
        store_retry: Callable[[], Backoff] = Backoff,
    ) -> None:
        self.index = index
        self.on_published = on_published
        self.outage = outage or StoreOutage()
        self.store_retry = store_retry
        self._changed = asyncio.Event()

    def reschedule(self) -> None:
        """The content changed: the earliest scheduled post may be another one now."""
        self._changed.set()

    async def publish_now(self) -> list[int]:
        ids = await self.index.publish_due()
        if ids:
            self.outage.passed()
            log.info("published %d scheduled post(s)", len(ids))
            self.on_published(ids)
        return ids

    async def run(self, stop: asyncio.Event) -> None:
        refused = self.store_retry()
        while not stop.is_set():
            self._changed.clear()
            try:
                await self._next(stop)
            except StoreUnavailable as fault:
                self.outage.failed(fault, doing="publishing scheduled posts")
                await first_of(stop, seconds=refused.next())
                continue
            refused.reset()

    async def _next(self, stop: asyncio.Event) -> None:
        """Publish what is due now, else wait for the earliest date or a content change."""
        due = await self.index.next_scheduled()
        wait = MAX_TIMER_SECONDS if due is None else max(0.0, due - time.time())
        if wait <= 0:
            await self.publish_now()
            return
        await first_of(self._changed, stop, seconds=min(wait, MAX_TIMER_SECONDS))
        if not stop.is_set() and not self._changed.is_set():
            await self.publish_now()
