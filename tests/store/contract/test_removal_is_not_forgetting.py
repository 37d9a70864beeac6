"""Issue 14, case 1: a removed post is a tombstone, and a post that comes back is the same post.

Before, removal deleted the row: the same file back later was a new post, with a new id,
announced to every subscriber again.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from herald.core.ports import Store
from herald.core.reader import ReaderService
from herald.core.records import SyncReport
from herald.indexing.sync import sync
from tests.conftest import WritePost

NOW = 1_900_000_000
LATER = 2**40


async def run_sync(store: Store, root: Path, *, allow_mass_removal: bool = False) -> SyncReport:
    return await sync(
        store.index, root, excerpt_chars=350, now=NOW, allow_mass_removal=allow_mass_removal
    )


async def announced(store: Store) -> list[int]:
    """Post ids planned for the subscribed chat since the last look."""
    return [d.post_id for d in await store.outbox.claim("memo", limit=1000, now=LATER)]


async def id_of(store: Store, slug: str) -> int | None:
    record = await store.posts.by_slug(slug, now=NOW)
    return None if record is None else record.summary.id


async def subscribed_archive(store: Store, root: Path, write_post: WritePost) -> None:
    """Three posts tagged `t`, a chat subscribed to everything, the silent first sync."""
    for i in range(3):
        write_post(f"p{i}.md", f"body {i} marker{i}", title=f"P{i}", date="2025-01-01", tags=["t"])
    await store.subscriptions.subscribe("memo", "reader")
    await run_sync(store, root)
    assert await announced(store) == []


async def test_a_removed_then_restored_post_keeps_its_id_and_is_not_announced(
    store: Store, content_dir: Path, write_post: WritePost
) -> None:
    await subscribed_archive(store, content_dir, write_post)
    before = await id_of(store, "p1")
    kept = (content_dir / "p1.md").read_bytes()
    (content_dir / "p1.md").unlink()
    gone = await run_sync(store, content_dir)
    assert gone.removed == ["p1.md"] and gone.held_back == []
    assert await id_of(store, "p1") is None
    assert (await store.posts.search("marker1", now=NOW, offset=0, limit=5)).total == 0  # type: ignore[union-attr]
    assert dict(await store.posts.tags(now=NOW)) == {"t": 2}
    assert (await store.posts.latest(now=NOW, offset=0, limit=10)).total == 2
    (content_dir / "p1.md").write_bytes(kept)
    back = await run_sync(store, content_dir)
    assert back.added == ["p1.md"] and back.published == []
    assert await id_of(store, "p1") == before
    assert (await store.posts.search("marker1", now=NOW, offset=0, limit=5)).total == 1  # type: ignore[union-attr]
    assert await announced(store) == []
    write_post("new.md", "news", title="New", date="2025-01-02")
    await run_sync(store, content_dir)
    new_id = await id_of(store, "new")
    assert before is not None and new_id is not None and new_id > before
    assert await announced(store) == [new_id]


async def test_a_renamed_file_keeps_its_post_within_one_sync(
    store: Store, content_dir: Path, write_post: WritePost
) -> None:
    write_post("a.md", "x", title="A", slug="same-post", date="2025-01-01")
    write_post("other.md", "y", title="O", date="2025-01-01")
    await store.subscriptions.subscribe("memo", "reader")
    await run_sync(store, content_dir)
    before = await id_of(store, "same-post")
    (content_dir / "a.md").rename(content_dir / "renamed.md")
    report = await run_sync(store, content_dir)
    assert (report.added, report.removed, report.failed) == (["renamed.md"], ["a.md"], {})
    record = await store.posts.by_slug("same-post", now=NOW)
    assert record is not None and record.summary.id == before and record.path == "renamed.md"
    assert await announced(store) == []


async def test_a_post_moved_while_it_was_away_comes_back_by_its_slug(
    store: Store, content_dir: Path, write_post: WritePost
) -> None:
    write_post("a.md", "x", title="A", slug="kept", date="2025-01-01")
    write_post("b.md", "y", title="B", date="2025-01-01")
    await store.subscriptions.subscribe("memo", "reader")
    await run_sync(store, content_dir)
    before = await id_of(store, "kept")
    (content_dir / "a.md").unlink()
    await run_sync(store, content_dir)
    write_post("notes/elsewhere.md", "x again", title="A", slug="kept", date="2025-01-01")
    report = await run_sync(store, content_dir)
    assert report.added == ["notes/elsewhere.md"] and report.failed == {}
    assert await id_of(store, "kept") == before and await announced(store) == []


async def test_a_tombstone_never_blocks_another_file_and_still_comes_back_by_its_path(
    store: Store, content_dir: Path, write_post: WritePost
) -> None:
    write_post("one.md", "1", title="One", slug="first", date="2025-01-01")
    write_post("two.md", "2", title="Two", slug="second", date="2025-01-01")
    write_post("three.md", "3", title="Three", date="2025-01-01")
    await run_sync(store, content_dir)
    one, two = await id_of(store, "first"), await id_of(store, "second")
    (content_dir / "one.md").unlink()
    (content_dir / "two.md").unlink()
    await run_sync(store, content_dir, allow_mass_removal=True)
    # one.md comes back under the slug two.md had: it is one.md's post, and takes the slug.
    write_post("one.md", "1 again", title="One", slug="second", date="2025-01-01")
    report = await run_sync(store, content_dir)
    assert report.added == ["one.md"] and report.failed == {}
    assert await id_of(store, "second") == one
    # two.md comes back with another slug: still two.md's post.
    write_post("two.md", "2 again", title="Two", slug="second-again", date="2025-01-01")
    again = await run_sync(store, content_dir)
    assert again.added == ["two.md"] and again.failed == {}
    assert await id_of(store, "second-again") == two


async def test_a_post_that_breaks_and_is_fixed_is_the_same_post(
    store: Store, content_dir: Path, write_post: WritePost
) -> None:
    await subscribed_archive(store, content_dir, write_post)
    before = await id_of(store, "p0")
    good = (content_dir / "p0.md").read_bytes()
    (content_dir / "p0.md").write_bytes(b"\xff\xfe not utf-8")
    broken = await run_sync(store, content_dir)
    assert broken.removed == ["p0.md"] and "p0.md" in broken.failed
    (content_dir / "p0.md").write_bytes(good)
    fixed = await run_sync(store, content_dir)
    assert fixed.added == ["p0.md"] and fixed.failed == {}
    assert await id_of(store, "p0") == before and await announced(store) == []


async def test_a_folder_moved_into_a_subfolder_keeps_every_post(
    store: Store, content_dir: Path, write_post: WritePost
) -> None:
    for i in range(6):
        write_post(f"p{i}.md", f"{i}", title=f"P{i}", slug=f"post-{i}", date="2025-01-01")
    await store.subscriptions.subscribe("memo", "reader")
    await run_sync(store, content_dir)
    before = {i: await id_of(store, f"post-{i}") for i in range(6)}
    (content_dir / "posts").mkdir()
    for i in range(6):
        shutil.move(content_dir / f"p{i}.md", content_dir / "posts" / f"p{i}.md")
    report = await run_sync(store, content_dir)  # nothing is missing: every post moved
    assert report.held_back == [] and len(report.added) == len(report.removed) == 6
    assert {i: await id_of(store, f"post-{i}") for i in range(6)} == before
    assert await announced(store) == []


async def test_a_pending_push_of_a_removed_post_is_not_sent(
    store: Store, content_dir: Path, write_post: WritePost
) -> None:
    await subscribed_archive(store, content_dir, write_post)
    path = write_post("new.md", "news", title="New", date="2025-01-02")
    await run_sync(store, content_dir)  # planned, not yet delivered
    new_id = await id_of(store, "new")
    assert new_id is not None
    path.unlink()
    await run_sync(store, content_dir)
    reader = ReaderService(store, clock=lambda: NOW)
    assert await reader.announcement(new_id, lang="en") is None  # the dispatcher skips it
    assert await store.posts.get(new_id, now=NOW) is None
