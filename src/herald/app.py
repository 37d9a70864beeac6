"""The composition root: the one place that builds Herald and starts it.

`open_app` opens the store and builds the reader service (enough for `herald sync`,
`check` and `outbox`); `run_service` adds every enabled platform adapter, the push
dispatcher and, while this replica leads the sync, the watcher, the scheduler and the
excerpt pass (`herald.roles`), in one task group, and stops them all cleanly on
SIGINT/SIGTERM or when the console's input ends.  Everything is passed in, nothing is
reached for, so tests build the same objects around a temporary store and fake platform
servers.

A SQLite store is served by one process alone (`sole_owner`: a second `herald run` on it
refuses to start); a PostgreSQL one by any number of replicas, of which one at a time
leads the sync (`herald.roles`).  The service does not exit for a fault that passes: the
watcher, the scheduler, the dispatcher and the excerpt pass each wait out a store that
refuses writes, are supervised (a bug restarts the job, logged, instead of ending the
service), and share one `StoreOutage`, so an outage is one line in the log and its end
another.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
import time
from collections.abc import AsyncIterator, Callable, Collection, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from herald.adapters import Adapter, Services, platforms
from herald.config import Config
from herald.core.ports import Store
from herald.core.reader import ReaderService
from herald.core.records import SyncReport
from herald.indexing.excerpts import render_pending_excerpts
from herald.indexing.sync import ProgressCallback, sync
from herald.metrics import Metrics
from herald.push.budget import budgets_of
from herald.push.dispatcher import LEASE_RENEW_SECONDS, Dispatcher
from herald.push.messenger import Messenger
from herald.push.supervise import StoreOutage, supervised
from herald.roles import SyncRole
from herald.store import open_store, sole_owner

if TYPE_CHECKING:
    from herald.web import WebServer

log = logging.getLogger("herald")


@dataclass(slots=True)
class App:
    """An open store and the services over it."""

    config: Config
    store: Store
    reader: ReaderService
    excerpts_due: asyncio.Event = field(default_factory=asyncio.Event)
    """Set by every sync: a large one leaves excerpts to render (`render_excerpts`)."""
    metrics: Metrics = field(default_factory=Metrics)

    async def sync(
        self,
        progress: ProgressCallback | None = None,
        *,
        only: Collection[str] | None = None,
        allow_mass_removal: bool = False,
    ) -> SyncReport:
        """Sync the content folder.  A sync that would remove more than
        `[content] max_removal_share` of the posts holds those removals back
        (`SyncReport.held_back`) unless `allow_mass_removal`."""
        if not self.config.content.dir.is_dir():
            raise FileNotFoundError(f"content folder not found: {self.config.content.dir}")
        started = time.perf_counter()
        report = await sync(
            self.store.index,
            self.config.content.dir,
            excerpt_chars=self.config.content.excerpt_chars,
            progress=progress,
            only=only,
            notify_on_update=self.config.push.notify_on_update,
            allow_mass_removal=allow_mass_removal,
            max_removal_share=self.config.content.max_removal_share,
            site=self.config.content.site_options(),
        )
        for path, reason in report.failed.items():
            log.warning("skipped %s: %s", path, reason)
        self.metrics.synced(report, time.perf_counter() - started)
        self.excerpts_due.set()
        return report

    def services(self) -> Services:
        """What adapters are given."""
        config = self.config
        return Services(
            self.reader,
            config.content.dir,
            config.bot.default_language,
            config.web.base_url,
            metrics=self.metrics,
            budgets=budgets_of(self.store),
        )

    async def render_excerpts(
        self,
        *,
        background: bool = False,
        progress: Callable[[int, int], None] | None = None,
        stop: asyncio.Event | None = None,
    ) -> int:
        """Store the excerpts a large sync left to render; how many were stored."""
        self.excerpts_due.clear()
        return await render_pending_excerpts(
            self.store.index,
            excerpt_chars=self.config.content.excerpt_chars,
            background=background,
            progress=progress,
            stop=stop,
        )


@contextlib.asynccontextmanager
async def open_app(config: Config) -> AsyncIterator[App]:
    store = await open_store(
        config.store.location,
        excerpt_chars=config.content.excerpt_chars,
        lease_seconds=config.push.lease_seconds,
    )
    try:
        reader = ReaderService(
            store,
            page_size=config.bot.page_size,
            timezone=config.bot.timezone,
            content_dir=config.content.dir,
            max_article_messages=config.bot.max_article_messages,
        )
        yield App(config=config, store=store, reader=reader)
    finally:
        await store.close()


def enabled_adapters(config: Config, services: Services) -> list[Adapter]:
    """Every platform the configuration enables, else the fallback (the console)."""
    found = platforms()
    enabled = [
        found[name].create(settings, services)
        for name, settings in config.platforms.items()
        if found[name].enabled(settings)
    ]
    if enabled:
        return enabled
    return [
        platform.create(config.platforms[name], services)
        for name, platform in found.items()
        if platform.fallback
    ]


async def run_service(
    config: Config, stop: asyncio.Event | None = None, *, handle_signals: bool = True
) -> None:
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM) if handle_signals else ():
        # Not possible off the main thread or on Windows; Ctrl-C still ends the process there.
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)
    async with sole_owner(config.store.location):  # noqa: SIM117 (held before the store opens)
        async with open_app(config) as app:
            outage = StoreOutage()
            role = SyncRole(app, app.store.sync_lead(), outage=outage)
            await role.lead_at_start()  # the leader syncs before it serves
            adapters = enabled_adapters(config, app.services())
            web = web_server(app)
            if web is not None:
                log.info(
                    "web reader listening on %s (public: %s)",
                    web.bind(),
                    config.web.base_url or "no [web] base_url",
                )
            # The stack closes after the group: clients (the push bot) outlive every task.
            async with contextlib.AsyncExitStack() as stack, asyncio.TaskGroup() as group:
                messengers = [await adapter.open(stack) for adapter in adapters]
                for adapter in adapters:
                    group.create_task(adapter.run(stop))
                dispatcher = push_dispatcher(app, messengers, outage)
                role.published = dispatcher.wake
                group.create_task(role.run(stop))
                if config.push.enabled and messengers:
                    group.create_task(
                        supervised(
                            "push dispatcher", lambda: dispatcher.run(stop), stop, outage=outage
                        )
                    )
                if web is not None:
                    group.create_task(web.serve(stop))
                stack.enter_context(startup_heap_frozen())


def web_server(app: App) -> WebServer | None:
    """The web reader (issue 20), when `[web]` enables it; imported only then."""
    web = app.config.web
    if not web.enabled:
        return None
    from herald.web import WebServer, web_app
    from herald.web.operations import metrics_routes

    telegram = app.config.platforms.get("telegram")
    host, port = web.address
    asgi = web_app(
        app.reader,
        content_dir=app.config.content.dir,
        default_language=app.config.bot.default_language,
        telegram_token=telegram.token if telegram is not None else None,
        more_routes=metrics_routes(app.metrics, app.store.outbox),
    )
    return WebServer(asgi, host=host, port=port)


def push_dispatcher(app: App, messengers: list[Messenger], outage: StoreOutage) -> Dispatcher:
    """Delivery from the outbox, on every replica (its claims keep them apart)."""
    config = app.config
    return Dispatcher(
        app.store.outbox,
        app.reader,
        messengers,
        max_attempts=config.push.max_attempts,
        concurrency=config.push.concurrency,
        backoff_base=config.push.retry_base_seconds,
        default_language=config.bot.default_language,
        outage=outage,
        observer=app.metrics,
        renew_every=min(LEASE_RENEW_SECONDS, config.push.lease_seconds / 4),
    )


@contextlib.contextmanager
def startup_heap_frozen() -> Iterator[None]:
    """Keep what start-up allocated out of the cyclic collector's sight while serving.

    Modules, config, adapters: with python-telegram-bot and discord.py loaded that is about
    100k long-lived objects, and every full collection walked them all, pausing the event
    loop for 50–70 ms — in a paced broadcast, long enough to bunch two sends (see
    BENCHMARKS.md).  Frozen (after one last collection, so no garbage is kept), they are
    skipped; whatever the service allocates later is collected as usual.  Unfrozen when
    the service stops, for a caller that goes on in the same process.
    """
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
