"""The composition root: open the store, build the services, hand them to the adapters.

Everything is passed in, nothing is reached for, so tests build the same objects around a
temporary database and fake platform servers.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from herald.config import Config
from herald.core.service import ReaderService
from herald.store.database import Database
from herald.store.outbox import plan_deliveries
from herald.store.sync import ProgressCallback, SyncReport, sync

log = logging.getLogger("herald")


@dataclass(slots=True)
class App:
    config: Config
    database: Database
    reader: ReaderService

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
        return report


@asynccontextmanager
async def open_app(config: Config) -> AsyncIterator[App]:
    database = await Database.open(config.store.path)
    try:
        reader = ReaderService(
            database, page_size=config.bot.page_size, timezone=config.bot.timezone
        )
        yield App(config=config, database=database, reader=reader)
    finally:
        await database.close()
