"""Issue 14, case 5: the content folder is deleted and recreated while the service runs.

inotify's watch dies with the folder it watched; on 494c7a0 the bot kept answering but
never saw another change (one ERROR line, new posts never stored or pushed).  Now the
watch is re-established with a log line, the new folder re-synced, and a post dropped
into it is stored and pushed to every subscriber once.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from tests.conftest import store_at
from tests.push.faults import until
from tests.push.serving import post, running_service

SUBSCRIBERS = [1, 2, 3]


def said(caplog: pytest.LogCaptureFixture, words: str) -> bool:
    return any(words in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize("how", ["deleted", "moved away", "swapped"])
async def test_a_recreated_content_folder_is_watched_again_and_new_posts_are_pushed(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, how: str
) -> None:
    caplog.set_level(logging.INFO)
    async with running_service(tmp_path, chats=SUBSCRIBERS) as service:
        if how == "deleted":
            shutil.rmtree(service.content)
        else:
            service.content.rename(tmp_path / "content.old")
        if how == "swapped":  # another folder in its place at once (a deploy, a remount)
            service.content.mkdir()
        await until(lambda: said(caplog, "its watch is lost"))
        if how != "swapped":
            service.content.mkdir()
            await until(lambda: said(caplog, "is back: watching it again"))
        (service.content / "after.md").write_text(post("After the move"), encoding="utf-8")
        await until(lambda: all(service.cards(chat) for chat in SUBSCRIBERS))
        for chat in SUBSCRIBERS:
            [card] = service.cards(chat)
            assert "After the move" in card
        async with await store_at(service.db) as store:
            found = await store.posts.by_slug("after", now=2_000_000_000)
        assert found is not None and found.summary.title == "After the move"
        await service.finish()
