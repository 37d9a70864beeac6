"""Issue 14, case 2: a full disk during a broadcast.  The service keeps answering readers,
does not exit, and once space is freed delivers the rest by itself, each subscriber
getting the post exactly once.

The disk is real: the database lives on a 4 MB tmpfs that the test fills to the last byte,
so SQLite meets ENOSPC from the kernel and says "database or disk is full" itself.  The
other ways are not the same fault: `PRAGMA max_page_count` only binds the connection that
sets it (and an UPDATE of existing rows never grows the file); a trigger's
`RAISE(ABORT, 'database or disk is full')` is a constraint failure wearing the words.
Mounting needs root; without it the test skips and says so (the lock test,
`test_lock_during_broadcast.py`, drives the same retry path without root).  On 494c7a0 the
first refused mark ends `herald run` with status 1.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from pathlib import Path

import pytest

from tests.push.faults import fill, outbox_states, small_disk, until
from tests.push.serving import post, running_service

SUBSCRIBERS = list(range(1, 21))
READER = 500


def checkpoint(db: Path) -> None:
    """Empty the WAL, so the service's next write must grow it: on a full disk, it cannot."""
    with sqlite3.connect(db, timeout=60) as other:
        other.execute("PRAGMA wal_checkpoint(TRUNCATE)")


async def test_a_full_disk_mid_broadcast_is_waited_out_and_nothing_is_sent_twice(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    with small_disk(tmp_path / "disk", megabytes=4) as disk:
        async with running_service(
            tmp_path, chats=SUBSCRIBERS, db=disk / "h.db", per_second=4.0
        ) as service:
            (service.content / "breaking.md").write_text(post("Breaking"), encoding="utf-8")
            await until(lambda: service.tg.stats.sends >= 3)  # the broadcast is under way
            await asyncio.to_thread(checkpoint, service.db)
            filler = fill(disk)
            await until(lambda: any("store unavailable" in r.getMessage() for r in caplog.records))
            [fault] = [
                r.getMessage() for r in caplog.records if "store unavailable" in r.getMessage()
            ]
            assert "database or disk is full" in fault

            await service.tg.user_sends(READER, "/latest")  # readers are still served
            await until(lambda: any("LATEST UPDATES" in t for t in service.texts(READER)))
            await service.tg.user_sends(READER, "/subscribe")  # a write: a polite refusal
            await until(lambda: any("try again in a minute" in t for t in service.texts(READER)))
            delivered_while_full = sum(1 for chat in SUBSCRIBERS if service.cards(chat))
            assert delivered_while_full < len(SUBSCRIBERS) and not service.task.done()

            filler.unlink()  # space is freed: delivery resumes by itself
            await until(lambda: all(service.cards(chat) for chat in SUBSCRIBERS), seconds=90)
            await until(lambda: outbox_states(service.db) == {"sent": len(SUBSCRIBERS)})
            assert all(len(service.cards(chat)) == 1 for chat in SUBSCRIBERS)
            assert any("store available again" in r.getMessage() for r in caplog.records)
            assert not service.task.done()
            await service.finish()
