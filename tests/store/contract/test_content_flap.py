"""Issue 14, case 1: the content folder flaps (moved away, an empty folder for a while, put
back) — no subscriber hears about the archive again, every post keeps its id.

Before: 20 posts × 5 subscribers → 100 pushes, every post under a new id.  And the
mass-removal guard: a sync that would remove too many posts at once removes none, says
why, and applies them only when allowed.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from herald.core.ports import Store
from herald.core.records import SyncReport
from herald.indexing.sync import sync
from tests.conftest import WritePost

NOW = 1_900_000_000
LATER = 2**40
POSTS = 20
SUBSCRIBERS = 5


async def run_sync(
    store: Store, root: Path, *, allow_mass_removal: bool = False, max_removal_share: float = 0.5
) -> SyncReport:
    return await sync(
        store.index,
        root,
        excerpt_chars=350,
        now=NOW,
        allow_mass_removal=allow_mass_removal,
        max_removal_share=max_removal_share,
    )


async def pushes(store: Store) -> int:
    return len(await store.outbox.claim("memo", limit=10_000, now=LATER))


async def ids(store: Store) -> dict[str, int]:
    found = await store.posts.latest(now=NOW, offset=0, limit=1000)
    return {post.slug: post.id for post in found.items}


def move_away(folder: Path) -> Path:
    """Move the folder away and leave an empty one in its place (a checkout, a remount)."""
    away = folder.with_name("away")
    shutil.move(folder, away)
    folder.mkdir()
    return away


def put_back(away: Path, folder: Path) -> None:
    folder.rmdir()
    shutil.move(away, folder)


@pytest.fixture
async def archive(store: Store, content_dir: Path, write_post: WritePost) -> dict[str, int]:
    """Twenty published posts, five subscribed chats; the ids as first stored."""
    for i in range(POSTS):
        write_post(f"{i:02}.md", f"post {i}", title=f"Post {i}", date="2025-01-01", tags=["t"])
    await run_sync(store, content_dir)  # the silent first sync
    for chat in range(SUBSCRIBERS):
        await store.subscriptions.subscribe("memo", str(chat))
    return await ids(store)


async def test_a_flapping_folder_pushes_nothing_and_keeps_every_id(
    store: Store, content_dir: Path, archive: dict[str, int]
) -> None:
    away = move_away(content_dir)
    empty = await run_sync(store, content_dir)
    assert len(empty.held_back) == POSTS and empty.removed == []
    assert await ids(store) == archive  # still served while the folder settles
    put_back(away, content_dir)
    back = await run_sync(store, content_dir)
    assert not back.changed and back.held_back == []
    assert await ids(store) == archive and await pushes(store) == 0


async def test_a_flap_that_outlasts_the_settle_delay_pushes_nothing_either(
    store: Store, content_dir: Path, archive: dict[str, int]
) -> None:
    away = move_away(content_dir)
    settled = await run_sync(store, content_dir, allow_mass_removal=True)  # the watcher's
    assert len(settled.removed) == POSTS and await ids(store) == {}
    put_back(away, content_dir)
    back = await run_sync(store, content_dir)
    assert len(back.added) == POSTS and back.published == []
    assert await ids(store) == archive and await pushes(store) == 0


async def test_a_mass_removal_waits_says_why_and_still_applies_the_rest(
    store: Store,
    content_dir: Path,
    write_post: WritePost,
    archive: dict[str, int],
    caplog: pytest.LogCaptureFixture,
) -> None:
    for i in range(11):
        (content_dir / f"{i:02}.md").unlink()
    write_post("19.md", "edited", title="Edited", date="2025-01-01")
    write_post("fresh.md", "new", title="Fresh", date="2025-01-02")
    with caplog.at_level(logging.WARNING):
        held = await run_sync(store, content_dir)
    assert held.held_back == [f"{i:02}.md" for i in range(11)] and held.removed == []
    assert held.updated == ["19.md"] and held.added == ["fresh.md"]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == [
        "11 of 20 posts are missing at once; waiting for the folder to settle before removing them"
    ]
    assert len(await ids(store)) == POSTS + 1 and await pushes(store) == SUBSCRIBERS
    again = await run_sync(store, content_dir)  # still missing: still held back
    assert len(again.held_back) == 11
    allowed = await run_sync(store, content_dir, allow_mass_removal=True)
    assert len(allowed.removed) == 11 and allowed.held_back == []
    assert len(await ids(store)) == POSTS + 1 - 11


async def test_removals_under_the_share_are_applied_at_once(
    store: Store, content_dir: Path, archive: dict[str, int]
) -> None:
    for i in range(10):  # half: not more than half
        (content_dir / f"{i:02}.md").unlink()
    report = await run_sync(store, content_dir)
    assert len(report.removed) == 10 and report.held_back == []


async def test_the_share_is_configurable(
    store: Store, content_dir: Path, archive: dict[str, int]
) -> None:
    for i in range(15):
        (content_dir / f"{i:02}.md").unlink()
    assert len((await run_sync(store, content_dir, max_removal_share=0.5)).held_back) == 15
    relaxed = await run_sync(store, content_dir, max_removal_share=0.8)
    assert len(relaxed.removed) == 15
