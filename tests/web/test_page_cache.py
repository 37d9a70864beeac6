"""The page cache keeps pages up to its byte budget, the least recently read going first."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from herald.core.records import PostRecord, PostSummary
from herald.render.web_pages import Shell
from herald.web.articles import ArticlePages

SHELL = Shell("en", "/static/reader.css", "/static/tg.js")


def record(post_id: int, body: str) -> PostRecord:
    summary = PostSummary(
        post_id,
        f"p{post_id}",
        f"p{post_id}",
        f"Post {post_id}",
        datetime(2025, 1, 1, tzinfo=UTC),
        (),
        "",
        "en",
    )
    return PostRecord(summary, body, f"p{post_id}.md", None)


async def test_pages_past_the_budget_are_rendered_again() -> None:
    first, second = record(1, "One.\n"), record(2, "Two.\n")
    small = ArticlePages(content_dir=None, zone=ZoneInfo("UTC"), max_bytes=1)
    kept = await small.page(first, SHELL)
    assert await small.page(first, SHELL) is kept  # the only page: kept whatever its size
    await small.page(second, SHELL)
    assert await small.page(first, SHELL) is not kept  # pushed out by the second
    roomy = ArticlePages(content_dir=None, zone=ZoneInfo("UTC"))
    kept = await roomy.page(first, SHELL)
    await roomy.page(second, SHELL)
    assert await roomy.page(first, SHELL) is kept


async def test_a_changed_post_is_a_new_page() -> None:
    pages = ArticlePages(content_dir=None, zone=ZoneInfo("UTC"))
    before = await pages.page(record(1, "One.\n"), SHELL)
    after = await pages.page(record(1, "One, edited.\n"), SHELL)
    assert after.etag != before.etag and b"One, edited." in after.body
