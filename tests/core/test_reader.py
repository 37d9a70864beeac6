from pathlib import Path

import pytest

from herald.core.actions import Noop, ReadPost, ShowLatest, ShowSearch, encode
from herald.core.paging import page_argument
from herald.core.ports import Store
from herald.core.reader import ReaderService
from herald.core.views import ArticleView, FeedPage, Notice, TagList
from herald.indexing.sync import sync
from tests.conftest import WritePost

NOW = 1_900_000_000


@pytest.fixture
async def reader(store: Store, content_dir: Path, write_post: WritePost) -> ReaderService:
    for day in range(1, 13):
        write_post(
            f"post-{day:02}.md",
            f"第 {day} 篇正文，讲显存。",
            title=f"Post {day}",
            date=f"2025-01-{day:02}",
            tags=["even" if day % 2 == 0 else "odd", "All"],
        )
    write_post("中文标题.md", "内容", title="中文", date="2024-12-01")
    await sync(store.index, content_dir, excerpt_chars=350, now=NOW)
    return ReaderService(store, page_size=5, timezone="UTC", clock=lambda: NOW)


async def test_latest_pages_through_every_post_with_global_numbers(reader: ReaderService) -> None:
    pages = []
    for number in (1, 2, 3):
        page = await reader.latest(number, lang="en")
        assert isinstance(page, FeedPage)
        pages.append(page)
    assert [p.pages for p in pages] == [3, 3, 3] and pages[0].total == 13
    assert [c.number for c in pages[2].cards] == [11, 12, 13]
    assert pages[0].cards[0].title == "Post 12" and pages[2].cards[-1].title == "中文"
    assert pages[0].page_label == "page 1/3"


async def test_navigation_only_offers_moves_that_go_somewhere(reader: ReaderService) -> None:
    first = await reader.latest(1, lang="en")
    middle = await reader.latest(2, lang="en")
    last = await reader.latest(3, lang="en")
    assert isinstance(first, FeedPage) and isinstance(middle, FeedPage)
    assert isinstance(last, FeedPage)
    assert [b.action for b in first.navigation] == [Noop(), ShowLatest(2), ShowLatest(3)]
    assert [b.action for b in middle.navigation] == [ShowLatest(1), Noop(), ShowLatest(3)]
    assert [b.action for b in last.navigation] == [ShowLatest(1), ShowLatest(2), Noop()]
    for page in (first, middle, last):  # every move appears once
        moves = [b.action for b in page.navigation]
        assert len(moves) == len(set(moves))


async def test_page_past_the_end_is_a_polite_notice(reader: ReaderService) -> None:
    reply = await reader.latest(4, lang="en")
    assert isinstance(reply, Notice) and "there are 3" in reply.text


@pytest.mark.parametrize("text", ["0", "-1", "two", "1.5", "9999999", "²"])
def test_page_argument_rejects_non_pages(text: str) -> None:
    assert isinstance(page_argument(text, lang="en"), Notice)


def test_page_argument_accepts_pages() -> None:
    assert page_argument("", lang="en") == 1
    assert page_argument(" 3 ", lang="en") == 3


async def test_read_by_number_uses_the_list_in_context(reader: ReaderService) -> None:
    article = await reader.article("1", lang="en")
    assert isinstance(article, ArticleView) and article.title == "Post 12"
    tagged = await reader.by_tag("odd", lang="en")
    assert isinstance(tagged, FeedPage)
    in_context = await reader.article("2", lang="en", context=tagged.current)  # type: ignore[arg-type]
    assert isinstance(in_context, ArticleView) and in_context.title == "Post 9"
    assert in_context.back.action == tagged.current


async def test_read_by_slug_link_key_and_unknown(reader: ReaderService) -> None:
    by_slug = await reader.article("post-03", lang="en")
    assert isinstance(by_slug, ArticleView) and by_slug.title == "Post 3"
    chinese = await reader.article("中文标题", lang="en")
    assert isinstance(chinese, ArticleView)
    by_key = await reader.article(chinese.link_key, lang="en")
    assert isinstance(by_key, ArticleView) and by_key.post_id == chinese.post_id
    assert chinese.link_key.startswith("_") and chinese.link_key.isascii()
    unknown = await reader.article("no-such-post", lang="en")
    assert isinstance(unknown, Notice) and unknown.is_error
    out_of_range = await reader.article("99", lang="en")
    assert isinstance(out_of_range, Notice) and "13" in out_of_range.text


async def test_payloads_from_buttons_are_validated(reader: ReaderService) -> None:
    page = await reader.latest(1, lang="en")
    assert isinstance(page, FeedPage)
    opened = await reader.perform(encode(page.cards[0].read.action), lang="en")  # type: ignore[arg-type]
    assert isinstance(opened, ArticleView) and opened.post_id == page.cards[0].post_id
    assert await reader.perform("n", lang="en") is None
    for forged in ["zzz", "l:0", "r:" + "z" * 9, "s:aaaaaaaaaa:1", "l:77"]:
        reply = await reader.perform(forged, lang="en")
        assert isinstance(reply, Notice), forged
    gone = await reader.perform(encode(ReadPost(987654)), lang="en")
    assert isinstance(gone, Notice) and "no longer" in gone.text


async def test_search_pages_carry_a_saved_query_key(reader: ReaderService) -> None:
    found = await reader.search("显存", lang="zh")
    assert isinstance(found, FeedPage) and found.total == 12 and found.pages == 3
    assert isinstance(found.current, ShowSearch)
    again = await reader.perform(encode(found.navigation[-1].action), lang="zh")  # type: ignore[arg-type]
    assert isinstance(again, FeedPage) and again.page == 3 and again.heading == found.heading
    nothing = await reader.search("量子计算", lang="zh")
    assert isinstance(nothing, Notice) and "量子计算" in nothing.text
    empty = await reader.search("  ", lang="zh")
    assert isinstance(empty, Notice)
    punctuation = await reader.search("!!!", lang="en")
    assert isinstance(punctuation, Notice)
    huge = await reader.search("x" * 5000, lang="en")
    assert isinstance(huge, Notice) and huge.is_error


async def test_tags_list_and_lookup(reader: ReaderService) -> None:
    tags = await reader.tags(lang="en")
    assert isinstance(tags, TagList)
    assert dict(tags.tags) == {"All": 12, "even": 6, "odd": 6}
    feed = await reader.perform(encode(tags.buttons[0].action), lang="en")  # type: ignore[arg-type]
    assert isinstance(feed, FeedPage) and feed.total == 12
    missing = await reader.by_tag("nope", lang="en")
    assert isinstance(missing, Notice)


async def test_subscribe_and_unsubscribe_with_tag_filters(reader: ReaderService) -> None:
    all_posts = await reader.subscribe("console", "c1", lang="en")
    assert "Subscribed" in all_posts.text
    narrowed = await reader.subscribe("console", "c1", ("#LLM",), lang="en")
    assert "llm" in narrowed.text
    widened = await reader.subscribe("console", "c1", ("训练",), lang="en")
    assert "llm, 训练" in widened.text
    dropped = await reader.unsubscribe("console", "c1", ("llm",), lang="en")
    assert "训练" in dropped.text and "llm" not in dropped.text
    done = await reader.unsubscribe("console", "c1", lang="en")
    assert done.text == "Unsubscribed."
    again = await reader.unsubscribe("console", "c1", lang="en")
    assert "no subscription" in again.text
