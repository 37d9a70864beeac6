"""The composition root: open the store, build the services, hand them to the adapters.

Everything is passed in, nothing is reached for, so tests build the same objects around a
temporary database and fake platform servers.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from herald.config import Config
from herald.core.service import ReaderService
from herald.store.database import Database
from herald.store.excerpts import render_pending_excerpts
from herald.store.outbox import plan_deliveries
from herald.store.sync import ProgressCallback, SyncReport, sync

log = logging.getLogger("herald")


@dataclass(slots=True)
class App:
    config: Config
    database: Database
    reader: ReaderService
    excerpts_due: asyncio.Event = field(default_factory=asyncio.Event)
    """Set by every sync: a large one leaves excerpts to render (`render_excerpts`)."""

    async def sync(
        self, progress: ProgressCallback | None = None, *, only: set[str] | None = None
    ) -> SyncReport:
        if not self.config.content.dir.is_dir():
            raise FileNotFoundError(f"content folder not found: {self.config.content.dir}")
        report = await sync(
            self.database,
            self.config.content.dir,
            excerpt_chars=self.config.content.excerpt_chars,
            progress=progress,
            on_publish=plan_deliveries,
            only=only,
            notify_on_update=self.config.push.notify_on_update,
        )
        for path, reason in report.failed.items():
            log.warning("skipped %s: %s", path, reason)
        self.excerpts_due.set()
        return report

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
            self.database,
            excerpt_chars=self.config.content.excerpt_chars,
            background=background,
            progress=progress,
            stop=stop,
        )


@asynccontextmanager
async def open_app(config: Config) -> AsyncIterator[App]:
    database = await Database.open(config.store.path)
    try:
        reader = ReaderService(
            database,
            page_size=config.bot.page_size,
            timezone=config.bot.timezone,
            excerpt_chars=config.content.excerpt_chars,
        )
        yield App(config=config, database=database, reader=reader)
    finally:
        await database.close()
