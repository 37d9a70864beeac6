"""Discord end to end: the real discord.py client against the fake REST API and gateway.

The fake rejects anything Discord would (limits, double acknowledgements, the 3-second
window), so a passing test means Discord would have accepted every response too.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route
from fakes.discord_server import (
    CHANNEL_ID,
    EVERYONE,
    GUILD_ID,
    MANAGE_CHANNELS,
    TOKEN,
    FakeDiscord,
)

from herald.adapters.discord_adapter import DiscordSettings
from herald.adapters.discord_adapter.client import DiscordAdapter, HeraldDiscord
from herald.app import App, open_app
from herald.config import load_config
from herald.core.commands import commands_for
from tests.conftest import REPO


@dataclass
class Harness:
    fake: FakeDiscord
    app: App
    config_path: Path
    client: HeraldDiscord | None = None
    stop: asyncio.Event | None = None
    task: asyncio.Task[None] | None = None

    async def start_client(self) -> None:
        config = load_config(self.config_path, environ={"HERALD_DISCORD_TOKEN": TOKEN})
        settings = config.platforms["discord"]
        assert isinstance(settings, DiscordSettings)
        adapter = DiscordAdapter(settings, self.app.services())
        self.client = adapter.client
        self.stop = asyncio.Event()
        identified = self.fake.identified
        self.task = asyncio.create_task(adapter.run(self.stop))
        await self.fake.wait_for(lambda: self.fake.identified > identified)
        await asyncio.wait_for(self.client.wait_until_ready(), 10)

    async def stop_client(self) -> None:
        if self.stop is not None and self.task is not None:
            self.stop.set()
            await asyncio.wait_for(self.task, 10)

    async def restart(self) -> None:
        """A new process: a fresh client object with nothing in memory from the old one."""
        await self.stop_client()
        await self.start_client()


def custom_ids(message: dict[str, Any]) -> list[str]:
    return [
        c["custom_id"]
        for row in message["components"]
        for c in row["components"]
        if "custom_id" in c
    ]


@pytest.fixture
async def discord_bot(tmp_path: Path) -> AsyncIterator[Harness]:
    saved = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    try:
        async with FakeDiscord() as fake:
            path = tmp_path / "herald.toml"
            path.write_text(
                f'[content]\ndir = "{REPO / "content"}"\n[store]\npath = "{tmp_path / "h.db"}"\n'
                f'[bot]\ndefault_language = "en"\npage_size = 5\n'  # 15 posts: three pages
                f'[discord]\napi_base = "{fake.api_base}"\n'
                f'gateway_url = "{fake.gateway_url}"\nguild_id = {GUILD_ID}\n',
                encoding="utf-8",
            )
            config = load_config(path, environ={"HERALD_DISCORD_TOKEN": TOKEN})
            async with open_app(config) as app:
                await app.sync()
                harness = Harness(fake, app, path)
                await harness.start_client()
                try:
                    yield harness
                finally:
                    await harness.stop_client()
    finally:
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = saved[0], yarl.URL(str(saved[1]))


async def test_slash_commands_are_synced_to_the_guild(discord_bot: Harness) -> None:
    names = {c["name"] for c in discord_bot.fake.commands[GUILD_ID]}
    assert names >= {"latest", "read", "search", "tags", "tag", "subscribe", "unsubscribe", "help"}
    read = discord_bot.fake.command("read")
    assert read["options"][0]["autocomplete"] is True


async def test_latest_is_one_message_of_embeds_with_persistent_buttons(
    discord_bot: Harness,
) -> None:
    fake = discord_bot.fake
    answer = await fake.answered(await fake.slash("latest"))
    assert answer.response_type == 4
    message = fake.messages()[-1]
    assert message["content"] == "**LATEST UPDATES** · page 1/3"
    assert len(message["embeds"]) == 5
    assert message["embeds"][0]["title"].startswith("1. ")
    ids = custom_ids(message)
    assert ids[:5] == [i for i in ids if i.startswith("herald:r:")]
    assert all(len(i) <= 100 for i in ids) and "herald:l:2" in ids


async def test_paging_edits_the_message_in_place_through_every_page(
    discord_bot: Harness,
) -> None:
    fake = discord_bot.fake
    await fake.answered(await fake.slash("latest"))
    message = fake.messages()[-1]
    titles = [embed["title"] for embed in message["embeds"]]
    for page in (2, 3):
        answer = await fake.answered(await fake.press(message, f"herald:l:{page}"))
        assert answer.response_type == 7
        assert message["content"] == f"**LATEST UPDATES** · page {page}/3"
        titles += [embed["title"] for embed in message["embeds"]]
    assert len(fake.messages()) == 1 and len(set(titles)) == 15


async def test_every_article_is_posted_within_discord_limits(discord_bot: Harness) -> None:
    fake = discord_bot.fake
    published = await discord_bot.app.store.posts.latest(now=int(time.time()), offset=0, limit=99)
    slugs = [post.slug for post in published.items]
    assert len(slugs) == 15
    for slug in slugs:
        interaction = await fake.slash("read", {"article": slug})
        await fake.wait_for(
            lambda i=interaction: (
                bool(i.followups)  # type: ignore[misc]
                and bool(i.followups[-1]["components"])
            )
        )
        assert interaction.response_type == 5  # deferred: rendering may take a moment
        for message in interaction.followups:
            assert len(message["content"]) <= 2000 and message["content"].count("```") % 2 == 0
        buttons = [c for c in custom_ids(interaction.followups[-1]) if c != "herald-tags"]
        assert buttons == ["herald:l:1"]  # and the tag menu, for posts with tags


async def test_local_images_are_attached(discord_bot: Harness) -> None:
    fake = discord_bot.fake
    interaction = await fake.slash("read", {"article": "lora"})
    await fake.wait_for(
        lambda: bool(interaction.followups) and bool(interaction.followups[-1]["components"])
    )
    assert len(interaction.followups[-1]["attachments"]) == 1


async def test_a_card_button_opens_the_article_for_the_reader_only(discord_bot: Harness) -> None:
    fake = discord_bot.fake
    await fake.answered(await fake.slash("latest"))
    message = fake.messages()[-1]
    press = await fake.press(message, custom_ids(message)[0])
    await fake.wait_for(lambda: bool(press.followups) and bool(press.followups[-1]["components"]))
    assert press.response_type == 5
    assert all(m["flags"] & 64 for m in press.followups)  # ephemeral


async def test_autocomplete_offers_titles_and_tags(discord_bot: Harness) -> None:
    fake = discord_bot.fake
    read = await fake.answered(await fake.autocomplete("read", "article", "显存"))
    assert read.response_type == 8 and read.response is not None
    names = [choice["name"] for choice in read.response["choices"]]
    assert "梯度检查点：用计算换显存" in names
    tag = await fake.answered(await fake.autocomplete("tag", "name", "训"))
    assert [c["value"] for c in tag.response["choices"]] == ["训练"]  # type: ignore[index]


async def test_subscribing_needs_manage_channels(discord_bot: Harness) -> None:
    fake = discord_bot.fake
    refused = await fake.answered(await fake.slash("subscribe", {"tags": "LLM"}))
    assert refused.response is not None and refused.response["flags"] & 64
    assert "Only administrators" in refused.response["content"]
    subscriptions = discord_bot.app.store.subscriptions
    assert await subscriptions.get("discord", str(CHANNEL_ID)) is None
    allowed = await fake.answered(
        await fake.slash("subscribe", {"tags": "LLM"}, permissions=EVERYONE | MANAGE_CHANNELS)
    )
    assert "llm" in allowed.response["content"]  # type: ignore[index]
    stored = await subscriptions.get("discord", str(CHANNEL_ID))
    assert stored is not None and stored.tags == ("llm",)


async def test_buttons_keep_working_after_a_restart(discord_bot: Harness) -> None:
    fake = discord_bot.fake
    await fake.answered(await fake.slash("latest"))
    message = fake.messages()[-1]
    first = discord_bot.client
    await discord_bot.restart()
    assert discord_bot.client is not first
    answer = await fake.answered(await fake.press(message, "herald:l:3"))
    assert answer.response_type == 7 and message["content"].endswith("page 3/3")


@pytest.mark.parametrize(
    "custom_id", ["herald:zzz", "herald:l:0", "herald:r:zzzzzzzz", "other:thing", "x" * 100]
)
async def test_forged_custom_ids_get_an_ephemeral_polite_reply(
    discord_bot: Harness, custom_id: str
) -> None:
    fake = discord_bot.fake
    await fake.answered(await fake.slash("latest"))
    message = fake.messages()[-1]
    # Discord only delivers presses of buttons that are on the message: a stale or forged
    # id is one that an older version (or a tampering client) left there.
    message["components"][0]["components"][0]["custom_id"] = custom_id
    answer = await fake.answered(await fake.press(message, custom_id))
    assert answer.response is not None and answer.response.get("flags", 0) & 64
    assert "expired" in answer.response["content"] or "no longer" in answer.response["content"]


async def test_the_locale_picks_the_language(discord_bot: Harness) -> None:
    fake = discord_bot.fake
    await fake.answered(await fake.slash("latest", locale="zh-CN"))
    assert fake.messages()[-1]["content"] == "**LATEST UPDATES** · 第 1/3 页"


async def test_bad_input_gets_polite_replies(discord_bot: Harness) -> None:
    fake = discord_bot.fake
    unknown = await fake.answered(await fake.slash("read", {"article": "no-such"}))
    assert unknown.response is not None and unknown.response["flags"] & 64
    weird = await fake.answered(await fake.slash("search", {"query": '" OR * NEAR('}))
    assert "No posts match" in weird.response["content"]  # type: ignore[index]
    beyond = await fake.answered(await fake.slash("latest", {"page": 99}))
    assert "There is no page 99" in beyond.response["content"]  # type: ignore[index]


async def test_the_tree_is_the_registry_with_localised_descriptions(discord_bot: Harness) -> None:
    fake = discord_bot.fake
    synced = [c["name"] for c in fake.commands[GUILD_ID]]
    assert synced == [c.name for c in commands_for("discord")]
    latest = fake.command("latest")
    assert latest["description"] == "Latest posts"
    assert latest["description_localizations"]["zh-CN"] == "最新文章"
    assert latest["options"][0]["name"] == "page" and latest["options"][0]["type"] == 4
    language = fake.command("language")
    assert [c["value"] for c in language["options"][0]["choices"]] == ["zh", "en"]


async def test_start_and_language_work_on_discord_too(discord_bot: Harness) -> None:
    fake = discord_bot.fake
    welcome = await fake.answered(await fake.slash("start"))
    assert welcome.response is not None
    assert welcome.response["content"].startswith("**INCOMING TRANSMISSION**")
    chosen = await fake.answered(await fake.slash("language", {"language": "zh"}))
    assert chosen.response is not None and chosen.response["content"] == "好的，之后用中文回复。"
    await fake.answered(await fake.slash("latest"))  # an English client, a Chinese reader
    assert fake.messages()[-1]["content"] == "**LATEST UPDATES** · 第 1/3 页"
