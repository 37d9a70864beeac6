"""Issue 14, case 3: another process holds the write lock past the busy timeout during a
broadcast (as `herald sync` of a large folder does).  The service does not exit, its
refused marks are retried, nothing is sent twice, delivery resumes once the lock is gone,
and readers are answered meanwhile.

The lock is real: a second SQLite connection holding `BEGIN IMMEDIATE` for longer than the
service's busy timeout (the default 5 s, so the service meets exactly what it meets in
production), released once the service has said the store is unavailable.  On 494c7a0
`mark_sent` raises "database is locked" and `herald run` exits.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from tests.push.faults import outbox_states, until, write_lock_held
from tests.push.serving import post, running_service

SUBSCRIBERS = list(range(1, 21))
READER = 500


def said(caplog: pytest.LogCaptureFixture, words: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if words in r.getMessage()]


async def test_a_lock_held_past_the_busy_timeout_mid_broadcast_is_waited_out(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    async with running_service(tmp_path, chats=SUBSCRIBERS, per_second=4.0) as service:
        (service.content / "breaking.md").write_text(post("Breaking"), encoding="utf-8")
        await until(lambda: service.tg.stats.sends >= 3)  # the broadcast is under way
        async with write_lock_held(service.db):
            await service.tg.user_sends(READER, "/latest")  # a reader, while it is locked
            await until(lambda: bool(said(caplog, "store unavailable")), seconds=60)
            [fault] = said(caplog, "store unavailable")
            assert "database is locked" in fault
            await until(lambda: any("LATEST UPDATES" in t for t in service.texts(READER)))
            assert not service.task.done()
            stalled = sum(1 for chat in SUBSCRIBERS if service.cards(chat))
            assert stalled < len(SUBSCRIBERS)
        await until(lambda: all(service.cards(chat) for chat in SUBSCRIBERS), seconds=90)
        await until(lambda: outbox_states(service.db) == {"sent": len(SUBSCRIBERS)})
        assert all(len(service.cards(chat)) == 1 for chat in SUBSCRIBERS)
        assert said(caplog, "store available again")
        await service.finish()
