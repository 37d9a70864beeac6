"""Long articles on Telegram: one message turned by ‹ › in place, "send all" on demand.

The real python-telegram-bot stack against the fake Bot API, which refuses invalid HTML
entities, text over 4096 UTF-16 units after parsing and callback data over 64 bytes: an
edit it refused would never show the part awaited here.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fakes.telegram_server import Sent

from tests.adapters.long_post import TITLE, write_long_post
from tests.adapters.running import telegram_bot
from tests.adapters.test_telegram import ALICE, Harness, callback_data
from tests.conftest import REPO, WritePost


@pytest.fixture
async def bot(tmp_path: Path, content_dir: Path, write_post: WritePost) -> AsyncIterator[Harness]:
    write_long_post(write_post)  # 20 Telegram parts
    (content_dir / "images").mkdir()
    shutil.copy(REPO / "content" / "images" / "lora.png", content_dir / "images" / "lora.png")
    write_long_post(write_post, slug="illustrated", image="images/lora.png", date="2025-02-01")
    write_post("short.md", "One short paragraph.", title="Short", date="2025-01-01")
    async with telegram_bot(tmp_path, content_dir) as harness:
        yield harness


def button(message: Sent, label: str) -> str:
    return next(b["callback_data"] for b in message.buttons if b["text"] == label)


def part_of(message: Sent) -> tuple[int, int]:
    found = re.search(r"part (\d+)/(\d+)$", message.text or "")
    assert found, message.text
    return int(found.group(1)), int(found.group(2))


async def open_pager(bot: Harness, slug: str) -> Sent:
    """`/read` it and wait for the first message with buttons: before the pager, buttons
    came on the last of all the article's messages, so that one alone proves the point."""
    await bot.tg.user_sends(ALICE, f"/read {slug}")
    await bot.tg.wait_for(lambda: any(m.buttons for m in bot.tg.sent(ALICE)))
    [pager] = bot.tg.sent(ALICE)
    return pager


async def turn_to(bot: Harness, pager: Sent, label: str, part: int) -> None:
    await bot.press(pager, button(pager, label))
    await bot.tg.wait_for(lambda: part_of(pager)[0] == part)


async def test_a_twenty_part_article_is_one_message_and_every_part_is_reachable(
    bot: Harness,
) -> None:
    pager = await open_pager(bot, "long-read")
    assert part_of(pager) == (1, 20)
    assert (pager.text or "").startswith(TITLE)
    texts = [pager.text or ""]
    for part in range(2, 21):
        await turn_to(bot, pager, "›", part)
        texts.append(pager.text or "")
    assert len(set(texts)) == 20 and all(t.startswith(TITLE) for t in texts)
    assert pager.edits == 19 and "›" not in [b["text"] for b in pager.buttons]
    for part in (19, 18):
        await turn_to(bot, pager, "‹", part)
        assert pager.text == texts[part - 1]  # the same split every time
    await turn_to(bot, pager, "«", 1)
    assert pager.text == texts[0]
    await turn_to(bot, pager, "»", 20)
    assert pager.text == texts[19]
    assert len(bot.tg.sent(ALICE)) == 1  # turning parts never posts a message


async def test_the_pager_keeps_back_and_share_and_its_indicator_is_harmless(
    bot: Harness,
) -> None:
    pager = await open_pager(bot, "long-read")
    labels = [b["text"] for b in pager.buttons]
    assert labels == ["1/20", "›", "»", "Back to list", "Share", "Send all"]
    share = next(b["url"] for b in pager.buttons if b["text"] == "Share")
    assert share.startswith("https://t.me/herald_test_bot?start=")
    query = await bot.press(pager, button(pager, "1/20"))
    assert bot.tg.callback_answers[query].get("text") is None
    await bot.press(pager, button(pager, "Back to list"))  # the pager becomes the list
    await bot.tg.wait_for(lambda: "LATEST UPDATES" in (pager.text or ""))
    assert len(bot.tg.sent(ALICE)) == 1


async def test_send_all_sends_every_part_as_its_own_message(bot: Harness) -> None:
    pager = await open_pager(bot, "long-read")
    await turn_to(bot, pager, "›", 2)
    second_part = (pager.text or "").removeprefix(TITLE).removesuffix("part 2/20").strip()
    await bot.press(pager, button(pager, "Send all"))
    await bot.tg.wait_for(lambda: any(m.buttons for m in bot.tg.sent(ALICE)[1:]))
    parts = bot.tg.sent(ALICE)[1:]
    assert len(parts) == 20  # the buttons ride on the last one only
    assert all(not m.buttons for m in parts[:-1])
    assert [b["text"] for b in parts[-1].buttons] == ["Back to list", "Share"]
    assert (parts[0].text or "").startswith(TITLE)
    assert (parts[1].text or "").strip() == second_part  # part 2 is the same text either way
    assert all(re.search(r"part \d+/20$", m.text or "") is None for m in parts)


async def test_local_images_of_a_paged_article_are_one_button_away(bot: Harness) -> None:
    pager = await open_pager(bot, "illustrated")
    assert pager.photo_bytes == 0 and "🖼 Images (1)" in [b["text"] for b in pager.buttons]
    await bot.press(pager, button(pager, "🖼 Images (1)"))
    await bot.tg.wait_for(lambda: len(bot.tg.sent(ALICE)) == 2)
    photo = bot.tg.sent(ALICE)[1]
    assert photo.photo_bytes == (REPO / "content" / "images" / "lora.png").stat().st_size
    assert photo.caption == "A diagram"


async def test_a_short_article_is_still_sent_as_it_was(bot: Harness) -> None:
    [article] = await bot.say("/read short")
    assert (article.text or "").startswith("Short") and "part" not in (article.text or "")
    assert [b["text"] for b in article.buttons] == ["Back to list", "Share"]
    assert callback_data(article) == ["l:1"]
