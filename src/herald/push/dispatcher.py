"""Deliver outbox entries: claim, pace, send, record — per platform, concurrently.

Failures are sorted by what they mean (see push/errors.py): a 429 waits exactly as long as
the platform said, a 5xx or timeout backs off exponentially, a chat that is gone for good
deactivates its subscription.  Nothing here knows which platform it is talking to.
"""

from __future__ import annotations

import asyncio
import logging
import time

from herald.core.i18n import DEFAULT_LANGUAGE, Language
from herald.core.ports import Outbox
from herald.core.reader import ReaderService
from herald.core.records import Delivery
from herald.core.views import Card
from herald.push.errors import PermanentFailure, RetryAfter, TemporaryFailure
from herald.push.messenger import Messenger
from herald.push.waiting import first_of

log = logging.getLogger(__name__)
IDLE_POLL_SECONDS = 10.0
"""Also look now and then, for entries planned by another process (`herald sync`)."""
BACKOFF_MAX_SECONDS = 600.0


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
    ) -> None:
        self.outbox = outbox
        self.reader = reader
        self.messengers = messengers
        self.max_attempts = max_attempts
        self.concurrency = concurrency
        self.backoff_base = backoff_base
        self.default_language = default_language
        self._wake = asyncio.Event()
        self._cards: dict[tuple[int, str], Card | None] = {}

    def wake(self) -> None:
        """New entries were planned: stop waiting and look."""
        self._wake.set()

    async def run(self, stop: asyncio.Event) -> None:
        recovered = await self.outbox.recover()
        if recovered:
            log.warning(
                "push: %d delivery(ies) were in flight at the last stop; resending", recovered
            )
        async with asyncio.TaskGroup() as group:
            for messenger in self.messengers:
                group.create_task(self._run_platform(messenger, stop))

    async def _run_platform(self, messenger: Messenger, stop: asyncio.Event) -> None:
        while not stop.is_set():
            self._wake.clear()
            sent = await self.drain(messenger)
            if sent:
                continue
            due = await self.outbox.next_due(messenger.platform)
            timeout = IDLE_POLL_SECONDS if due is None else max(0.0, due - time.time())
            await first_of(self._wake, stop, seconds=min(timeout, IDLE_POLL_SECONDS))

    async def drain(self, messenger: Messenger) -> int:
        """Deliver every entry that is due now; returns how many were attempted.

        `concurrency` workers take entries from a small queue that a claimer keeps full, so
        one slow chat (paced to 20/min in a group) never holds up the others.  Only entries a
        worker has handed to the platform can be repeated after a crash.
        """
        self._cards.clear()  # a post edited since the last drain gets a fresh card
        queue: asyncio.Queue[Delivery | None] = asyncio.Queue(maxsize=self.concurrency)
        attempted = 0

        async def worker() -> None:
            while (delivery := await queue.get()) is not None:
                await self._deliver(messenger, delivery)

        async with asyncio.TaskGroup() as group:
            workers = [group.create_task(worker()) for _ in range(self.concurrency)]
            while batch := await self.outbox.claim(messenger.platform, limit=self.concurrency):
                for delivery in batch:
                    await queue.put(delivery)
                attempted += len(batch)
            for _ in workers:
                await queue.put(None)
        return attempted

    async def _card(self, post_id: int, lang: str) -> Card | None:
        """One card per post and language for a whole broadcast, not one read per chat."""
        key = (post_id, lang)
        if key not in self._cards:
            if len(self._cards) > 256:
                self._cards.clear()
            self._cards[key] = await self.reader.announcement(post_id, lang=lang)
        return self._cards[key]

    def _backoff(self, delivery: Delivery) -> float | None:
        """Seconds until the next attempt, doubling each time; None once attempts run out."""
        attempts = delivery.attempts + 1
        if attempts >= self.max_attempts:
            return None
        return float(min(self.backoff_base * 2 ** (attempts - 1), BACKOFF_MAX_SECONDS))

    async def _deliver(self, messenger: Messenger, delivery: Delivery) -> None:
        lang = delivery.language or self.default_language
        card = await self._card(delivery.post_id, lang)
        if card is None:
            await self.outbox.skip(delivery.id, "post is no longer published")
            return
        try:
            group = messenger.is_group(delivery.chat_id)
            async with messenger.pacer.slot(delivery.chat_id, group=group):
                await messenger.send_card(delivery.chat_id, card, lang=lang)
        except RetryAfter as exc:
            log.info("push: %s %s: %s", messenger.platform, delivery.chat_id, exc)
            await self.outbox.retry_after(delivery.id, exc.seconds, str(exc))
        except PermanentFailure as exc:
            log.warning(
                "push: %s %s unreachable, unsubscribing: %s",
                messenger.platform,
                delivery.chat_id,
                exc,
            )
            await self.outbox.drop(delivery, str(exc))
        except (TemporaryFailure, TimeoutError, OSError) as exc:
            error = str(exc) or type(exc).__name__
            delay = self._backoff(delivery)
            await self.outbox.retry_later(delivery, error, delay=delay)
            if delay is None:
                log.error("push: giving up on entry %d: %s", delivery.id, error)
        except Exception as exc:  # a bug must not stop the other deliveries
            log.exception("push: unexpected error for entry %d", delivery.id)
            await self.outbox.retry_later(delivery, repr(exc), delay=self._backoff(delivery))
        else:
            await self.outbox.mark_sent(delivery.id)
