"""Keep the store in step with the content folder while the service runs.

`ContentWatcher` re-syncs when files change: watchfiles coalesces bursts with a debounce,
and the sync itself skips unchanged files.  Three things on top of that:

- **Settled files only.**  A changed post is synced once its size and mtime have stayed the
  same for `settle_seconds`, so a post copied or written slowly in place is never announced
  half-written; one that keeps changing waits, at most `settle_max_seconds`.  A full sync
  (a folder moved in, the folder back) waits for the folder to be quiet just as long.
- **A watch that comes back.**  inotify's watch dies silently with its folder: deleted,
  moved away, replaced or remounted, the new folder's changes are never seen.  So every
  tick checks that the folder is still the one watched (its device and inode); when it is
  not, the watch is re-established once a folder is there again.  Whenever a watch is
  set up (at start too) the whole folder is synced once more, so a change made before
  the watch saw anything is not missed.
- **Faults waited out.**  A sync the store refuses (`StoreUnavailable`) keeps its files
  pending and is tried again with backoff; removals a sync held back because too many
  posts vanished at once are applied once the folder has stayed that way for
  `removal_settle_seconds`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import stat
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from watchfiles import Change, awatch

from herald.content.loader import SUFFIXES
from herald.core.media import IMAGE_SUFFIXES
from herald.core.ports import StoreUnavailable
from herald.core.records import SyncReport
from herald.push.supervise import Backoff, StoreOutage
from herald.push.waiting import first_of

log = logging.getLogger(__name__)
DEBOUNCE_MS = 300
SETTLE_SECONDS = 1.0
"""A changed file is synced once it has not changed for this long."""
SETTLE_MAX_SECONDS = 60.0
"""A file rewritten for longer than this is synced as it is, then again as it changes."""
REMOVAL_SETTLE_SECONDS = 300.0
"""Removals held back (most posts vanished at once) are applied after the folder has
stayed unchanged this long: a checkout, an rsync or a remount is over by then, and an
operator who meant it need not wait (`herald sync --allow-removals`)."""
FOLDER_POLL_SECONDS = 1.0
"""How often a vanished content folder is looked for."""

Resync = Callable[[set[str] | None, bool], Awaitable[SyncReport]]
"""(only these relative paths or None for all, allow a mass removal) → the sync's report."""
FileState = tuple[int, int] | None
"""(size, mtime_ns), or None when the file is gone."""


@dataclass(slots=True)
class _Settling:
    first_seen: float
    state: FileState
    since: float
    """When `state` was first seen."""


class ContentWatcher:
    def __init__(
        self,
        root: Path,
        resync: Resync,
        on_synced: Callable[[SyncReport], None],
        *,
        settle_seconds: float = SETTLE_SECONDS,
        settle_max_seconds: float = SETTLE_MAX_SECONDS,
        removal_settle_seconds: float = REMOVAL_SETTLE_SECONDS,
        folder_poll_seconds: float = FOLDER_POLL_SECONDS,
        outage: StoreOutage | None = None,
        store_retry: Callable[[], Backoff] = Backoff,
    ) -> None:
        self.root = root
        self.resync = resync
        self.on_synced = on_synced
        self.settle_seconds = settle_seconds
        self.settle_max_seconds = settle_max_seconds
        self.removal_settle_seconds = removal_settle_seconds
        self.folder_poll_seconds = folder_poll_seconds
        self.outage = outage or StoreOutage()
        self._refused = store_retry()
        self._settling: dict[str, _Settling] = {}
        self._everything_since: float | None = None
        """A full sync is wanted, since then."""
        self._last_change = -float("inf")
        self._held_since: float | None = None
        """The last sync that held removals back."""
        self._retry_at = 0.0

    def started_from(self, report: SyncReport | None) -> None:
        """The service's start-up sync (None: the store refused it): its held-back
        removals are applied like any sync's."""
        if report is not None:
            self._remember_held_back(report, complete=True, now=time.monotonic())

    def sync_everything(self) -> None:
        """Re-sync the whole folder at the next chance (once it is quiet)."""
        if self._everything_since is None:
            self._everything_since = time.monotonic()

    async def run(self, stop: asyncio.Event) -> None:
        missing = False
        while not stop.is_set():
            identity = _identity(self.root)
            if identity is None:
                missing = True
                await first_of(stop, seconds=self.folder_poll_seconds)
                continue
            if missing:
                log.warning("content folder %s is back: watching it again", self.root)
                missing = False
                self._last_change = time.monotonic()  # it may still be filling up
                self.sync_everything()
            lost = await self._watch(identity, stop)
            if lost is not None:
                log.warning(
                    "content folder %s %s: its watch is lost; re-establishing it and "
                    "re-syncing everything once a folder is there",
                    self.root,
                    lost,
                )
                self.sync_everything()

    async def _watch(self, identity: tuple[int, int], stop: asyncio.Event) -> str | None:
        """Watch until `stop` (None) or until the folder is no longer this one (why)."""
        tick_ms = round(min(max(self.settle_seconds / 2, 0.05), 1.0) * 1000)
        first = True
        try:
            async for changes in awatch(
                self.root,
                debounce=DEBOUNCE_MS,
                step=50,
                stop_event=stop,
                recursive=True,
                rust_timeout=tick_ms,
                yield_on_timeout=True,
            ):
                lost = self._lost(identity, changes)
                if lost is not None:
                    return lost
                if first:  # watching now: catch what changed before the watch was set up
                    first = False
                    self.sync_everything()
                if changes:
                    log.debug("content changed: %d path(s)", len(changes))
                    self._note(changes)
                await self._sync_settled()
        except FileNotFoundError:
            return "vanished"
        return None

    def _lost(self, identity: tuple[int, int], changes: set[tuple[Change, str]]) -> str | None:
        now = _identity(self.root)
        if now is None:
            return "vanished"
        if now != identity:
            return "was replaced (moved, recreated or remounted)"
        roots = {os.path.abspath(self.root), str(self.root.resolve())}
        if any(kind == Change.deleted and path in roots for kind, path in changes):
            return "was deleted and recreated"
        return None

    def _note(self, changes: set[tuple[Change, str]]) -> None:
        now = time.monotonic()
        self._last_change = now
        posts, everything = self._classify(changes)
        if everything:
            self.sync_everything()
        for relpath in posts:
            state = _state(self.root / relpath)
            known = self._settling.get(relpath)
            if known is None:
                self._settling[relpath] = _Settling(now, state, now)
            elif known.state != state:
                known.state, known.since = state, now

    def _classify(self, changes: set[tuple[Change, str]]) -> tuple[set[str], bool]:
        """Relative paths of the changed posts, and whether anything else changed: a folder
        moved or deleted hides which posts went with it, so that means a full sync."""
        root = self.root.resolve()
        posts: set[str] = set()
        everything = False
        for _, changed in changes:
            path = Path(changed).resolve()
            if path.suffix.lower() in SUFFIXES and path.is_relative_to(root):
                posts.add(path.relative_to(root).as_posix())
            elif path.suffix.lower() not in IMAGE_SUFFIXES:  # an image changed: no post did
                everything = True
        return posts, everything

    def _settled(self, now: float) -> set[str]:
        """The pending posts that have stopped changing (or waited long enough)."""
        ready = set()
        for relpath, known in self._settling.items():
            state = _state(self.root / relpath)
            if state != known.state:
                known.state, known.since = state, now
            elif now - known.since >= self.settle_seconds:
                ready.add(relpath)
                continue
            if now - known.first_seen >= self.settle_max_seconds:
                log.warning(
                    "%s is still changing after %.0f s; syncing it as it is",
                    relpath,
                    now - known.first_seen,
                )
                ready.add(relpath)
        return ready

    async def _sync_settled(self) -> None:
        now = time.monotonic()
        if now < self._retry_at:
            return
        ready = self._settled(now)
        only: set[str] | None = ready
        if self._everything_since is not None:
            quiet = now - self._last_change >= self.settle_seconds
            if not (quiet and ready == self._settling.keys()) and (
                now - self._everything_since < self.settle_max_seconds
            ):
                return  # the folder is still changing
            only = None
        elif not ready and not self._removals_due(now):
            return
        elif not ready:
            only = None
        allow_removals = only is None and self._removals_due(now)
        try:
            report = await self.resync(only, allow_removals)
        except StoreUnavailable as fault:
            self.outage.failed(fault, doing="syncing the content folder")
            self._retry_at = now + self._refused.next()
            return
        except FileNotFoundError:  # the folder went away meanwhile: the next tick sees it
            return
        self._refused.reset()
        self._retry_at = 0.0
        for relpath in ready if only is not None else list(self._settling):
            self._settling.pop(relpath, None)
        if only is None:
            self._everything_since = None
        self._remember_held_back(report, complete=only is None, now=now)
        if report.changed or report.published:
            self.outage.passed()
            log.info(
                "content: %d added, %d updated, %d removed, %d published",
                len(report.added),
                len(report.updated),
                len(report.removed),
                len(report.published),
            )
        self.on_synced(report)

    def _remember_held_back(self, report: SyncReport, *, complete: bool, now: float) -> None:
        if report.held_back:
            if self._held_since is None:
                log.info(
                    "content: %d removal(s) held back; applied if the folder stays like "
                    "this for %.0f s",
                    len(report.held_back),
                    self.removal_settle_seconds,
                )
            self._held_since = now
        elif complete:  # the whole folder was looked at and nothing is held back any more
            self._held_since = None

    def _removals_due(self, now: float) -> bool:
        if self._held_since is None:
            return False
        return now - max(self._held_since, self._last_change) >= self.removal_settle_seconds


def _identity(folder: Path) -> tuple[int, int] | None:
    """(device, inode) of the folder, None if there is none: a recreated or remounted
    folder is another one, though its path is the same."""
    try:
        found = folder.stat()
    except OSError:
        return None
    return (found.st_dev, found.st_ino) if stat.S_ISDIR(found.st_mode) else None


def _state(path: Path) -> FileState:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns
