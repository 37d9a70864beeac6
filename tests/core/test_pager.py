"""The pager in core terms: its payloads, which part is on screen, where its buttons lead,
and what a press reads from a real SQLite store."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from herald.core.actions import (
    MAX_POST_ID,
    Noop,
    ReadAll,
    ReadImages,
    ReadPart,
    ShowLatest,
    ShowSearch,
    ShowTag,
    decode,
    encode,
)
from herald.core.pager import is_paged, part_navigation, part_on_screen
from herald.core.ports import Store
from herald.core.reader import ReaderService
from herald.core.views import ArticleView, Notice
from herald.indexing.sync import sync
from herald.limits import MAX_ARTICLE_PART, PAYLOAD_BYTES
from tests.conftest import WritePost

NOW = 1_900_000_000
keys = st.text(alphabet="abcdefghijklmnopqrstuvwxyz234567", min_size=10, max_size=10)
pages = st.integers(min_value=1, max_value=100_000)
feeds = st.one_of(
    st.none(),
    st.builds(ShowLatest, pages),
    st.builds(ShowTag, keys, pages),
    st.builds(ShowSearch, keys, pages),
)
post_ids = st.integers(min_value=1, max_value=MAX_POST_ID - 1)
pager_actions = st.one_of(
    st.builds(ReadPart, post_ids, st.integers(min_value=1, max_value=MAX_ARTICLE_PART), feeds),
    st.builds(ReadAll, post_ids, feeds),
    st.builds(ReadImages, post_ids),
)


@given(pager_actions)
def test_pager_payloads_round_trip_within_the_limit(action: ReadPart) -> None:
    payload = encode(action)
    assert len(payload.encode()) <= PAYLOAD_BYTES
    assert decode(payload) == action


def test_the_longest_pager_payload_fits_telegram() -> None:
    """Post id, part and a search list to go back to, all at their largest."""
    longest = ReadPart(MAX_POST_ID - 1, MAX_ARTICLE_PART, ShowSearch("z" * 10, 100_000))
    assert len(encode(longest)) <= PAYLOAD_BYTES


@pytest.mark.parametrize(
    "forged",
    [
        "rp:1",
        "rp:1:0",
        "rp:1:01",
        "rp:1:10000",
        "rp:0:1",
        "rp:1:1:l:0",
        "rp:1:1:x:1",
        "rp:123456789:1",
        "ra:",
        "ra:1:",
        "ra:1:t:short:1",
        "ri:1:l:1",
        "ri:ZZ",
        "rp:1:1 ",
    ],
)
def test_forged_pager_payloads_are_refused(forged: str) -> None:
    assert decode(forged) is None


@pytest.fixture
async def reader(store: Store, content_dir: Path, write_post: WritePost) -> ReaderService:
    write_post("long.md", "正文。\n\n" * 10, title="Long", date="2025-01-02", tags=["x"])
    await sync(store.index, content_dir, excerpt_chars=350, now=NOW)
    return ReaderService(store, timezone="UTC", clock=lambda: NOW, max_article_messages=3)


async def opened(reader: ReaderService) -> ArticleView:
    article = await reader.article("long", lang="en", context=ShowTag("a" * 10, 2))
    assert isinstance(article, ArticleView)
    return article


async def test_a_part_press_reads_the_post_and_keeps_the_list_to_go_back_to(
    reader: ReaderService,
) -> None:
    article = await opened(reader)
    back = ShowTag("a" * 10, 2)
    turned = await reader.perform(encode(ReadPart(article.post_id, 7, back)), lang="zh")
    assert isinstance(turned, ArticleView)
    assert (turned.show, turned.part, turned.back.action) == ("part", 7, back)
    assert turned.reader_lang == "zh" and turned.max_messages == 3
    whole = await reader.act(ReadAll(article.post_id, back), lang="en")
    assert isinstance(whole, ArticleView) and whole.show == "all"
    images = await reader.act(ReadImages(article.post_id), lang="en")
    assert isinstance(images, ArticleView) and images.show == "images"


async def test_a_press_for_a_removed_post_is_a_polite_notice(
    reader: ReaderService, content_dir: Path, store: Store
) -> None:
    article = await opened(reader)
    (content_dir / "long.md").unlink()
    await sync(store.index, content_dir, excerpt_chars=350, now=NOW, allow_mass_removal=True)
    gone = await reader.act(ReadPart(article.post_id, 2), lang="en")
    assert isinstance(gone, Notice) and "no longer available" in gone.text


async def test_only_articles_longer_than_the_setting_are_paged(reader: ReaderService) -> None:
    article = await opened(reader)
    assert not is_paged(article, 3) and is_paged(article, 4)
    assert is_paged(replace(article, show="part"), 1)  # a press on a pager stays a pager
    assert not is_paged(replace(article, show="all"), 50)


async def test_the_part_on_screen_stays_within_the_parts_there_are(
    reader: ReaderService,
) -> None:
    article = await opened(reader)
    assert part_on_screen(replace(article, part=9), 5) == 5  # the post shrank since
    assert part_on_screen(replace(article, part=0), 5) == 1


async def test_part_buttons_lead_only_somewhere_else_and_keep_the_back_list(
    reader: ReaderService,
) -> None:
    article = await opened(reader)
    back = ShowTag("a" * 10, 2)

    def moves(part: int, parts: int) -> list[object]:
        return [b.action for b in part_navigation(replace(article, part=part), parts)]

    post = article.post_id
    assert moves(1, 1) == []
    assert moves(1, 20) == [Noop(), ReadPart(post, 2, back), ReadPart(post, 20, back)]
    assert moves(2, 20) == [
        ReadPart(post, 1, back),
        Noop(),
        *[ReadPart(post, p, back) for p in (3, 20)],
    ]
    assert moves(20, 20) == [ReadPart(post, 1, back), ReadPart(post, 19, back), Noop()]
    for part in range(1, 21):
        labels = [b.label for b in part_navigation(replace(article, part=part), 20)]
        assert f"{part}/20" in labels
        assert len(moves(part, 20)) == len(set(map(repr, moves(part, 20))))
