from pathlib import Path

import pytest

from herald.core.actions import tag_ref
from herald.core.ports import Posts, Store
from herald.indexing.sync import sync
from tests.conftest import WritePost

NOW = 1_900_000_000


@pytest.fixture
async def queries(store: Store, content_dir: Path, write_post: WritePost) -> Posts:
    write_post(
        "ckpt.md",
        "## 原理\n\n梯度检查点用计算换显存，前向时丢弃部分激活值。",
        title="梯度检查点",
        date="2025-01-01",
        tags=["训练"],
    )
    write_post(
        "adamw.md",
        "AdamW 把权重衰减从梯度里拿出来。Weight decay is decoupled.",
        title="AdamW 与 Adam",
        date="2025-01-02",
        tags=["优化器"],
    )
    write_post(
        "flash.md",
        "FlashAttention tiles the softmax; it saves GPU memory (显存).",
        title="FlashAttention notes",
        date="2025-01-03",
        tags=["注意力", "LLM"],
    )
    write_post("draft.md", "梯度 显存 secret", title="Draft", date="2025-01-01", draft=True)
    await sync(store.index, content_dir, excerpt_chars=350, now=NOW)
    return store.posts


async def titles(queries: Posts, query: str) -> list[str]:
    found = await queries.search(query, now=NOW, offset=0, limit=10)
    assert found is not None
    return [post.title for post in found.items]


async def test_two_character_chinese_words_are_found(queries: Posts) -> None:
    assert set(await titles(queries, "显存")) == {"梯度检查点", "FlashAttention notes"}
    assert set(await titles(queries, "梯度")) == {"梯度检查点", "AdamW 与 Adam"}


async def test_chinese_phrase_must_occur_contiguously(queries: Posts) -> None:
    assert await titles(queries, "检查点") == ["梯度检查点"]
    assert await titles(queries, "度显") == []


async def test_english_is_case_insensitive(queries: Posts) -> None:
    assert await titles(queries, "flashattention") == ["FlashAttention notes"]
    assert await titles(queries, "WEIGHT DECAY") == ["AdamW 与 Adam"]


async def test_title_match_ranks_above_body_match(queries: Posts) -> None:
    assert (await titles(queries, "梯度"))[0] == "梯度检查点"


async def test_tags_are_searchable(queries: Posts) -> None:
    assert await titles(queries, "优化器") == ["AdamW 与 Adam"]


async def test_drafts_never_appear_in_results(queries: Posts) -> None:
    assert "Draft" not in await titles(queries, "secret")


@pytest.mark.parametrize(
    "weird", ['"', "AND", "NEAR(", "*", "title:x", "'; DROP TABLE posts; --", "^", "梯*", "(((("]
)
async def test_weird_queries_never_raise(queries: Posts, weird: str) -> None:
    await queries.search(weird, now=NOW, offset=0, limit=10)
    assert await titles(queries, "显存")  # the table is still there


async def test_tags_are_counted_and_looked_up_case_insensitively(queries: Posts) -> None:
    counted = dict(await queries.tags(now=NOW))
    assert counted == {"训练": 1, "优化器": 1, "注意力": 1, "LLM": 1}
    found = await queries.by_tag("llm", now=NOW, offset=0, limit=5)
    assert [p.title for p in found.items] == ["FlashAttention notes"]


async def test_scheduled_posts_become_searchable_when_published(
    store: Store, content_dir: Path, write_post: WritePost
) -> None:
    write_post("later.md", "预告 unique-scheduled-word", title="Later", date="2031-01-01")
    await sync(store.index, content_dir, excerpt_chars=350, now=NOW)
    queries = store.posts
    assert (await queries.search("unique-scheduled-word", now=NOW, offset=0, limit=5)).total == 0  # type: ignore[union-attr]
    await store.index.publish_due(now=1_950_000_000)
    found = await queries.search("预告", now=1_950_000_000, offset=0, limit=5)
    assert found is not None and [p.title for p in found.items] == ["Later"]


async def test_a_tag_is_found_again_from_its_button_ref(queries: Posts) -> None:
    assert await queries.tag_for_ref(tag_ref("训练")) == "训练"
    assert await queries.tag_for_ref(tag_ref("llm")) == "LLM"  # refs ignore case
    assert await queries.tag_for_ref(tag_ref("nowhere")) is None


async def test_a_saved_search_has_a_stable_key(queries: Posts) -> None:
    key = await queries.save_query("显存 checkpoint")
    assert key == await queries.save_query("显存 checkpoint")
    assert await queries.load_query(key) == "显存 checkpoint"
    assert await queries.load_query("aaaaaaaaaa") is None
