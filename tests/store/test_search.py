from pathlib import Path

import pytest

from herald.store.database import Database
from herald.store.posts import PostQueries
from herald.store.sync import sync
from tests.conftest import WritePost

NOW = 1_900_000_000


@pytest.fixture
async def queries(database: Database, content_dir: Path, write_post: WritePost) -> PostQueries:
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
    await sync(database, content_dir, excerpt_chars=350, now=NOW)
    return PostQueries(database)


async def titles(queries: PostQueries, query: str) -> list[str]:
    found = await queries.search(query, now=NOW, offset=0, limit=10)
    assert found is not None
    return [post.title for post in found.items]


async def test_two_character_chinese_words_are_found(queries: PostQueries) -> None:
    assert set(await titles(queries, "显存")) == {"梯度检查点", "FlashAttention notes"}
    assert set(await titles(queries, "梯度")) == {"梯度检查点", "AdamW 与 Adam"}


async def test_chinese_phrase_must_occur_contiguously(queries: PostQueries) -> None:
    assert await titles(queries, "检查点") == ["梯度检查点"]
    assert await titles(queries, "度显") == []


async def test_english_is_case_insensitive(queries: PostQueries) -> None:
    assert await titles(queries, "flashattention") == ["FlashAttention notes"]
    assert await titles(queries, "WEIGHT DECAY") == ["AdamW 与 Adam"]


async def test_title_match_ranks_above_body_match(queries: PostQueries) -> None:
    assert (await titles(queries, "梯度"))[0] == "梯度检查点"


async def test_tags_are_searchable(queries: PostQueries) -> None:
    assert await titles(queries, "优化器") == ["AdamW 与 Adam"]


async def test_drafts_never_appear_in_results(queries: PostQueries) -> None:
    assert "Draft" not in await titles(queries, "secret")


@pytest.mark.parametrize(
    "weird", ['"', "AND", "NEAR(", "*", "title:x", "'; DROP TABLE posts; --", "^", "梯*", "(((("]
)
async def test_weird_queries_never_raise(queries: PostQueries, weird: str) -> None:
    await queries.search(weird, now=NOW, offset=0, limit=10)
    assert await titles(queries, "显存")  # the table is still there


async def test_tags_are_counted_and_looked_up_case_insensitively(queries: PostQueries) -> None:
    counted = dict(await queries.tags(now=NOW))
    assert counted == {"训练": 1, "优化器": 1, "注意力": 1, "LLM": 1}
    found = await queries.by_tag("llm", now=NOW, offset=0, limit=5)
    assert [p.title for p in found.items] == ["FlashAttention notes"]


async def test_scheduled_posts_become_searchable_when_published(
    database: Database, content_dir: Path, write_post: WritePost
) -> None:
    from herald.store.sync import publish_due

    write_post("later.md", "预告 unique-scheduled-word", title="Later", date="2031-01-01")
    await sync(database, content_dir, excerpt_chars=350, now=NOW)
    queries = PostQueries(database)
    assert (await queries.search("unique-scheduled-word", now=NOW, offset=0, limit=5)).total == 0  # type: ignore[union-attr]
    async with database.transaction() as connection:
        await publish_due(connection, now=1_950_000_000)
    found = await queries.search("预告", now=1_950_000_000, offset=0, limit=5)
    assert found is not None and [p.title for p in found.items] == ["Later"]


async def test_common_words_are_ranked_among_the_newest_matches(
    database: Database, content_dir: Path, write_post: WritePost, monkeypatch: pytest.MonkeyPatch
) -> None:
    import herald.store.posts as posts_module

    for i in range(12):
        write_post(f"c{i:02}.md", "共同词 filler", title=f"C{i}", date="2025-01-01")
    await sync(database, content_dir, excerpt_chars=350, now=NOW)
    monkeypatch.setattr(posts_module, "RANKED_CANDIDATES", 5)
    found = await PostQueries(database).search("共同词", now=NOW, offset=0, limit=10)
    assert found is not None and found.total == 5
    assert sorted(p.title for p in found.items) == ["C10", "C11", "C7", "C8", "C9"]


async def test_among_the_newest_matches_title_then_tags_then_recency_decide(
    database: Database, content_dir: Path, write_post: WritePost, monkeypatch: pytest.MonkeyPatch
) -> None:
    import herald.store.posts as posts_module

    for i in range(12):
        title = "共同词专题" if i in (2, 8) else f"C{i}"
        tags = ["共同词"] if i == 9 else []
        write_post(f"c{i:02}.md", "共同词 filler", title=title, date="2025-01-01", tags=tags)
    await sync(database, content_dir, excerpt_chars=350, now=NOW)
    monkeypatch.setattr(posts_module, "RANKED_CANDIDATES", 5)
    queries = PostQueries(database)
    found = await queries.search("共同词", now=NOW, offset=0, limit=10)
    assert found is not None and found.total == 5
    # c02 has the word in its title too, but is not among the 5 newest matches.
    assert [p.slug for p in found.items] == ["c08", "c09", "c11", "c10", "c07"]
    second = await queries.search("共同词", now=NOW, offset=2, limit=2)
    assert second is not None and [p.slug for p in second.items] == ["c11", "c10"]
