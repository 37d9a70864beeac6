"""Keep the store in step with the content folder while the service runs.

`ContentWatcher` re-syncs when files change: watchfiles coalesces bursts with a debounce,
and the sync itself skips unchanged files.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path

from watchfiles import Change, awatch

from herald.content.loader import SUFFIXES
from herald.core.media import IMAGE_SUFFIXES
from herald.core.records import SyncReport

log = logging.getLogger(__name__)
DEBOUNCE_MS = 300


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
