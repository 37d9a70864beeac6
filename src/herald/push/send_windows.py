"""The arithmetic of a send budget: windows, per-chat buckets, and the clock they read.

Kept apart from `pacing.py` (which decides who goes next) so each rule can be read, and
reasoned about, on its own.  Every time here is the clock's, in seconds.

A platform counts a message when it receives it, and Herald cannot see that moment; it
only knows it lies between the start of the request and its answer.  So a send "uses" a
window from its start, and is counted as received as late as its answer: that keeps the
limit exact whatever the network's jitter, at the price of one round trip per window.
"""

from __future__ import annotations

import asyncio
import math
import time
from typing import Protocol

EDGE_SECONDS = 0.001
"""Added at every window's edge (a thousandth of a shorter window): float rounding there
must never be in our favour."""
MAX_COUNTED = 1024
"""Sends a window remembers; a faster limit is counted over a proportionally shorter time."""


class Clock(Protocol):
    """Monotonic time and sleeping, injected so tests can run the budget on virtual time."""

    def now(self) -> float: ...

    async def sleep(self, seconds: float) -> None: ...


class MonotonicClock:
    def now(self) -> float:
        return time.monotonic()  # the event loop's own clock

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


MONOTONIC = MonotonicClock()


class Window:
    """At most `count` sends in any `period` seconds, as the platform counts them.

    A ring of the last `count` sends' answer times (infinity while one is in flight): a
    new send may start once the one `count` places back was answered `period` ago.  The
    platform received that one before its answer and receives the new one after its start,
    so no sliding window of `period` there ever holds more than `count`.
    """

    __slots__ = ("_answered", "_oldest", "_span", "count", "period")

    def __init__(self, rate: float, period: float) -> None:
        whole = math.floor(rate)
        count = min(max(1, whole), MAX_COUNTED)
        if count != whole:  # below one, or beyond what is worth remembering: same rate
            period *= count / rate
        self.count = count
        self.period = period
        self._span = period + min(EDGE_SECONDS, period / 1000)
        self._answered = [-math.inf] * count
        self._oldest = 0

    def free_at(self) -> float:
        """When the next send may start (infinity: wait for an answer still in flight)."""
        return self._answered[self._oldest] + self._span

    def take(self) -> int:
        index = self._oldest
        self._answered[index] = math.inf
        self._oldest = (index + 1) % self.count
        return index

    def answered(self, index: int, now: float) -> None:
        self._answered[index] = now

    def idle(self, now: float) -> bool:
        """Nothing remembered still counts: the same as a fresh window."""
        return max(self._answered) + self.period <= now


class ChatBudget:
    """One chat's bucket: `burst` messages at once, then one per `interval`.

    Kept as GCRA (`due` is the bucket's theoretical arrival time: the bucket is full when
    it has passed) and corrected at each answer as if the platform had received the
    message then.  One message in flight per chat (`busy`): replies and pushes to one chat
    keep their order, and the correction is exact.  Groups also keep a `Window` (Telegram:
    no more than 20 a minute, whatever the bucket would allow).
    """

    __slots__ = ("burst_span", "busy", "due", "interval", "waiting", "window")

    def __init__(self, per_second: float, burst: int, window: Window | None) -> None:
        self.interval = 1.0 / per_second
        self.burst_span = (max(1, burst) - 1) * self.interval
        self.due = -math.inf
        self.busy = False
        self.waiting = 0
        """Slots queued for this chat: a chat with any is never forgotten."""
        self.window = window

    def ready_at(self) -> float:
        """When this chat may send again (infinity: a message of its is in flight)."""
        if self.busy:
            return math.inf
        at = self.due - self.burst_span
        if self.window is not None:
            at = max(at, self.window.free_at())
        return at

    def take(self, now: float) -> int:
        """Start a message; returns its place in the group window (-1 without one)."""
        self.busy = True
        self.due = max(self.due, now) + self.interval
        return self.window.take() if self.window is not None else -1

    def answered(self, index: int, now: float) -> None:
        """The platform answered this chat's message: the chat may send again."""
        self.busy = False
        self.due = max(self.due, now + self.interval)
        if index >= 0 and self.window is not None:
            self.window.answered(index, now)

    def idle(self, now: float) -> bool:
        """A full bucket, nothing in flight or queued: the same as a chat never seen."""
        if self.busy or self.waiting or self.due > now:
            return False
        return self.window is None or self.window.idle(now)
