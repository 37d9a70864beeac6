import os
from collections.abc import Sequence
from pathlib import Path

import pytest

from herald.store.database import Database
from herald.store.excerpts import pending_excerpts, render_pending_excerpts
from herald.store.posts import PostQueries
from herald.store.sync import sync
from tests.conftest import WritePost

NOW = 1_900_000_000  # 2030-03-17, after every fixture date


async def run_sync(database: Database, root: Path):  # type: ignore[no-untyped-def]
    return await sync(database, root, excerpt_chars=350, now=NOW)


async def test_cold_sync_loads_good_posts_and_reports_bad_ones(
    database: Database, content_dir: Path, write_post: WritePost
) -> None:
    write_post("a.md", "# A\n\n梯度检查点节省显存。", title="A", date="2025-01-01")
    write_post("b.md", "Body b", title="B", date="2025-01-02")
    (content_dir / "broken.md").write_text("---\ntitle: [unclosed\n---\nx\n", encoding="utf-8")
    (content_dir / "binary.md").write_bytes(b"\x00\x01\x02")
    report = await run_sync(database, content_dir)
    assert sorted(report.added) == ["a.md", "b.md"]
    assert set(report.failed) == {"broken.md", "binary.md"}
    assert all(reason for reason in report.failed.values())
    latest = await PostQueries(database).latest(now=NOW, offset=0, limit=10)
    assert [p.title for p in latest.items] == ["B", "A"]


async def test_resync_with_nothing_changed_parses_nothing(
    database: Database, content_dir: Path, write_post: WritePost
) -> None:
    for i in range(5):
        write_post(f"p{i}.md", f"body {i}", title=f"P{i}", date="2025-01-01")
    await run_sync(database, content_dir)
    again = await run_sync(database, content_dir)
    assert (again.parsed, again.unchanged, again.changed) == (0, 5, False)


async def test_touched_but_identical_file_is_hashed_not_parsed(
    database: Database, content_dir: Path, write_post: WritePost
) -> None:
    path = write_post("p.md", "body", title="P", date="2025-01-01")
    await run_sync(database, content_dir)
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 5_000_000_000))
    again = await run_sync(database, content_dir)
    assert (again.parsed, again.changed) == (0, False)


async def test_changed_file_updates_in_place_keeping_id_and_slug(
    database: Database, content_dir: Path, write_post: WritePost
) -> None:
    write_post("keep.md", "old words", title="Old", date="2025-01-01")
    await run_sync(database, content_dir)
    queries = PostQueries(database)
    before = await queries.by_slug("keep", now=NOW)
    write_post("keep.md", "new words entirely", title="New", date="2025-01-01")
    report = await run_sync(database, content_dir)
    after = await queries.by_slug("keep", now=NOW)
    assert report.updated == ["keep.md"] and report.parsed == 1
    assert before is not None and after is not None
    assert after.summary.id == before.summary.id
    assert after.summary.title == "New"
    assert (await queries.search("entirely", now=NOW, offset=0, limit=5)).total == 1  # type: ignore[union-attr]
    assert (await queries.search("old", now=NOW, offset=0, limit=5)).total == 0  # type: ignore[union-attr]


async def test_deleted_file_disappears_everywhere(
    database: Database, content_dir: Path, write_post: WritePost
) -> None:
    path = write_post("gone.md", "unique-marker words", title="Gone", date="2025-01-01", tags=["x"])
    await run_sync(database, content_dir)
    path.unlink()
    report = await run_sync(database, content_dir)
    queries = PostQueries(database)
    assert report.removed == ["gone.md"]
    assert await queries.by_slug("gone", now=NOW) is None
    assert (await queries.search("marker", now=NOW, offset=0, limit=5)).total == 0  # type: ignore[union-attr]
    assert await queries.tags(now=NOW) == []


async def test_duplicate_slug_is_reported_and_heals_when_the_other_goes(
    database: Database, content_dir: Path, write_post: WritePost
) -> None:
    first = write_post("a.md", "a", title="A", slug="same", date="2025-01-01")
    write_post("b.md", "b", title="B", slug="same", date="2025-01-02")
    report = await run_sync(database, content_dir)
    assert report.added == ["a.md"]
    assert "duplicate slug 'same'" in report.failed["b.md"]
    assert "a.md" in report.failed["b.md"]
    first.unlink()
    healed = await run_sync(database, content_dir)
    assert healed.added == ["b.md"] and healed.failed == {}


async def test_a_post_that_breaks_stops_being_served(
    database: Database, content_dir: Path, write_post: WritePost
) -> None:
    path = write_post("p.md", "body", title="P", date="2025-01-01")
    await run_sync(database, content_dir)
    path.write_bytes(b"\xff\xfe not utf-8 \x80")
    report = await run_sync(database, content_dir)
    assert report.removed == ["p.md"] and "p.md" in report.failed
    assert await PostQueries(database).by_slug("p", now=NOW) is None


async def test_drafts_and_future_posts_are_stored_but_not_served(
    database: Database, content_dir: Path, write_post: WritePost
) -> None:
    write_post("draft.md", "d", title="Draft", date="2025-01-01", draft=True)
    write_post("future.md", "f", title="Future", date="2031-01-01T00:00:00+00:00")
    write_post("now.md", "n", title="Now", date="2025-01-01")
    report = await run_sync(database, content_dir)
    assert len(report.added) == 3
    queries = PostQueries(database)
    visible = await queries.latest(now=NOW, offset=0, limit=10)
    assert [p.title for p in visible.items] == ["Now"]
    later = await queries.latest(now=1_950_000_000, offset=0, limit=10)
    assert [p.title for p in later.items] == ["Future", "Now"]


async def test_new_excerpt_length_renders_the_cards_again_without_reading_files(
    database: Database, content_dir: Path, write_post: WritePost
) -> None:
    write_post("p.md", "字" * 500, title="P", date="2025-01-01")
    await sync(database, content_dir, excerpt_chars=350, now=NOW)
    report = await sync(database, content_dir, excerpt_chars=100, now=NOW)
    assert report.parsed == 0
    assert await pending_excerpts(database) == 1
    record = await PostQueries(database, excerpt_chars=100).by_slug("p", now=NOW)
    assert record is not None and record.summary.excerpt == "字" * 100 + "..."
    assert await render_pending_excerpts(database, excerpt_chars=100) == 1
    async with database.connection.execute("SELECT excerpt FROM posts") as cursor:
        assert [row[0] for row in await cursor.fetchall()] == ["字" * 100 + "..."]


async def test_a_store_indexed_by_an_older_format_is_read_again(
    database: Database, content_dir: Path, write_post: WritePost
) -> None:
    write_post("p.md", "正文", title="P", date="2025-01-01")
    await sync(database, content_dir, excerpt_chars=350, now=NOW)
    async with database.transaction() as db:
        await db.execute("UPDATE meta SET value = '{\"excerpt_chars\": 350}' WHERE key = 'render'")
    report = await sync(database, content_dir, excerpt_chars=350, now=NOW)
    assert report.parsed == 1 and report.updated == ["p.md"]


async def test_many_files_are_parsed_in_a_process_pool_with_the_same_result(
    database: Database, content_dir: Path, write_post: WritePost
) -> None:
    for i in range(230):
        write_post(f"bulk/{i:03}.md", f"第 {i} 篇，关于显存。", title=f"T{i}", date="2025-01-01")
    seen: list[tuple[int, int]] = []
    report = await sync(
        database,
        content_dir,
        excerpt_chars=350,
        now=NOW,
        workers=2,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert len(report.added) == 230 and report.failed == {}
    assert seen[-1] == (230, 230)
    found = await PostQueries(database).search("显存", now=NOW, offset=0, limit=5)
    assert found is not None and found.total == 230


async def test_targeted_sync_touches_only_the_named_paths(
    database: Database, content_dir: Path, write_post: WritePost
) -> None:
    for name in ("a.md", "b.md", "c.md"):
        write_post(name, "body", title=name.upper(), date="2025-01-01", slug=name[0])
    await run_sync(database, content_dir)
    write_post("a.md", "new body", title="A2", date="2025-01-01", slug="a")
    write_post("b.md", "also changed, but not named", title="B2", date="2025-01-01", slug="b")
    (content_dir / "c.md").unlink()
    write_post("d.md", "steals a slug", title="D", date="2025-01-01", slug="b")
    report = await sync(
        database, content_dir, excerpt_chars=350, now=NOW, only={"a.md", "c.md", "d.md"}
    )
    assert (report.updated, report.removed, report.added) == (["a.md"], ["c.md"], [])
    assert report.failed == {"d.md": "duplicate slug 'b' (already used by b.md)"}
    queries = PostQueries(database)
    b = await queries.by_slug("b", now=NOW)
    assert b is not None and b.summary.title == "B.MD"  # b.md was not looked at
    full = await run_sync(database, content_dir)
    assert full.updated == ["b.md"]


async def test_cached_feed_order_follows_every_change(
    database: Database, content_dir: Path, write_post: WritePost, tmp_path: Path
) -> None:
    write_post("a.md", "x", title="A", date="2025-01-01", tags=["t"])
    await run_sync(database, content_dir)
    queries = PostQueries(database)
    assert [p.title for p in (await queries.latest(now=NOW, offset=0, limit=5)).items] == ["A"]
    write_post("b.md", "x", title="B", date="2025-01-02", tags=["t"])
    await run_sync(database, content_dir)  # a write through this connection
    assert [p.title for p in (await queries.latest(now=NOW, offset=0, limit=5)).items] == ["B", "A"]
    write_post("c.md", "x", title="C", date="2025-01-03", tags=["t"])
    async with await Database.open(tmp_path / "herald.db") as other:  # another process
        await sync(other, content_dir, excerpt_chars=350, now=NOW)
    latest = await queries.latest(now=NOW, offset=0, limit=5)
    tagged = await queries.by_tag("T", now=NOW, offset=1, limit=5)
    assert [p.title for p in latest.items] == ["C", "B", "A"]
    assert (tagged.total, [p.title for p in tagged.items]) == (3, ["B", "A"])


async def test_a_bulk_sync_indexes_in_large_merges_and_restores_the_index_defaults(
    database: Database, content_dir: Path, write_post: WritePost, monkeypatch: pytest.MonkeyPatch
) -> None:
    import herald.store.sync as sync_module

    monkeypatch.setattr(sync_module, "BULK_INDEXING_THRESHOLD", 10)
    for i in range(12):
        write_post(f"{i:02}.md", f"第 {i} 篇，关于梯度检查点。", title=f"T{i}", date="2025-01-01")
    report = await run_sync(database, content_dir)
    assert len(report.added) == 12
    found = await PostQueries(database).search("检查点", now=NOW, offset=0, limit=20)
    assert found is not None and found.total == 12
    async with database.connection.execute(
        "SELECT k, v FROM posts_fts_config WHERE k IN ('hashsize', 'automerge')"
    ) as cursor:
        settings = {row[0]: row[1] for row in await cursor.fetchall()}
    assert settings == {"hashsize": 1024 * 1024, "automerge": 4}
    async with database.connection.execute(
        "INSERT INTO posts_fts (posts_fts, rank) VALUES ('integrity-check', 1)"
    ):
        pass  # raises if the index does not match its content


async def test_new_and_newly_due_posts_are_announced_once_in_date_order(
    database: Database, content_dir: Path, write_post: WritePost
) -> None:
    write_post("old.md", "old", title="Old", date="2025-01-01")
    write_post("draft.md", "draft", title="Draft", date="2025-01-02", draft=True)
    write_post("later.md", "later", title="Later", date="2030-03-18")  # after NOW
    announced: list[list[int]] = []

    async def on_publish(_connection: object, ids: Sequence[int]) -> None:
        announced.append(list(ids))

    first = await sync(database, content_dir, excerpt_chars=350, now=NOW, on_publish=on_publish)
    assert len(first.published) == 1 and announced == []  # the first sync is silent
    queries = PostQueries(database)
    old = await queries.by_slug("old", now=NOW)
    assert old is not None and first.published == [old.summary.id]

    write_post("new.md", "new", title="New", date="2030-03-17")
    write_post("older.md", "older", title="Older", date="2024-06-01")
    day_later = NOW + 2 * 86400
    second = await sync(
        database, content_dir, excerpt_chars=350, now=day_later, on_publish=on_publish
    )
    slugs = {}
    for slug in ("older", "new", "later"):
        post = await queries.by_slug(slug, now=day_later)
        assert post is not None
        slugs[post.summary.id] = slug
    assert [slugs[i] for i in second.published] == ["older", "new", "later"]
    assert announced == [second.published]
    third = await sync(
        database, content_dir, excerpt_chars=350, now=day_later, on_publish=on_publish
    )
    assert third.published == [] and len(announced) == 1


async def test_a_post_dated_within_the_current_second_is_listed_and_searchable(
    database: Database, content_dir: Path, write_post: WritePost
) -> None:
    # Dates are stored in whole seconds, so 0.5 s after `now` is already visible.
    write_post("edge.md", "梯度检查点。", title="Edge", date="2030-03-17T17:46:40.500000Z")
    await run_sync(database, content_dir)
    queries = PostQueries(database)
    listed = await queries.latest(now=NOW, offset=0, limit=10)
    found = await queries.search("检查点", now=NOW, offset=0, limit=10)
    assert [p.title for p in listed.items] == ["Edge"]
    assert found is not None and [p.title for p in found.items] == ["Edge"]
