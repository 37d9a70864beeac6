"""Deliver outbox entries: claim, pace, send, record — per platform, concurrently.

Failures are sorted by what they mean (see push/errors.py): a 429 waits exactly as long as
the platform said, a 5xx or timeout backs off exponentially, a chat that is gone for good
deactivates its subscription.  Nothing here knows which platform it is talking to.

A store that refuses writes for a while (`StoreUnavailable`: disk full, locked, I/O) loses
nothing and sends nothing twice: a message the platform accepted keeps its worker until its
`sent` mark is written, retried with backoff, and no new entry is claimed meanwhile; every
other outcome is kept the same way.  Once the store takes writes again, delivery goes on by
itself.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Protocol

from herald.core.i18n import DEFAULT_LANGUAGE, Language
from herald.core.ports import Outbox, StoreUnavailable
from herald.core.reader import ReaderService
from herald.core.records import Delivery
from herald.core.views import Announcement
from herald.push.errors import PermanentFailure, RetryAfter, TemporaryFailure
from herald.push.messenger import Messenger
from herald.push.supervise import Backoff, StoreOutage, until_written
from herald.push.waiting import first_of

log = logging.getLogger(__name__)
IDLE_POLL_SECONDS = 10.0
"""Also look now and then, for entries planned by another process (`herald sync`)."""
BACKOFF_MAX_SECONDS = 600.0
LEASE_RENEW_SECONDS = 30.0
"""How often a drain renews its claims while it works: well inside any lease a shared
store gives (PostgreSQL's: 120 s), so a send paced behind a slow chat stays this
replica's and is not taken back and sent again by another."""


class PushObserver(Protocol):
    """Who hears each delivery's outcome (the service's metrics, `herald.metrics`)."""

    def pushed(self, platform: str, outcome: str) -> None: ...


class Dispatcher:
    def __init__(
        self,
        outbox: Outbox,
        reader: ReaderService,
        messengers: list[Messenger],
        *,
        max_attempts: int = 8,
        concurrency: int = 16,
        backoff_base: float = 2.0,
        default_language: Language = DEFAULT_LANGUAGE,
        outage: StoreOutage | None = None,
        store_retry: Callable[[], Backoff] = Backoff,
        observer: PushObserver | None = None,
        renew_every: float = LEASE_RENEW_SECONDS,
    ) -> None:
        self.outbox = outbox
        self.reader = reader
        self.messengers = messengers
        self.max_attempts = max_attempts
        self.concurrency = concurrency
        self.backoff_base = backoff_base
        self.default_language = default_language
        self.outage = outage or StoreOutage()
        self.store_retry = store_retry
        """Makes the pauses between attempts at a write the store refused."""
        self.observer = observer
        self.renew_every = renew_every
        self._wake = asyncio.Event()
        self._stop = asyncio.Event()
        """The running service's stop: ends retries of writes the store keeps refusing."""
        self._posts: dict[tuple[int, str, bool], Announcement | None] = {}

    def wake(self) -> None:
        """New entries were planned: stop waiting and look."""
        self._wake.set()

    async def run(self, stop: asyncio.Event) -> None:
        self._stop = stop
        recovered = 0

        async def recover() -> None:
            nonlocal recovered
            recovered = await self.outbox.recover()

        # Nothing is claimed before the last run's in-flight entries are back in the queue.
        if not await self._written(recover, "recovering the outbox"):
            return
        if recovered:
            log.warning(
                "push: %d delivery(ies) were in flight at the last stop; resending", recovered
            )
        async with asyncio.TaskGroup() as group:
            for messenger in self.messengers:
                group.create_task(self._run_platform(messenger, stop))

    async def _run_platform(self, messenger: Messenger, stop: asyncio.Event) -> None:
        refused = self.store_retry()
        while not stop.is_set():
            self._wake.clear()
            try:
                sent = await self.drain(messenger)
                if sent:
                    refused.reset()
                    continue
                due = await self.outbox.next_due(messenger.platform)
            except StoreUnavailable as fault:  # claims are refused: wait, then look again
                self.outage.failed(fault, doing="claiming deliveries")
                await first_of(stop, seconds=refused.next())
                continue
            refused.reset()
            timeout = IDLE_POLL_SECONDS if due is None else max(0.0, due - time.time())
            await first_of(self._wake, stop, seconds=min(timeout, IDLE_POLL_SECONDS))

    async def drain(self, messenger: Messenger) -> int:
        """Deliver every entry that is due now; returns how many were attempted.

        `concurrency` workers take entries from a small queue that a claimer keeps full, so
        one slow chat (paced to 20/min in a group) never holds up the others.  Only entries a
        worker has handed to the platform can be repeated after a crash.  A claim the store
        refuses ends the drain once the entries in hand are done, and is raised.
        """
        self._posts.clear()  # a post edited since the last drain gets a fresh card
        queue: asyncio.Queue[Delivery | None] = asyncio.Queue(maxsize=self.concurrency)
        attempted = 0
        refused: StoreUnavailable | None = None

        async def worker() -> None:
            while (delivery := await queue.get()) is not None:
                await self._deliver(messenger, delivery)

        async with asyncio.TaskGroup() as group:
            heartbeat = group.create_task(self._renew_leases())
            workers = [group.create_task(worker()) for _ in range(self.concurrency)]
            while not self._stop.is_set():
                try:
                    batch = await self.outbox.claim(messenger.platform, limit=self.concurrency)
                except StoreUnavailable as fault:
                    refused = fault
                    break
                if self.outage.ongoing and batch:
                    self.outage.passed()
                if not batch:
                    break
                for delivery in batch:
                    await queue.put(delivery)
                attempted += len(batch)
            for _ in workers:
                await queue.put(None)
            await asyncio.wait(workers)
            heartbeat.cancel()
        if refused is not None:
            raise refused
        return attempted

    async def _renew_leases(self) -> None:
        """While the drain runs, keep its claims its own (a refused renewal is tried at
        the next beat; the claims' outcomes wait out the outage themselves)."""
        while True:
            await asyncio.sleep(self.renew_every)
            try:
                await self.outbox.renew_leases()
            except StoreUnavailable as fault:
                self.outage.failed(fault, doing="renewing delivery leases")

    async def _announcement(self, delivery: Delivery, lang: str) -> Announcement | None:
        """One card (and article, for subscriptions that want it or its link previewed)
        per post and language for a whole broadcast, not one read per chat; None: no
        longer published."""
        whole = delivery.options.mode == "article" or delivery.options.link_preview
        key = (delivery.post_id, lang, whole)
        if key not in self._posts:
            if len(self._posts) > 256:
                self._posts.clear()
            self._posts[key] = await self.reader.announcement_of(
                delivery.post_id, lang=lang, with_article=whole
            )
        return self._posts[key]

    def _backoff(self, delivery: Delivery) -> float | None:
        """Seconds until the next attempt, doubling each time; None once attempts run out."""
        attempts = delivery.attempts + 1
        if attempts >= self.max_attempts:
            return None
        return float(min(self.backoff_base * 2 ** (attempts - 1), BACKOFF_MAX_SECONDS))

    async def _deliver(self, messenger: Messenger, delivery: Delivery) -> None:
        lang = delivery.language or self.default_language
        outbox = self.outbox
        try:
            post = await self._announcement(delivery, lang)
        except Exception as exc:  # the post could not be read: try again soon, not an attempt
            log.warning("push: cannot read post %d: %s", delivery.post_id, exc)
            later = partial(outbox.retry_after, delivery.id, self.backoff_base, repr(exc))
            await self._written(later, "requeueing")
            return
        if post is None:
            self._filed(messenger, "skipped")
            await self._written(
                partial(outbox.skip, delivery.id, "post is no longer published"), "skipping"
            )
            return
        try:
            group = messenger.is_group(delivery.chat_id)
            async with messenger.pacer.push_slot(delivery.chat_id, group=group):
                await messenger.send(delivery, post)
        except RetryAfter as exc:
            self._filed(messenger, "rate_limited")
            log.info("push: %s %s: %s", messenger.platform, delivery.chat_id, exc)
            wait = partial(outbox.retry_after, delivery.id, exc.seconds, str(exc))
            await self._written(wait, "rescheduling")
        except PermanentFailure as exc:
            self._filed(messenger, "unreachable")
            log.warning(
                "push: %s %s unreachable, unsubscribing: %s",
                messenger.platform,
                delivery.chat_id,
                exc,
            )
            await self._written(partial(outbox.drop, delivery, str(exc)), "unsubscribing")
        except (TemporaryFailure, TimeoutError, OSError) as exc:
            error = str(exc) or type(exc).__name__
            delay = self._backoff(delivery)
            self._filed(messenger, "retry" if delay is not None else "gave_up")
            await self._written(
                partial(outbox.retry_later, delivery, error, delay=delay), "rescheduling"
            )
            if delay is None:
                log.error("push: giving up on entry %d: %s", delivery.id, error)
        except Exception as exc:  # a bug must not stop the other deliveries
            log.exception("push: unexpected error for entry %d", delivery.id)
            self._filed(messenger, "retry")
            retry = partial(outbox.retry_later, delivery, repr(exc), delay=self._backoff(delivery))
            await self._written(retry, "rescheduling")
        else:
            self._filed(messenger, "sent")
            # Accepted by the platform: this worker holds the entry until its mark is
            # written, so it is neither lost nor sent again while the store is refusing.
            if not await self._written(partial(outbox.mark_sent, delivery.id), "marking sent"):
                log.warning(
                    "push: stopped before entry %d's sent mark was written; it may be sent "
                    "again at the next start",
                    delivery.id,
                )

    def _filed(self, messenger: Messenger, outcome: str) -> None:
        if self.observer is not None:
            self.observer.pushed(messenger.platform, outcome)

    async def _written(self, write: Callable[[], Awaitable[None]], doing: str) -> bool:
        """Retry an outcome the store refuses until it is written (False: stopped first)."""
        return await until_written(
            write,
            doing=f"push: {doing}",
            outage=self.outage,
            stop=self._stop,
            backoff=self.store_retry(),
        )
