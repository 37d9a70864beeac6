"""The watcher's patience (issue 14, cases 1, 3 and 9 at the watcher): a file that never
stops changing is still synced, at the cap; removals a sync held back are applied once the
folder has stayed that way; a sync the store refuses is tried again.

A real watcher on a real folder, syncing a real SQLite store with short intervals injected
(settle, cap, removal settle), so nothing waits real seconds it need not.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from herald.core.records import SyncReport
from herald.indexing.sync import sync
from herald.push.supervise import Backoff
from herald.push.watcher import ContentWatcher
from herald.store.sqlite import Database, SqliteStore
from tests.conftest import WritePost
from tests.push.faults import until, write_lock_held

NOW = 2_000_000_000


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqliteStore]:
    opened = SqliteStore(
        await Database.open(tmp_path / "h.db", busy_timeout=0.05), excerpt_chars=350
    )
    try:
        yield opened
    finally:
        await opened.close()


class Watching:
    """A running watcher and every sync it asked for: (paths or None, allow removals)."""

    def __init__(self, store: SqliteStore, root: Path, **timing: float) -> None:
        self.store = store
        self.calls: list[tuple[set[str] | None, bool]] = []
        self.reports: list[SyncReport] = []
        self.watcher = ContentWatcher(
            root,
            self.resync,
            self.reports.append,
            store_retry=lambda: Backoff(0.02, 0.1),
            **timing,
        )
        self.stop = asyncio.Event()
        self.task: asyncio.Task[None] | None = None

    async def resync(self, only: set[str] | None, allow_mass_removal: bool) -> SyncReport:
        self.calls.append((only, allow_mass_removal))
        return await sync(
            self.store.index,
            self.watcher.root,
            excerpt_chars=350,
            only=only,
            allow_mass_removal=allow_mass_removal,
        )

    async def __aenter__(self) -> Watching:
        self.task = asyncio.create_task(self.watcher.run(self.stop))
        await until(lambda: bool(self.reports))  # watching: the catch-up sync is done
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.stop.set()
        assert self.task is not None
        await asyncio.wait_for(self.task, 10)

    async def visible(self) -> int:
        return (await self.store.posts.latest(now=NOW, offset=0, limit=1)).total


async def test_a_file_that_never_stops_changing_is_synced_at_the_cap(
    store: SqliteStore, content_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    path = content_dir / "log.md"
    done = threading.Event()

    def rewrite_forever() -> None:
        count = 0
        while not done.is_set():
            count += 1
            path.write_text(f"---\ntitle: Busy\ndate: 2024-01-01\n---\n\n{count}\n", "utf-8")
            time.sleep(0.03)

    async with Watching(store, content_dir, settle_seconds=0.5, settle_max_seconds=1.5) as w:
        writer = asyncio.create_task(asyncio.to_thread(rewrite_forever))
        try:
            await until(lambda: any(only and "log.md" in only for only, _ in w.calls))
        finally:
            done.set()
            await writer
    assert any("still changing after" in r.getMessage() for r in caplog.records)
    assert await w.visible() == 1


async def test_held_back_removals_are_applied_once_the_folder_settles(
    store: SqliteStore, content_dir: Path, write_post: WritePost
) -> None:
    paths = [write_post(f"p{n}.md", "x", title=f"P{n}", date="2024-01-01") for n in range(4)]
    await sync(store.index, content_dir, excerpt_chars=350)
    async with Watching(
        store, content_dir, settle_seconds=0.1, removal_settle_seconds=0.6
    ) as watching:
        for path in paths:
            path.unlink()
        await until(lambda: any(report.held_back for report in watching.reports))
        assert await watching.visible() == 4  # not yet: the folder may be coming back
        await until(lambda: any(allow for _, allow in watching.calls))
        await until(lambda: bool(watching.reports) and not watching.reports[-1].held_back)
        assert await watching.visible() == 0  # it stayed empty: applied


async def test_a_sync_the_store_refuses_is_tried_again(
    store: SqliteStore, content_dir: Path, write_post: WritePost, tmp_path: Path
) -> None:
    write_post("old.md", "x", title="Old", date="2024-01-01")
    await sync(store.index, content_dir, excerpt_chars=350)
    async with Watching(store, content_dir, settle_seconds=0.1) as watching:
        async with write_lock_held(tmp_path / "h.db"):
            write_post("new.md", "x", title="New", date="2024-01-02")
            await until(lambda: watching.watcher.outage.refused >= 2)
            assert await watching.visible() == 1
        await until(lambda: not watching.watcher.outage.ongoing)
        assert await watching.visible() == 2
