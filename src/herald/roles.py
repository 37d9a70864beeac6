"""What a replica does besides serving readers: lead the content sync, or wait to.

Every `herald run` serves readers (adapters, the web reader) and delivers from the outbox,
whose claims keep replicas apart.  The sync and what follows from it — the content
watcher, the scheduler that publishes what falls due, the excerpt pass — must run in one
replica at a time, the one holding the store's `SyncLead` (on SQLite, the one process;
on PostgreSQL, an advisory lock).  A replica that leads at start syncs before it serves,
as a single process always did; one that takes the lead over later syncs the whole
folder first, since it may have changed while nobody watched it.  The moment the lead is
lost (its connection cut, its session idled out while frozen) the leader's jobs are
cancelled, not asked to finish, and the replica goes back to waiting: two replicas must
not both think they lead for longer than one check.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from herald.core.ports import StoreUnavailable, SyncLead
from herald.core.records import SyncReport
from herald.push.scheduler import Scheduler
from herald.push.supervise import Backoff, StoreOutage, supervised
from herald.push.waiting import first_of
from herald.push.watcher import ContentWatcher

if TYPE_CHECKING:
    from herald.app import App

log = logging.getLogger("herald")
RETRY_EVERY = 2.0
"""Seconds between a follower's attempts to take the lead: a dead leader's lock is free
at once, so this bounds the takeover."""
CHECK_EVERY = 1.0
"""Seconds between a leader's checks that it still leads (also its session's heartbeat)."""


class SyncRole:
    """One replica's part in the sync: `lead_at_start` before serving, then `run`."""

    def __init__(
        self,
        app: App,
        lead: SyncLead,
        *,
        outage: StoreOutage,
        published: Callable[[], None] = lambda: None,
        retry_every: float = RETRY_EVERY,
        check_every: float = CHECK_EVERY,
    ) -> None:
        self.app = app
        self.lead = lead
        self.outage = outage
        self.published = published
        """Told when posts were published (the local dispatcher looks at once)."""
        self.retry_every = retry_every
        self.check_every = check_every
        self.leading = False
        self._synced: SyncReport | None = None
        self._fresh = False
        """Whether the lead was taken with its full sync done (by `lead_at_start`)."""

    async def lead_at_start(self) -> bool:
        """Lead if nobody does, and then sync before serving (True)."""
        if not await self.lead.try_lead():
            log.info("sync: another replica leads it; serving readers and deliveries")
            return False
        self._took_lead()
        try:
            self._synced, self._fresh = await full_sync(self.app, self.outage), True
        except BaseException:  # no folder, say: the service does not start; nor do we lead
            self._lost_lead("the start-up sync failed")
            await self.lead.close()
            raise
        return True

    async def run(self, stop: asyncio.Event) -> None:
        """Lead whenever this replica can, until `stop`; the lead is given up at the end."""
        try:
            while not stop.is_set():
                if not self.leading and not await self._wait_to_lead(stop):
                    return
                await self._lead(stop)
        finally:
            if self.leading:
                self._lost_lead("stopping", level=logging.INFO)
            await self.lead.close()

    async def _wait_to_lead(self, stop: asyncio.Event) -> bool:
        while not stop.is_set():
            if await self.lead.try_lead():
                self._took_lead()
                return True
            await first_of(stop, seconds=self.retry_every)
        return False

    async def _lead(self, stop: asyncio.Event) -> None:
        """The leader's jobs, until `stop` (they finish what they do) or the lead is lost
        (they are cancelled at once).  They get an event of their own: some set the one
        they are given when cancelled (watchfiles does, to end its thread)."""
        ends = asyncio.Event()
        jobs = asyncio.create_task(self._leader_jobs(ends))
        stopping = asyncio.create_task(stop.wait())
        try:
            while not jobs.done():
                await asyncio.wait(
                    {jobs, stopping}, timeout=self.check_every, return_when=asyncio.FIRST_COMPLETED
                )
                if stop.is_set() or jobs.done():
                    break
                if not await self.lead.still_leading():
                    self._lost_lead("the lead was lost")
                    break
        finally:
            stopping.cancel()
            ends.set()
            if not stop.is_set():
                jobs.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await jobs

    async def _leader_jobs(self, stop: asyncio.Event) -> None:
        """The full sync a takeover needs, then the watcher, the scheduler, the excerpts."""
        app, outage = self.app, self.outage
        if self._fresh:
            started, self._fresh = self._synced, False
        else:  # taken over: the folder may have changed while nobody watched it
            try:
                started = await full_sync(app, outage)
            except Exception as exc:  # the folder is away, say: the watcher waits for it
                log.warning("sync: the full sync on taking the lead failed: %s", exc)
                started = None
        if started is not None and started.published:
            self.published()
        scheduler = Scheduler(
            app.store.index, on_published=lambda _ids: self.published(), outage=outage
        )

        def synced(report: SyncReport) -> None:
            scheduler.reschedule()
            if report.published:
                self.published()

        async def resync(only: set[str] | None, allow_mass_removal: bool) -> SyncReport:
            return await app.sync(only=only, allow_mass_removal=allow_mass_removal)

        watcher = ContentWatcher(app.config.content.dir, resync, synced, outage=outage)
        watcher.started_from(started)  # and its first look syncs whatever changed since
        async with asyncio.TaskGroup() as group:
            for name, job in (
                ("content watcher", lambda: watcher.run(stop)),
                ("scheduler", lambda: scheduler.run(stop)),
                ("excerpt pass", lambda: render_excerpts_when_due(app, stop, outage=outage)),
            ):
                group.create_task(supervised(name, job, stop, outage=outage))

    def _took_lead(self) -> None:
        self.leading = True
        self.app.metrics.leading(True)
        log.info("sync: this replica leads the content sync (watcher, scheduler, excerpts)")

    def _lost_lead(self, why: str, *, level: int = logging.WARNING) -> None:
        self.leading = False
        self.app.metrics.leading(False)
        log.log(level, "sync: this replica no longer leads the content sync (%s)", why)


async def full_sync(app: App, outage: StoreOutage) -> SyncReport | None:
    """Sync the whole folder, one log line; None: the store refused it (readers are
    served what is stored, and the watcher syncs everything as soon as it can)."""
    try:
        report = await app.sync()
    except StoreUnavailable as fault:
        outage.failed(fault, doing="the start-up sync")
        return None
    log.info(
        "content: %d added, %d updated, %d removed, %d unchanged, %d failed",
        len(report.added),
        len(report.updated),
        len(report.removed),
        report.unchanged,
        len(report.failed),
    )
    return report


async def render_excerpts_when_due(
    app: App, stop: asyncio.Event, *, outage: StoreOutage | None = None
) -> None:
    """After each sync, store the excerpts it left to render, while readers are served.

    Readers never wait for this (a missing excerpt is rendered when a card needs it); it
    runs at low priority, so it takes the cores only when the service leaves them idle.  A
    store that refuses the excerpts keeps them due: the pass is tried again with backoff.
    """
    outage = outage or StoreOutage()
    refused = Backoff()
    while True:
        await first_of(app.excerpts_due, stop, seconds=3600)
        if stop.is_set():
            return
        if not app.excerpts_due.is_set():
            continue
        started = time.perf_counter()
        try:
            stored = await app.render_excerpts(background=True, stop=stop)
        except StoreUnavailable as fault:
            outage.failed(fault, doing="storing rendered excerpts")
            app.excerpts_due.set()
            await first_of(stop, seconds=refused.next())
            continue
        refused.reset()
        if stored:
            outage.passed()
            log.info("rendered %d excerpt(s) in %.1f s", stored, time.perf_counter() - started)
