"""Keep the store in step with the content folder while the service runs.

`ContentWatcher` re-syncs when files change (watchfiles coalesces bursts with a debounce,
and sync itself skips unchanged files); `Scheduler` publishes posts dated in the future at
their time, with a timer re-armed whenever the content changes rather than by polling.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from watchfiles import Change, awatch

from herald.content.loader import SUFFIXES
from herald.core.media import IMAGE_SUFFIXES
from herald.push.waiting import first_of
from herald.store.database import Database
from herald.store.outbox import plan_deliveries
from herald.store.sync import SyncReport, next_scheduled, publish_due

log = logging.getLogger(__name__)
DEBOUNCE_MS = 300
MAX_TIMER_SECONDS = 3600.0
"""Re-arm at least hourly, so a suspended machine or a changed clock cannot delay a post long."""


class ContentWatcher:
    def __init__(
        self,
        root: Path,
        resync: Callable[[set[str] | None], Awaitable[SyncReport]],
        on_synced: Callable[[SyncReport], None],
    ) -> None:
        self.root = root
        self.resync = resync
        self.on_synced = on_synced

    def changed_posts(self, changes: set[tuple[Change, str]]) -> set[str] | None:
        """Relative paths of the changed posts, or None (sync everything) when something
        else changed — a folder moved or deleted, say, hides which posts went with it."""
        root = self.root.resolve()
        paths = set()
        for _, changed in changes:
            path = Path(changed).resolve()
            if path.suffix.lower() not in SUFFIXES or not path.is_relative_to(root):
                if path.suffix.lower() in IMAGE_SUFFIXES:
                    continue  # an image changed: no post did
                return None
            paths.add(path.relative_to(root).as_posix())
        return paths

    async def run(self, stop: asyncio.Event) -> None:
        async for changes in awatch(
            self.root, debounce=DEBOUNCE_MS, step=50, stop_event=stop, recursive=True
        ):
            log.debug("content changed: %d path(s)", len(changes))
            try:
                report = await self.resync(self.changed_posts(changes))
            except Exception:
                log.exception("re-sync after a content change failed; will retry on the next")
                continue
            if report.changed or report.published:
                log.info(
                    "content: %d added, %d updated, %d removed, %d published",
                    len(report.added),
                    len(report.updated),
                    len(report.removed),
                    len(report.published),
                )
            self.on_synced(report)


class Scheduler:
    def __init__(self, database: Database, on_published: Callable[[list[int]], None]) -> None:
        self.database = database
        self.on_published = on_published
        self._changed = asyncio.Event()

    def reschedule(self) -> None:
        """The content changed: the earliest scheduled post may be another one now."""
        self._changed.set()

    async def publish_now(self) -> list[int]:
        async with self.database.transaction() as connection:
            ids = await publish_due(connection, on_publish=plan_deliveries)
        if ids:
            log.info("published %d scheduled post(s)", len(ids))
            self.on_published(ids)
        return ids

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            self._changed.clear()
            due = await next_scheduled(self.database.connection)
            wait = MAX_TIMER_SECONDS if due is None else max(0.0, due - time.time())
            if wait <= 0:
                await self.publish_now()
                continue
            await first_of(self._changed, stop, seconds=min(wait, MAX_TIMER_SECONDS))
            if not stop.is_set() and not self._changed.is_set():
                await self.publish_now()
