import os
from pathlib import Path

from herald.core.ports import Store
from herald.core.records import SyncReport
from herald.indexing.excerpts import render_pending_excerpts
from herald.indexing.sync import INDEX_FORMAT, sync
from tests.conftest import WritePost, pending
from tests.store.contract.conftest import OpenStore

NOW = 1_900_000_000  # 2030-03-17, after every fixture date


async def run_sync(store: Store, root: Path) -> SyncReport:
    return await sync(store.index, root, excerpt_chars=350, now=NOW)


async def test_cold_sync_loads_good_posts_and_reports_bad_ones(
    store: Store, content_dir: Path, write_post: WritePost
) -> None:
    write_post("a.md", "# A\n\n梯度检查点节省显存。", title="A", date="2025-01-01")
    write_post("b.md", "Body b", title="B", date="2025-01-02")
    (content_dir / "broken.md").write_text("---\ntitle: [unclosed\n---\nx\n", encoding="utf-8")
    (content_dir / "binary.md").write_bytes(b"\x00\x01\x02")
    report = await run_sync(store, content_dir)
    assert sorted(report.added) == ["a.md", "b.md"]
    assert set(report.failed) == {"broken.md", "binary.md"}
    assert all(reason for reason in report.failed.values())
    latest = await store.posts.latest(now=NOW, offset=0, limit=10)
    assert [p.title for p in latest.items] == ["B", "A"]


async def test_resync_with_nothing_changed_parses_nothing(
    store: Store, content_dir: Path, write_post: WritePost
) -> None:
    for i in range(5):
        write_post(f"p{i}.md", f"body {i}", title=f"P{i}", date="2025-01-01")
    await run_sync(store, content_dir)
    again = await run_sync(store, content_dir)
    assert (again.parsed, again.unchanged, again.changed) == (0, 5, False)


async def test_touched_but_identical_file_is_hashed_not_parsed(
    store: Store, content_dir: Path, write_post: WritePost
) -> None:
    path = write_post("p.md", "body", title="P", date="2025-01-01")
    await run_sync(store, content_dir)
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 5_000_000_000))
    again = await run_sync(store, content_dir)
    assert (again.parsed, again.changed) == (0, False)


async def test_changed_file_updates_in_place_keeping_id_and_slug(
    store: Store, content_dir: Path, write_post: WritePost
) -> None:
    write_post("keep.md", "old words", title="Old", date="2025-01-01")
    await run_sync(store, content_dir)
    queries = store.posts
    before = await queries.by_slug("keep", now=NOW)
    write_post("keep.md", "new words entirely", title="New", date="2025-01-01")
    report = await run_sync(store, content_dir)
    after = await queries.by_slug("keep", now=NOW)
    assert report.updated == ["keep.md"] and report.parsed == 1
    assert before is not None and after is not None
    assert after.summary.id == before.summary.id
    assert after.summary.title == "New"
    assert (await queries.search("entirely", now=NOW, offset=0, limit=5)).total == 1  # type: ignore[union-attr]
    assert (await queries.search("old", now=NOW, offset=0, limit=5)).total == 0  # type: ignore[union-attr]


async def test_deleted_file_disappears_everywhere(
    store: Store, content_dir: Path, write_post: WritePost
) -> None:
    path = write_post("gone.md", "unique-marker words", title="Gone", date="2025-01-01", tags=["x"])
    await run_sync(store, content_dir)
    path.unlink()
    report = await run_sync(store, content_dir)
    queries = store.posts
    assert report.removed == ["gone.md"]
    assert await queries.by_slug("gone", now=NOW) is None
    assert (await queries.search("marker", now=NOW, offset=0, limit=5)).total == 0  # type: ignore[union-attr]
    assert await queries.tags(now=NOW) == []


async def test_duplicate_slug_is_reported_and_heals_when_the_other_goes(
    store: Store, content_dir: Path, write_post: WritePost
) -> None:
    first = write_post("a.md", "a", title="A", slug="same", date="2025-01-01")
    write_post("b.md", "b", title="B", slug="same", date="2025-01-02")
    report = await run_sync(store, content_dir)
    assert report.added == ["a.md"]
    assert "duplicate slug 'same'" in report.failed["b.md"]
    assert "a.md" in report.failed["b.md"]
    first.unlink()
    healed = await run_sync(store, content_dir)
    assert healed.added == ["b.md"] and healed.failed == {}


async def test_a_post_that_breaks_stops_being_served(
    store: Store, content_dir: Path, write_post: WritePost
) -> None:
    path = write_post("p.md", "body", title="P", date="2025-01-01")
    await run_sync(store, content_dir)
    path.write_bytes(b"\xff\xfe not utf-8 \x80")
    report = await run_sync(store, content_dir)
    assert report.removed == ["p.md"] and "p.md" in report.failed
    assert await store.posts.by_slug("p", now=NOW) is None


async def test_drafts_and_future_posts_are_stored_but_not_served(
    store: Store, content_dir: Path, write_post: WritePost
) -> None:
    write_post("draft.md", "d", title="Draft", date="2025-01-01", draft=True)
    write_post("future.md", "f", title="Future", date="2031-01-01T00:00:00+00:00")
    write_post("now.md", "n", title="Now", date="2025-01-01")
    report = await run_sync(store, content_dir)
    assert len(report.added) == 3
    queries = store.posts
    visible = await queries.latest(now=NOW, offset=0, limit=10)
    assert [p.title for p in visible.items] == ["Now"]
    later = await queries.latest(now=1_950_000_000, offset=0, limit=10)
    assert [p.title for p in later.items] == ["Future", "Now"]


async def test_new_excerpt_length_renders_the_cards_again_without_reading_files(
    store: Store, open_fresh: OpenStore, content_dir: Path, write_post: WritePost
) -> None:
    write_post("p.md", "字" * 500, title="P", date="2025-01-01")
    await sync(store.index, content_dir, excerpt_chars=350, now=NOW)
    shorter = await open_fresh(excerpt_chars=100)
    report = await sync(shorter.index, content_dir, excerpt_chars=100, now=NOW)
    assert report.parsed == 0
    assert await pending(shorter) == 1
    record = await shorter.posts.by_slug("p", now=NOW)
    assert record is not None and record.summary.excerpt == "字" * 100 + "..."
    assert await render_pending_excerpts(shorter.index, excerpt_chars=100) == 1
    assert await pending(shorter) == 0
    stored = await shorter.posts.by_slug("p", now=NOW)
    assert stored is not None and stored.summary.excerpt == "字" * 100 + "..."


async def test_a_store_indexed_by_an_older_format_is_read_again(
    store: Store, content_dir: Path, write_post: WritePost
) -> None:
    write_post("p.md", "正文", title="P", date="2025-01-01")
    await sync(store.index, content_dir, excerpt_chars=350, now=NOW)
    await store.index.use_settings(excerpt_chars=350, index_format="an-older-" + INDEX_FORMAT)
    report = await sync(store.index, content_dir, excerpt_chars=350, now=NOW)
    assert report.parsed == 1 and report.updated == ["p.md"]


async def test_many_files_are_parsed_in_a_process_pool_with_the_same_result(
    store: Store, content_dir: Path, write_post: WritePost
) -> None:
    for i in range(230):
        write_post(f"bulk/{i:03}.md", f"第 {i} 篇，关于显存。", title=f"T{i}", date="2025-01-01")
    seen: list[tuple[int, int]] = []
    report = await sync(
        store.index,
        content_dir,
        excerpt_chars=350,
        now=NOW,
        workers=2,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert len(report.added) == 230 and report.failed == {}
    assert seen[-1] == (230, 230)
    found = await store.posts.search("显存", now=NOW, offset=0, limit=5)
    assert found is not None and found.total == 230


async def test_targeted_sync_touches_only_the_named_paths(
    store: Store, content_dir: Path, write_post: WritePost
) -> None:
    for name in ("a.md", "b.md", "c.md"):
        write_post(name, "body", title=name.upper(), date="2025-01-01", slug=name[0])
    await run_sync(store, content_dir)
    write_post("a.md", "new body", title="A2", date="2025-01-01", slug="a")
    write_post("b.md", "also changed, but not named", title="B2", date="2025-01-01", slug="b")
    (content_dir / "c.md").unlink()
    write_post("d.md", "steals a slug", title="D", date="2025-01-01", slug="b")
    report = await sync(
        store.index, content_dir, excerpt_chars=350, now=NOW, only={"a.md", "c.md", "d.md"}
    )
    assert (report.updated, report.removed, report.added) == (["a.md"], ["c.md"], [])
    assert report.failed == {"d.md": "duplicate slug 'b' (already used by b.md)"}
    queries = store.posts
    b = await queries.by_slug("b", now=NOW)
    assert b is not None and b.summary.title == "B.MD"  # b.md was not looked at
    full = await run_sync(store, content_dir)
    assert full.updated == ["b.md"]


async def test_cached_feed_order_follows_every_change(
    store: Store, open_fresh: OpenStore, content_dir: Path, write_post: WritePost
) -> None:
    write_post("a.md", "x", title="A", date="2025-01-01", tags=["t"])
    await run_sync(store, content_dir)
    queries = store.posts
    assert [p.title for p in (await queries.latest(now=NOW, offset=0, limit=5)).items] == ["A"]
    write_post("b.md", "x", title="B", date="2025-01-02", tags=["t"])
    await run_sync(store, content_dir)  # a write through this connection
    assert [p.title for p in (await queries.latest(now=NOW, offset=0, limit=5)).items] == ["B", "A"]
    write_post("c.md", "x", title="C", date="2025-01-03", tags=["t"])
    other = await open_fresh()  # another process
    await sync(other.index, content_dir, excerpt_chars=350, now=NOW)
    latest = await queries.latest(now=NOW, offset=0, limit=5)
    tagged = await queries.by_tag("T", now=NOW, offset=1, limit=5)
    assert [p.title for p in latest.items] == ["C", "B", "A"]
    assert (tagged.total, [p.title for p in tagged.items]) == (3, ["B", "A"])


async def test_new_and_newly_due_posts_are_announced_once_in_date_order(
    store: Store, content_dir: Path, write_post: WritePost
) -> None:
    write_post("old.md", "old", title="Old", date="2025-01-01")
    write_post("draft.md", "draft", title="Draft", date="2025-01-02", draft=True)
    write_post("later.md", "later", title="Later", date="2030-03-18")  # after NOW
    await store.subscriptions.subscribe("memo", "reader")

    async def announced() -> list[int]:
        return [d.post_id for d in await store.outbox.claim("memo", limit=100, now=2**40)]

    first = await sync(store.index, content_dir, excerpt_chars=350, now=NOW)
    assert len(first.published) == 1 and await announced() == []  # the first sync is silent
    old = await store.posts.by_slug("old", now=NOW)
    assert old is not None and first.published == [old.summary.id]

    write_post("new.md", "new", title="New", date="2030-03-17")
    write_post("older.md", "older", title="Older", date="2024-06-01")
    day_later = NOW + 2 * 86400
    second = await sync(store.index, content_dir, excerpt_chars=350, now=day_later)
    slugs = {}
    for slug in ("older", "new", "later"):
        post = await store.posts.by_slug(slug, now=day_later)
        assert post is not None
        slugs[post.summary.id] = slug
    assert [slugs[i] for i in second.published] == ["older", "new", "later"]
    assert await announced() == second.published
    third = await sync(store.index, content_dir, excerpt_chars=350, now=day_later)
    assert third.published == [] and await announced() == []


async def test_a_post_dated_within_the_current_second_is_listed_and_searchable(
    store: Store, content_dir: Path, write_post: WritePost
) -> None:
    # Dates are stored in whole seconds, so 0.5 s after `now` is already visible.
    write_post("edge.md", "梯度检查点。", title="Edge", date="2030-03-17T17:46:40.500000Z")
    await run_sync(store, content_dir)
    queries = store.posts
    listed = await queries.latest(now=NOW, offset=0, limit=10)
    found = await queries.search("检查点", now=NOW, offset=0, limit=10)
    assert [p.title for p in listed.items] == ["Edge"]
    assert found is not None and [p.title for p in found.items] == ["Edge"]
