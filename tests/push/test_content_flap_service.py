"""Issue 14, case 1, through the running service: `content/` moved away, an empty folder in
its place for a while, then put back (a checkout, an rsync, a remount).

The watcher sees each swap (the folder is another one), re-syncs; the sync of the empty
folder holds every removal back, and the folder comes back before the removal settle
delay, so nothing is removed and nothing is announced again.  A post written afterwards
reaches every subscriber once, and is the only thing they get.  On 494c7a0 every
subscriber got the whole archive again (or, with the watch lost, nothing at all).
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from tests.conftest import store_at
from tests.push.faults import until
from tests.push.serving import post, running_service

SUBSCRIBERS = [1, 2, 3, 4, 5]


def count(caplog: pytest.LogCaptureFixture, words: str) -> int:
    return sum(1 for record in caplog.records if words in record.getMessage())


async def test_a_folder_away_and_back_announces_nothing_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    async with running_service(tmp_path, chats=SUBSCRIBERS) as service:
        async with await store_at(service.db) as store:
            before = (await store.posts.latest(now=2_000_000_000, offset=0, limit=1)).total
        away = tmp_path / "content.away"
        service.content.rename(away)
        service.content.mkdir()  # an empty folder in its place
        await until(lambda: count(caplog, "held back") >= 1)
        service.content.rmdir()
        away.rename(service.content)  # and back
        await until(lambda: count(caplog, "its watch is lost") >= 2)
        (service.content / "after.md").write_text(post("After the flap"), encoding="utf-8")
        await until(lambda: all(service.cards(chat) for chat in SUBSCRIBERS))
        for chat in SUBSCRIBERS:
            [card] = service.cards(chat)  # the new post, and nothing of the archive
            assert "After the flap" in card
        async with await store_at(service.db) as store:
            after = (await store.posts.latest(now=2_000_000_000, offset=0, limit=1)).total
        assert after == before + 1
        await service.finish()
