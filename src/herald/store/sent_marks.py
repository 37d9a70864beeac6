"""`sent` marks committed in groups: the rule both backends' outboxes follow.

Marks that arrive while the previous group is being written wait and go together in the
next transaction, so a broadcast with 16 workers commits about once per 16 sends instead
of once per send.  No mark returns before it is written, so a crash can still repeat only
the messages that were in flight.

A group whose write fails (`StoreUnavailable`: disk full, locked, a server away) fails
every mark in it, and nothing of it is written; each caller keeps its message as sent and
calls again (the dispatcher does, with backoff), and those calls form a new group.  Marks
that arrived while the failed write ran are already in the next group.  Each backend
gives only its write (`herald.store.sqlite.outbox`, `herald.store.postgres.outbox`).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

SentRows = list[tuple[float, int]]
"""(sent at, entry id) of each mark of a group."""


@dataclass(slots=True)
class _Group:
    """Marks waiting for one write, and that write's outcome for all who wait."""

    rows: SentRows = field(default_factory=list)
    written: asyncio.Future[None] | None = None


class SentMarks:
    def __init__(self, write: Callable[[SentRows], Awaitable[None]]) -> None:
        self._write = write
        self._group = _Group()
        self._writing = asyncio.Lock()

    async def mark(self, entry_id: int) -> None:
        """Returns once the mark is committed, with the rest of its group."""
        group = self._group
        group.rows.append((time.time(), entry_id))
        if group.written is not None:  # the group's first mark writes it; the rest wait
            await asyncio.shield(group.written)
            return
        group.written = asyncio.get_running_loop().create_future()
        try:
            async with self._writing:  # the previous group's write, if it is still running
                self._group = _Group()  # from here on, marks wait for the next write
                await self._write(group.rows)
        except BaseException as exc:
            if self._group is group:  # failed before its write began: later marks start anew
                self._group = _Group()
            if isinstance(exc, asyncio.CancelledError):
                group.written.cancel()
            else:
                group.written.set_exception(exc)
                group.written.exception()  # retrieved here; waiters still see it raised
            raise
        group.written.set_result(None)
