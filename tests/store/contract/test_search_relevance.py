"""What readers type finds what they mean, in the order they expect (issue 17).

Backend-neutral: each row names the posts (by title) that must come first for a query, in
order; whatever else matches may follow.  A second backend passes the same table.
"""

from pathlib import Path

import pytest

from herald.core.ports import Posts, Store
from herald.indexing.sync import sync
from tests.conftest import WritePost

NOW = 1_900_000_000

POSTS = [
    # (file, title, date, tags, body)
    ("lora.md", "低秩适配", "2025-01-01", ["训练"], "我们用LoRA微调模型，占用GPU显存。"),
    ("spaced.md", "参数高效", "2025-01-02", ["训练"], "先用 LoRA 微调，再看 GPU 显存 的曲线。"),
    ("fp8.md", "低精度", "2025-01-03", ["推理"], "FP8训练时KV缓存占了一半。"),
    (
        "qwen.md",
        "多模态模型",
        "2025-01-04",
        ["视觉"],
        "Qwen2.5-VL 的视觉编码器也用 Self-Attention。",
    ),
    ("flash.md", "FlashAttention notes", "2025-01-05", ["注意力"], "It tiles the softmax."),
    ("word.md", "Memory chips", "2025-01-06", ["硬件"], "A flash of insight about flash memory."),
    ("attn.md", "Kernels", "2025-01-07", ["CUDA"], "Install flash_attn and call attn_func."),
    ("phrase.md", "Reading group", "2025-01-08", ["论文"], "Self attention is all you need."),
    ("apart.md", "Notes", "2025-01-09", ["论文"], "Self play without attention, then more."),
    ("title.md", "显存估算", "2025-01-10", ["推理"], "按参数量算一算。"),
    ("tagged.md", "训练杂记", "2025-01-11", ["显存"], "这里不谈别的。"),
    ("body.md", "杂记", "2025-01-12", ["推理"], "激活值会占显存。"),
    ("together.md", "随笔一", "2025-01-13", ["杂"], "梯度累积很常见。"),
    ("apart2.md", "随笔二", "2025-01-14", ["杂"], "累积了很多的梯度。"),
    ("older.md", "Checkpointing, old", "2024-01-01", ["训练"], "gradient checkpointing saves"),
    ("newer.md", "Checkpointing, new", "2024-06-01", ["训练"], "gradient checkpointing saves"),
]

RELEVANCE = {
    # every mixed term, however it is spaced, finds both posts (written joined and spaced)
    "LoRA微调": ["参数高效", "低秩适配"],
    "LoRA 微调": ["参数高效", "低秩适配"],
    "lora微调": ["参数高效", "低秩适配"],
    "GPU显存": ["参数高效", "低秩适配"],
    "gpu 显存": ["参数高效", "低秩适配"],
    "用LoRA": ["参数高效", "低秩适配"],
    "FP8训练": ["低精度"],
    "fp8 训练": ["低精度"],
    "KV缓存": ["低精度"],
    "kv 缓存": ["低精度"],
    "Qwen2.5-VL": ["多模态模型"],
    "qwen2.5 vl": ["多模态模型"],
    "Qwen 2.5 VL": ["多模态模型"],
    "Qwen2.5VL": ["多模态模型"],
    # a phrase beats the words apart; the phrase newest first (recency breaks the tie)
    "Self-Attention": ["Reading group", "多模态模型"],
    "self attention": ["Reading group", "多模态模型", "Notes"],
    "梯度 累积": ["随笔一", "随笔二"],  # Chinese words typed apart: the contiguous one first
    # prefixes, whole words first; a title match first among prefix matches
    "flash": ["Kernels", "Memory chips", "FlashAttention notes"],
    "flashatt": ["FlashAttention notes"],
    "attn": ["Kernels"],
    "soft": ["FlashAttention notes"],
    # title > tags > body
    "显存": ["显存估算", "训练杂记", "杂记"],
    # equal in every other way: the newer first
    "checkpointing": ["Checkpointing, new", "Checkpointing, old"],
}


@pytest.fixture
async def posts(store: Store, content_dir: Path, write_post: WritePost) -> Posts:
    for name, title, date, tags, body in POSTS:
        write_post(name, body, title=title, date=date, tags=tags)
    await sync(store.index, content_dir, excerpt_chars=350, now=NOW)
    return store.posts


async def titles(posts: Posts, query: str) -> list[str]:
    found = await posts.search(query, now=NOW, offset=0, limit=20)
    assert found is not None
    return [post.title for post in found.items]


@pytest.mark.parametrize(("query", "first"), RELEVANCE.items(), ids=list(RELEVANCE))
async def test_the_posts_a_reader_means_come_first(
    posts: Posts, query: str, first: list[str]
) -> None:
    assert (await titles(posts, query))[: len(first)] == first


async def test_mixed_terms_find_nothing_else(posts: Posts) -> None:
    assert sorted(await titles(posts, "LoRA微调")) == ["低秩适配", "参数高效"]
    assert await titles(posts, "Qwen2.5-VL") == ["多模态模型"]
    assert await titles(posts, "微调LoRA") == []  # the words, but not in that order


async def test_a_short_word_is_whole_and_a_longer_one_also_a_prefix(posts: Posts) -> None:
    assert await titles(posts, "memory fl") == []  # `fl` is not a word of any post
    assert await titles(posts, "memory fla") == ["Memory chips"]


async def test_a_body_match_carries_its_snippet_with_the_hit(posts: Posts) -> None:
    found = await posts.search("GPU显存", now=NOW, offset=0, limit=5)
    assert found is not None
    snippets = {post.title: post.snippet for post in found.items}
    joined = snippets["低秩适配"]
    assert joined is not None and joined.text == "我们用LoRA微调模型，占用GPU显存。"
    assert [joined.text[a:b] for a, b in joined.hits] == ["GPU显存"]
    spaced = snippets["参数高效"]
    assert spaced is not None and [spaced.text[a:b] for a, b in spaced.hits] == ["GPU 显存"]


async def test_a_prefix_hit_is_shown_as_the_whole_word(posts: Posts) -> None:
    found = await posts.search("soft", now=NOW, offset=0, limit=5)
    assert found is not None and found.items[0].snippet is not None
    snippet = found.items[0].snippet
    assert [snippet.text[a:b] for a, b in snippet.hits] == ["softmax"]


async def test_a_title_only_match_has_no_snippet(posts: Posts) -> None:
    found = await posts.search("Kernels", now=NOW, offset=0, limit=5)
    assert found is not None and [p.title for p in found.items] == ["Kernels"]
    assert found.items[0].snippet is None  # the card shows its excerpt


@pytest.mark.parametrize("nothing", ["😀", "😀🎉", "。，！", "--- ...", "()", "★"])
async def test_a_query_with_nothing_searchable_is_told_apart(posts: Posts, nothing: str) -> None:
    assert await posts.search(nothing, now=NOW, offset=0, limit=5) is None


async def test_a_long_post_gets_the_snippet_of_a_hit_near_its_end(
    store: Store, content_dir: Path, write_post: WritePost
) -> None:
    body = "填充的句子。" * 20_000 + "最后才提到 LoRA微调。"
    write_post("long.md", body, title="长文", date="2025-01-01")
    await sync(store.index, content_dir, excerpt_chars=350, now=NOW)
    found = await store.posts.search("LoRA微调", now=NOW, offset=0, limit=5)
    assert found is not None and [p.title for p in found.items] == ["长文"]
    snippet = found.items[0].snippet
    assert snippet is not None and snippet.cut_before and not snippet.cut_after
    assert snippet.text.endswith("最后才提到 LoRA微调。")
