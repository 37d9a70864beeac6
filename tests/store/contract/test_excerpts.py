"""Excerpts a store is missing (a new excerpt length): readers never miss them, the renderer
stores them.  A sync, however large, stores every excerpt in the same pass (issue 18)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bench.corpus import write_corpus

from herald.app import open_app
from herald.config import load_config
from herald.content.loader import discover, read_post
from herald.content.post import Post
from herald.core.ports import Store
from herald.indexing.excerpts import render_pending_excerpts
from herald.indexing.sync import BULK_INDEXING_THRESHOLD, sync
from herald.render import card_text
from herald.roles import render_excerpts_when_due
from tests.conftest import WritePost, pending

NOW = 1_900_000_000


SHORTER = 120
"""An excerpt length other than the 350 the stores are filled with: changing to it leaves
every card's excerpt to render again, without reading a file."""


def expected_cards(content_dir: Path, limit: int = 350) -> dict[str, str]:
    """Each post's card as the eager path renders it, straight from its file."""
    posts = [read_post(content_dir, content_dir / path) for path in discover(content_dir)]
    return {
        post.slug: card_text(post.summary, post.body, lang=post.lang, limit=limit)
        for post in posts
        if isinstance(post, Post)
    }


async def stored_excerpts(store: Store) -> dict[str, str]:
    """Every card's excerpt, once the store holds them all (none rendered on the spot)."""
    assert await pending(store) == 0
    found = await store.posts.latest(now=NOW, offset=0, limit=100_000)
    return {post.slug: post.excerpt for post in found.items}


async def test_a_large_sync_stores_excerpts_and_a_new_length_is_read_anyway(
    store: Store, content_dir: Path
) -> None:
    write_corpus(content_dir, BULK_INDEXING_THRESHOLD, seed=5)
    report = await sync(store.index, content_dir, excerpt_chars=SHORTER, now=NOW)
    assert report.parsed == BULK_INDEXING_THRESHOLD
    assert await stored_excerpts(store) == expected_cards(content_dir, SHORTER)
    again = await sync(store.index, content_dir, excerpt_chars=350, now=NOW)  # the store's
    assert again.parsed == 0
    assert await pending(store) == BULK_INDEXING_THRESHOLD
    expected = expected_cards(content_dir)

    queries = store.posts
    page = await queries.latest(now=NOW, offset=0, limit=10)
    assert [card.excerpt for card in page.items] == [expected[c.slug] for c in page.items]
    found = await queries.search("显存", now=NOW, offset=0, limit=10)
    assert found is not None and found.total > 0
    assert all(card.excerpt == expected[card.slug] for card in found.items)

    assert await render_pending_excerpts(store.index, excerpt_chars=350) == len(expected)
    assert await pending(store) == 0
    assert await stored_excerpts(store) == expected


async def test_a_small_sync_renders_excerpts_at_once(
    store: Store, content_dir: Path, write_post: WritePost
) -> None:
    write_post(
        "p.md", "## 小节\n\n```python\nx = 1\n```\n\n正文 $x^2$。", title="P", date="2025-01-01"
    )
    await sync(store.index, content_dir, excerpt_chars=350, now=NOW)
    assert await pending(store) == 0
    assert await stored_excerpts(store) == {"p": "小节 [代码] 正文 x²。"}


async def test_a_post_edited_before_the_renderer_came_keeps_its_new_excerpt(
    store: Store, content_dir: Path
) -> None:
    write_corpus(content_dir, BULK_INDEXING_THRESHOLD, seed=6)
    await sync(store.index, content_dir, excerpt_chars=SHORTER, now=NOW)
    await sync(store.index, content_dir, excerpt_chars=350, now=NOW)
    first = sorted(discover(content_dir))[0].relative_to(content_dir)
    (content_dir / first).write_text(
        "---\ntitle: Edited\ndate: 2025-01-01\nslug: edited\n---\n\n新的正文。\n", encoding="utf-8"
    )
    await sync(store.index, content_dir, excerpt_chars=350, now=NOW, only={first.as_posix()})
    assert await render_pending_excerpts(store.index, excerpt_chars=350) == (
        BULK_INDEXING_THRESHOLD - 1
    )
    assert (await stored_excerpts(store))["edited"] == "新的正文。"


async def test_the_service_renders_missing_excerpts_and_stops_when_asked(
    tmp_path: Path, content_dir: Path, location: Path | str
) -> None:
    write_corpus(content_dir, BULK_INDEXING_THRESHOLD, seed=7)
    path = tmp_path / "herald.toml"
    store = f'url = "{location}"' if isinstance(location, str) else f'path = "{location}"'
    path.write_text(f'[content]\ndir = "{content_dir}"\n[store]\n{store}\n', encoding="utf-8")
    async with open_app(load_config(path, environ={})) as app:
        await sync(app.store.index, content_dir, excerpt_chars=SHORTER)
        await app.sync()  # the configured length again: every excerpt to re-cut
        assert await pending(app.store) == BULK_INDEXING_THRESHOLD
        stop = asyncio.Event()
        renderer = asyncio.create_task(render_excerpts_when_due(app, stop))
        for _ in range(300):
            if await pending(app.store) == 0:
                break
            await asyncio.sleep(0.05)
        assert await pending(app.store) == 0
        assert await stored_excerpts(app.store) == expected_cards(content_dir)
        stop.set()
        await asyncio.wait_for(renderer, 5)


async def test_the_newest_posts_get_their_excerpts_first(store: Store, content_dir: Path) -> None:
    write_corpus(content_dir, BULK_INDEXING_THRESHOLD, seed=8)
    await sync(store.index, content_dir, excerpt_chars=SHORTER, now=NOW)
    await sync(store.index, content_dir, excerpt_chars=350, now=NOW)
    stop = asyncio.Event()
    stop.set()  # ends the pass after its first batch
    first = await render_pending_excerpts(store.index, excerpt_chars=350, stop=stop)
    assert 0 < first < BULK_INDEXING_THRESHOLD
    waiting = set(await store.index.cards_to_render())
    newest_first = await store.posts.latest(now=NOW, offset=0, limit=BULK_INDEXING_THRESHOLD)
    rendered = [post.id not in waiting for post in newest_first.items]
    assert rendered == [True] * first + [False] * (BULK_INDEXING_THRESHOLD - first)
