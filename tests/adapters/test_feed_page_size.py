"""The feed as the reference captures show it: 10 cards a page by default, up to 12.

Telegram shows the configured number (shrinking excerpts to fit 4096); Discord shows at
most 10 (its embeds a message) and numbers its pages that way, so what each platform
shows, its page buttons and `/read <n>` agree there.  Real stacks against the fakes.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fakes.telegram_rules import utf16_length

from herald.limits import MAX_PAGE_SIZE, PAGE_SIZE
from tests.adapters.running import discord_bot, telegram_bot
from tests.adapters.test_discord import Harness as DiscordHarness
from tests.adapters.test_telegram import Harness, callback_data
from tests.conftest import SHARED, WritePost

SEEDS = SHARED / "seeds"


def twenty_five(write_post: WritePost) -> None:
    for day in range(1, 26):
        write_post(
            f"note-{day:02}.md",
            "长的摘要，" * 120,  # full 350-character excerpts: twelve do not fit 4096
            title=f"Note {day}",
            date=f"2025-01-{day:02}",
        )


@pytest.fixture
async def on_telegram(
    request: pytest.FixtureRequest, tmp_path: Path, content_dir: Path, write_post: WritePost
) -> AsyncIterator[Harness]:
    twenty_five(write_post)
    size = f"page_size = {request.param}\n" if request.param else ""
    async with telegram_bot(tmp_path, content_dir, bot=size) as harness:
        yield harness


@pytest.fixture
async def on_discord(
    tmp_path: Path, content_dir: Path, write_post: WritePost
) -> AsyncIterator[DiscordHarness]:
    twenty_five(write_post)
    async with discord_bot(tmp_path, content_dir, bot=f"page_size = {MAX_PAGE_SIZE}\n") as harness:
        yield harness


def numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"^(\d+)\. Note", text, re.M)]


@pytest.mark.parametrize("on_telegram", [None], indirect=True)
async def test_a_telegram_page_holds_ten_cards_by_default(on_telegram: Harness) -> None:
    [feed] = await on_telegram.say("/latest")
    assert numbers(feed.text or "") == list(range(1, 11))
    assert "page 1/3" in (feed.text or "")
    reads = [d for d in callback_data(feed) if d.startswith("r:")]
    assert len(reads) == 10


@pytest.mark.parametrize("on_telegram", [MAX_PAGE_SIZE], indirect=True)
async def test_twelve_cards_fit_one_telegram_message_by_shrinking(on_telegram: Harness) -> None:
    [feed] = await on_telegram.say("/latest")
    assert numbers(feed.text or "") == list(range(1, 13))
    assert utf16_length(feed.text or "") <= 4096 and "page 1/3" in (feed.text or "")
    await on_telegram.press(feed, "l:2")
    await on_telegram.tg.wait_for(lambda: "page 2/3" in (feed.text or ""))
    assert numbers(feed.text or "") == list(range(13, 25))


async def test_discord_pages_hold_ten_and_count_that_way(on_discord: DiscordHarness) -> None:
    fake = on_discord.fake
    await fake.answered(await fake.slash("latest"))
    message = fake.messages()[-1]
    titles = [embed["title"] for embed in message["embeds"]]
    assert titles == [f"{n}. Note {26 - n}" for n in range(1, 11)]
    assert message["content"].endswith("page 1/3")
    await fake.answered(await fake.press(message, "herald:l:2"))
    assert message["embeds"][0]["title"] == "11. Note 15"  # page 2 starts where 1 ended
    answer = await fake.answered(await fake.slash("read", {"article": "11"}), followups=1)
    assert answer.followups[-1]["content"].startswith("# Note 15")  # /read 11 is card 11


@pytest.mark.skipif(not SEEDS.is_dir(), reason="needs ../shared (see README)")
def test_the_default_and_the_cap_are_what_the_captures_show() -> None:
    """Each capture: the banner, the heading, then one card a line (a last line of page
    numbers aside); they show 10 to 12 cards a page."""
    counts = []
    for capture in sorted(SEEDS.glob("*.txt")):
        lines = capture.read_text(encoding="utf-8").splitlines()
        assert lines[0] == "INCOMING TRANSMISSION" and lines[2] == "LATEST UPDATES"
        cards = [line for line in lines[3:] if line.strip() and not line.replace(" ", "").isdigit()]
        counts.append(len(cards))
    assert min(counts) == PAGE_SIZE and max(counts) == MAX_PAGE_SIZE
