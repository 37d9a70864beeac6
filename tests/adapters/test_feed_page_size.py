"""The feed as the reference captures show it: 10 cards a page by default, up to 12.

Telegram shows the configured number (shrinking excerpts to fit 4096); Discord shows at
most 10 (its embeds a message) and numbers its pages that way, so what each platform
shows, its page buttons and `/read <n>` agree there.  Real stacks against the fakes.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route
from fakes.discord_server import GUILD_ID, FakeDiscord
from fakes.discord_server import TOKEN as DISCORD_TOKEN
from fakes.telegram_rules import utf16_length
from fakes.telegram_server import TOKEN, FakeTelegram

from herald.app import open_app
from herald.config import load_config
from herald.limits import MAX_PAGE_SIZE, PAGE_SIZE
from tests.adapters.test_discord import Harness as DiscordHarness
from tests.adapters.test_telegram import Harness, callback_data, telegram
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


def config_text(tmp_path: Path, content_dir: Path, page_size: int | None) -> str:
    size = f"page_size = {page_size}\n" if page_size else ""
    return (
        f'[content]\ndir = "{content_dir}"\n[store]\npath = "{tmp_path / "h.db"}"\n'
        f'[bot]\ndefault_language = "en"\n{size}'
    )


@pytest.fixture
async def telegram_bot(
    request: pytest.FixtureRequest, tmp_path: Path, content_dir: Path, write_post: WritePost
) -> AsyncIterator[Harness]:
    twenty_five(write_post)
    async with FakeTelegram() as tg:
        path = tmp_path / "herald.toml"
        path.write_text(
            config_text(tmp_path, content_dir, request.param)
            + f'[telegram]\nbase_url = "{tg.base_url}"\nmax_per_chat_per_second = 50.0\n'
            "poll_timeout = 1.0\n",
            encoding="utf-8",
        )
        async with open_app(load_config(path, environ={"HERALD_TELEGRAM_TOKEN": TOKEN})) as app:
            await app.sync()
            stop = asyncio.Event()
            task = asyncio.create_task(telegram(app).run(stop))
            await tg.wait_for(lambda: bool(tg.calls("getUpdates")))
            try:
                yield Harness(tg, app)
            finally:
                stop.set()
                await asyncio.wait_for(task, 20)


@pytest.fixture
async def discord_bot(
    tmp_path: Path, content_dir: Path, write_post: WritePost
) -> AsyncIterator[DiscordHarness]:
    twenty_five(write_post)
    saved = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    try:
        async with FakeDiscord() as fake:
            path = tmp_path / "herald.toml"
            path.write_text(
                config_text(tmp_path, content_dir, MAX_PAGE_SIZE)
                + f'[discord]\napi_base = "{fake.api_base}"\n'
                f'gateway_url = "{fake.gateway_url}"\nguild_id = {GUILD_ID}\n',
                encoding="utf-8",
            )
            config = load_config(path, environ={"HERALD_DISCORD_TOKEN": DISCORD_TOKEN})
            async with open_app(config) as app:
                await app.sync()
                harness = DiscordHarness(fake, app, path)
                await harness.start_client()
                try:
                    yield harness
                finally:
                    await harness.stop_client()
    finally:
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = saved[0], yarl.URL(str(saved[1]))


def numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"^(\d+)\. Note", text, re.M)]


@pytest.mark.parametrize("telegram_bot", [None], indirect=True)
async def test_a_telegram_page_holds_ten_cards_by_default(telegram_bot: Harness) -> None:
    [feed] = await telegram_bot.say("/latest")
    assert numbers(feed.text or "") == list(range(1, 11))
    assert "page 1/3" in (feed.text or "")
    reads = [d for d in callback_data(feed) if d.startswith("r:")]
    assert len(reads) == 10


@pytest.mark.parametrize("telegram_bot", [MAX_PAGE_SIZE], indirect=True)
async def test_twelve_cards_fit_one_telegram_message_by_shrinking(telegram_bot: Harness) -> None:
    [feed] = await telegram_bot.say("/latest")
    assert numbers(feed.text or "") == list(range(1, 13))
    assert utf16_length(feed.text or "") <= 4096 and "page 1/3" in (feed.text or "")
    await telegram_bot.press(feed, "l:2")
    await telegram_bot.tg.wait_for(lambda: "page 2/3" in (feed.text or ""))
    assert numbers(feed.text or "") == list(range(13, 25))


async def test_discord_pages_hold_ten_and_count_that_way(discord_bot: DiscordHarness) -> None:
    fake = discord_bot.fake
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
