"""Issue 14, case 9: a post written slowly in place is announced once, whole.

The file is appended to in several writes with pauses (a slow upload, an editor saving in
pieces), from a thread, so the pauses are the writer's and not the event loop's.  On
494c7a0 the first debounced change synced the file with its front matter alone and
pushed an empty excerpt; the later writes were edits, which do not notify.  Now a file is
synced once its size and mtime have held still for the settle interval (1 s), longer than
any pause here, so the one announcement carries the whole excerpt.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from herald.push.watcher import SETTLE_SECONDS
from tests.push.faults import outbox_states, until
from tests.push.serving import running_service

SUBSCRIBERS = [1, 2, 3]
PARTS = [f"Part {n} arrives." for n in range(1, 7)]
PAUSE_SECONDS = 0.15
"""Longer than watchfiles' quiet step (50 ms), so each write is its own change."""


def write_slowly(path: Path) -> None:
    with path.open("w", encoding="utf-8") as handle:
        handle.write("---\ntitle: Slow post\ndate: 2025-11-20T10:00:00+08:00\n---\n\n")
        handle.flush()
        for part in PARTS:
            time.sleep(PAUSE_SECONDS)
            handle.write(part + "\n")
            handle.flush()


async def test_a_post_written_slowly_in_place_is_announced_once_with_its_whole_excerpt(
    tmp_path: Path,
) -> None:
    assert PAUSE_SECONDS * 3 < SETTLE_SECONDS  # the pauses are clearly shorter than a settle
    async with running_service(tmp_path, chats=SUBSCRIBERS) as service:
        await asyncio.to_thread(write_slowly, service.content / "slow.md")
        await until(lambda: all(service.cards(chat) for chat in SUBSCRIBERS))
        await until(lambda: outbox_states(service.db) == {"sent": len(SUBSCRIBERS)})
        for chat in SUBSCRIBERS:
            [card] = service.cards(chat)
            assert "Slow post" in card and PARTS[-1] in card, card
        await service.finish()
    assert outbox_states(service.db) == {"sent": len(SUBSCRIBERS)}  # no second announcement
