"""Search as readers use it, through the command registry against the fake platforms
(issue 17): mixed terms and prefixes find their posts with the hit shown in bold, a query
with nothing searchable gets a hint that says so, and inline mode and Discord's
autocomplete answer from the same engine."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes.telegram_rules import parse_html

from tests.adapters.bots import discord_bot, telegram_bot
from tests.adapters.test_console_pager import Reader, synced_app
from tests.conftest import WritePost

ALICE = 1001
UNSEARCHABLE = ["😀", "！？…", "🎉 <&> -- ***"]


@pytest.fixture
def content(content_dir: Path, write_post: WritePost) -> Path:
    write_post(
        "lora.md",
        "## 显存\n\n前情提要。我们用LoRA微调模型，占用GPU显存。",
        title="低秩适配",
        date="2025-03-01",
        tags=["训练"],
    )
    write_post(
        "flash.md",
        "It tiles the softmax; Qwen2.5-VL uses it for Self-Attention.",
        title="FlashAttention notes",
        date="2025-03-02",
        tags=["注意力"],
    )
    return content_dir


async def test_telegram_search_shows_the_hit_in_bold(tmp_path: Path, content: Path) -> None:
    async with telegram_bot(tmp_path, content) as bot:
        [found] = await bot.say(ALICE, "/search LoRA微调")
        [spaced] = await bot.say(ALICE, "/search gpu 显存")
        [prefix] = await bot.say(ALICE, "/search flashatt")
    assert found.html is not None and "<b>LoRA微调</b>" in found.html
    assert "我们用LoRA微调模型，占用GPU显存。" in (found.text or "")  # as written
    assert spaced.html is not None and "<b>GPU显存</b>" in spaced.html
    assert "FlashAttention notes" in (prefix.text or "")


@pytest.mark.parametrize("query", UNSEARCHABLE)
async def test_telegram_tells_a_query_with_nothing_searchable_apart(
    tmp_path: Path, content: Path, query: str
) -> None:
    async with telegram_bot(tmp_path, content) as bot:
        [hint] = await bot.say(ALICE, f"/search {query}")
        [empty] = await bot.say(ALICE, "/search")
    assert "has nothing to search for" in (hint.text or "")
    assert query in (hint.text or "")
    assert "Write what to look for" in (empty.text or "")  # nothing typed: the usage


async def test_inline_mode_searches_with_snippets_and_prefixes(
    tmp_path: Path, content: Path
) -> None:
    async with telegram_bot(tmp_path, content) as bot:
        mixed = await bot.tg.user_inline_query("Qwen2.5-VL")
        typing = await bot.tg.user_inline_query("flas")
        emoji = await bot.tg.user_inline_query("😀")
        for query in (mixed, typing, emoji):
            await bot.tg.wait_for(lambda q=query: q in bot.tg.inline_answers)  # type: ignore[misc]
        answers, buttons = bot.tg.inline_answers, bot.tg.inline_buttons
        [help_text] = await bot.say(ALICE, "/start _help")  # where the hint's button leads
    assert "/search" in (help_text.text or "")
    [result] = answers[mixed]
    message = result["input_message_content"]["message_text"]
    assert "<b>Qwen2.5-VL</b>" in message and parse_html(message)
    assert [r["title"] for r in answers[typing]] == ["FlashAttention notes"]
    assert answers[emoji] == []
    hint = buttons[emoji]
    assert "has nothing to search for" in hint["text"] and hint["start_parameter"] == "_help"
    assert mixed not in buttons


async def test_discord_search_bolds_the_hit_and_hints_at_emoji(
    tmp_path: Path, content: Path
) -> None:
    async with discord_bot(tmp_path, content) as bot:
        fake = bot.fake
        await fake.answered(await fake.slash("search", {"query": "KV缓存 GPU显存"}))
        none = fake.messages()[-1]
        await fake.answered(await fake.slash("search", {"query": "GPU显存"}))
        found = fake.messages()[-1]
        hint = await fake.answered(await fake.slash("search", {"query": "😀"}))
        completed = await fake.answered(await fake.autocomplete("read", "article", "qwen2.5"))
    assert "No posts match" in none["content"]
    [embed] = found["embeds"]
    assert "**GPU显存**" in embed["description"]
    assert hint.response is not None and "has nothing to search for" in hint.response["content"]
    assert completed.response is not None
    assert [c["name"] for c in completed.response["choices"]] == ["FlashAttention notes"]


async def test_console_marks_the_hit_and_hints_at_punctuation(
    tmp_path: Path, content: Path
) -> None:
    async with synced_app(tmp_path, content) as app:
        reader = Reader(app)
        found = await reader.type("/search FP8训练 显存")
        marked = await reader.type("/search 用LoRA")
        hint = await reader.type("/search ！？…")
    assert "No posts match" in found
    assert "«用LoRA»" in marked
    assert "has nothing to search for" in hint
