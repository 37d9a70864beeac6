"""Keep the service's long-running jobs alive: back off, retry, restart, never exit.

Two kinds of trouble, two answers.  A store that cannot be written for a while (a full disk,
`herald sync` holding the write lock, an I/O error) is expected: each job that writes waits
it out with `Backoff` and reports to the one `StoreOutage`, which logs the outage once and
its end once, however many jobs meet it.  Anything else is a bug: `supervised` logs it with
its traceback and restarts the job after a pause that grows while it keeps failing, so a
broken watcher cannot take the readers' bot down with it.  Only `stop` ends a job.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from herald.core.ports import StoreUnavailable
from herald.push.waiting import first_of

log = logging.getLogger("herald.service")

STORE_RETRY_FIRST_SECONDS = 0.5
STORE_RETRY_MAX_SECONDS = 30.0
"""A write the store refused is tried again after 0.5 s, 1 s, 2 s … then every 30 s: soon
after a lock is released, rarely while a disk stays full."""
RESTART_FIRST_SECONDS = 1.0
RESTART_MAX_SECONDS = 60.0
HEALTHY_AFTER_SECONDS = 60.0
"""A job that ran this long before failing starts again from the first, short pause."""


class Backoff:
    """Pauses that double from `first` up to `most`, until `reset`."""

    def __init__(
        self, first: float = STORE_RETRY_FIRST_SECONDS, most: float = STORE_RETRY_MAX_SECONDS
    ) -> None:
        self.first = first
        self.most = most
        self._next = first

    def next(self) -> float:
        delay = self._next
        self._next = min(self._next * 2, self.most)
        return delay

    def reset(self) -> None:
        self._next = self.first


class StoreOutage:
    """One line when the store stops taking writes, one when it takes them again.

    Jobs call `failed` for every refused write and `passed` after a write that really
    changed something (an empty transaction commits even on a full disk, so it proves
    nothing); in between the log stays quiet.
    """

    def __init__(self) -> None:
        self.since: float | None = None
        self.refused = 0

    @property
    def ongoing(self) -> bool:
        return self.since is not None

    def failed(self, fault: StoreUnavailable, *, doing: str) -> None:
        self.refused += 1
        if self.since is not None:
            log.debug("store still unavailable (%s): %s", doing, fault)
            return
        self.since = time.monotonic()
        log.warning(
            "store unavailable (%s): %s; writes wait and are retried, readers are still served",
            doing,
            fault,
        )

    def passed(self) -> None:
        if self.since is None:
            return
        log.warning(
            "store available again after %.1f s (%d write(s) retried); carrying on",
            time.monotonic() - self.since,
            self.refused,
        )
        self.since = None
        self.refused = 0


async def supervised(
    name: str,
    job: Callable[[], Awaitable[None]],
    stop: asyncio.Event,
    *,
    outage: StoreOutage,
    backoff: Backoff | None = None,
) -> None:
    """Run `job` until `stop` is set, restarting it whenever it fails or ends early.

    A failure is logged with its traceback once; the same failure again is one line.
    """
    pauses = backoff or Backoff(RESTART_FIRST_SECONDS, RESTART_MAX_SECONDS)
    last_failure = ""
    while not stop.is_set():
        started = time.monotonic()
        try:
            await job()
        except StoreUnavailable as fault:  # a job that did not wait it out itself
            outage.failed(fault, doing=name)
        except Exception as exc:
            failure = f"{type(exc).__name__}: {exc}"
            if failure != last_failure:
                log.exception("%s failed; restarting it", name)
            else:
                log.warning("%s failed again (%s); restarting it", name, failure)
            last_failure = failure
        else:
            if stop.is_set():
                return
            log.warning("%s ended by itself; restarting it", name)
        if time.monotonic() - started >= HEALTHY_AFTER_SECONDS:
            pauses.reset()
        await first_of(stop, seconds=pauses.next())


async def until_written(
    write: Callable[[], Awaitable[None]],
    *,
    doing: str,
    outage: StoreOutage,
    stop: asyncio.Event,
    backoff: Backoff | None = None,
) -> bool:
    """Retry a write the store refuses until it is written (True) or `stop` is set (False)."""
    pauses = backoff or Backoff()
    while True:
        try:
            await write()
        except StoreUnavailable as fault:
            outage.failed(fault, doing=doing)
            if stop.is_set():
                return False
            await first_of(stop, seconds=pauses.next())
            continue
        outage.passed()
        return True
