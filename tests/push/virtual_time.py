"""A clock for `Pacer` that moves only when every task is waiting on it.

Minutes of pacing run in milliseconds and the same way every time: `run` lets the event
loop settle, then jumps to the earliest sleeper's deadline and wakes it, until the awaited
work is done.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Awaitable
from typing import TypeVar

T = TypeVar("T")
_SETTLE_YIELDS = 50
"""Turns of the event loop that let every woken task run until it waits again."""


class VirtualClock:
    def __init__(self) -> None:
        self._now = 0.0
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def now(self) -> float:
        return self._now

    async def sleep(self, seconds: float) -> None:
        future = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self._now + max(0.0, seconds), next(self._order), future))
        await future

    async def run(self, work: Awaitable[T], *, limit: float = 3600.0) -> T:
        """Await `work`, moving time on whenever nothing else can run."""
        task = asyncio.ensure_future(work)
        while True:
            for _ in range(_SETTLE_YIELDS):
                await asyncio.sleep(0)
            if task.done():
                return task.result()
            while self._sleepers and self._sleepers[0][2].done():
                heapq.heappop(self._sleepers)  # cancelled
            if not self._sleepers:
                raise AssertionError("deadlock: the work waits, and no one sleeps")
            deadline, _, future = heapq.heappop(self._sleepers)
            if deadline > limit:
                task.cancel()
                raise AssertionError(f"still waiting at {deadline:.3f} s of virtual time")
            self._now = max(self._now, deadline)
            future.set_result(None)
