"""Long articles on Discord: one message turned by ‹ › in place; ephemeral from a card.

The real discord.py client against the fake REST API and gateway, which refuses messages
over 2000 characters and answers that come twice or too late.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from fakes.discord_server import FakeDiscord

from tests.adapters.long_post import TITLE, write_long_post
from tests.adapters.running import discord_bot
from tests.adapters.test_discord import Harness
from tests.conftest import WritePost

EPHEMERAL = 64


@pytest.fixture
async def on_discord(
    tmp_path: Path, content_dir: Path, write_post: WritePost
) -> AsyncIterator[Harness]:
    write_long_post(write_post, sections=10)  # 21 Discord parts
    async with discord_bot(tmp_path, content_dir) as harness:
        yield harness


def buttons(message: dict[str, Any]) -> dict[str, str]:
    return {
        c["label"]: c["custom_id"]
        for row in message["components"]
        for c in row["components"]
        if c["type"] == 2 and "custom_id" in c  # buttons (a tag menu may sit below them)
    }


def part_of(message: dict[str, Any]) -> tuple[int, int]:
    found = re.search(r"-# part (\d+)/(\d+)$", message["content"])
    assert found, message["content"][-80:]
    return int(found.group(1)), int(found.group(2))


async def turn_through_every_part(fake: FakeDiscord, pager: dict[str, Any]) -> list[str]:
    _, parts = part_of(pager)
    texts = [pager["content"]]
    for part in range(2, parts + 1):
        answer = await fake.answered(await fake.press(pager, buttons(pager)["›"]))
        assert answer.response_type == 7  # an update of the message pressed, in place
        assert part_of(pager)[0] == part and len(pager["content"]) <= 2000
        texts.append(pager["content"])
    return texts


async def test_read_sends_one_pager_message_that_turns_in_place(on_discord: Harness) -> None:
    fake = on_discord.fake
    interaction = await fake.slash("read", {"article": "long-read"})
    await fake.wait_for(lambda: any(m["components"] for m in interaction.followups))
    [pager] = interaction.followups  # buttons used to come on the last of 21 messages
    assert not pager["flags"] & EPHEMERAL  # /read answers in the channel
    assert part_of(pager) == (1, 21) and pager["content"].startswith(f"# {TITLE}")
    texts = await turn_through_every_part(fake, pager)
    assert len(set(texts)) == 21 and all(f"**{TITLE}**" in t for t in texts[1:])
    await fake.answered(await fake.press(pager, buttons(pager)["«"]))
    assert pager["content"] == texts[0]  # the same split every time
    assert len(interaction.followups) == 1


async def test_a_card_opens_an_ephemeral_pager_that_edits_itself(on_discord: Harness) -> None:
    fake = on_discord.fake
    await fake.answered(await fake.slash("latest"))
    feed = fake.messages()[-1]
    press = await fake.press(feed, buttons(feed)["Read 1"])
    await fake.wait_for(lambda: any(m["components"] for m in press.followups))
    [pager] = press.followups
    assert pager["flags"] & EPHEMERAL and part_of(pager) == (1, 21)
    await turn_through_every_part(fake, pager)
    assert pager["flags"] & EPHEMERAL and len(press.followups) == 1
    assert list(buttons(pager))[-2:] == ["Back to list", "Send all"]


async def test_send_all_posts_every_part_for_the_reader_who_pressed(
    on_discord: Harness,
) -> None:
    fake = on_discord.fake
    interaction = await fake.slash("read", {"article": "long-read"})
    await fake.wait_for(lambda: any(m["components"] for m in interaction.followups))
    [pager] = interaction.followups
    press = await fake.press(pager, buttons(pager)["Send all"])
    await fake.wait_for(lambda: any(m["components"] for m in press.followups))
    assert len(press.followups) == 21
    assert all(m["flags"] & EPHEMERAL for m in press.followups)
    assert all(not m["components"] for m in press.followups[:-1])
    assert list(buttons(press.followups[-1])) == ["Back to list"]
    assert all(len(m["content"]) <= 2000 for m in press.followups)
