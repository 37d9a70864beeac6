"""Everything that makes a new post reach subscribers, started as one unit by the runner."""

from __future__ import annotations

import asyncio

from herald.app import App
from herald.push.dispatcher import Dispatcher
from herald.push.messenger import Messenger
from herald.push.watcher import ContentWatcher, Scheduler
from herald.store.outbox import Outbox
from herald.store.sync import SyncReport


async def run_push(app: App, messengers: list[Messenger], stop: asyncio.Event) -> None:
    dispatcher = Dispatcher(
        Outbox(app.database),
        app.reader,
        messengers,
        max_attempts=app.config.push.max_attempts,
        concurrency=app.config.push.concurrency,
        backoff_base=app.config.push.retry_base_seconds,
        default_language=app.config.bot.default_language,
    )
    scheduler = Scheduler(app.database, on_published=lambda _ids: dispatcher.wake())

    def synced(report: SyncReport) -> None:
        scheduler.reschedule()
        if report.published:
            dispatcher.wake()

    async def resync(only: set[str] | None) -> SyncReport:
        return await app.sync(only=only)

    watcher = ContentWatcher(app.config.content.dir, resync, synced)
    async with asyncio.TaskGroup() as group:
        group.create_task(watcher.run(stop))
        group.create_task(scheduler.run(stop))
        if app.config.push.enabled and messengers:
            group.create_task(dispatcher.run(stop))
