"""Issue 14, case 11: whatever a user types, the reply fits and nothing unbounded is stored.

`/subscribe` with 4,000 characters of tags used to answer with a message over Telegram's
4096 (an ERROR traceback instead of a reply) and store every tag anyway.  The fakes reject
exactly what the platforms would, so a reply they accept is one the platform accepts.
"""

from __future__ import annotations

import logging

import pytest
from fakes.discord_server import CHANNEL_ID, EVERYONE, MANAGE_CHANNELS
from fakes.telegram_rules import parse_html, utf16_length
from hypothesis import given
from hypothesis import strategies as st

from herald.core.views import Notice
from herald.limits import DISCORD_MESSAGE_CHARS, MAX_TAG_CHARS, TELEGRAM_MESSAGE_CHARS
from herald.render.discord_replies import notice_message as discord_notice
from herald.render.telegram_replies import notice_message as telegram_notice
from tests.adapters.test_discord import Harness as DiscordHarness
from tests.adapters.test_discord import discord_bot  # noqa: F401  (fixture)
from tests.adapters.test_telegram import ALICE, Harness, bot  # noqa: F401  (fixture)

MANY_TAGS = " ".join(f"t{i:03}" for i in range(800))  # 4,000 characters, 800 tags


async def test_four_thousand_characters_of_tags_get_a_polite_bounded_refusal(
    bot: Harness,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.ERROR)
    assert len(MANY_TAGS) >= 3999
    [reply] = await bot.say(f"/subscribe {MANY_TAGS}")
    assert reply.text is not None and "at most 20 tags" in reply.text
    assert utf16_length(reply.text) <= TELEGRAM_MESSAGE_CHARS
    assert await bot.app.store.subscriptions.get("telegram", str(ALICE)) is None
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_tag_longer_than_the_bound_is_refused_and_nothing_stored(
    bot: Harness,  # noqa: F811
) -> None:
    [reply] = await bot.say(f"/subscribe {'长' * 3000}")
    assert reply.text is not None and f"at most {MAX_TAG_CHARS} characters" in reply.text
    assert await bot.app.store.subscriptions.get("telegram", str(ALICE)) is None


async def test_the_bound_counts_the_tags_already_kept(bot: Harness) -> None:  # noqa: F811
    [first] = await bot.say("/subscribe " + " ".join(f"a{i}" for i in range(20)))
    assert first.text is not None and first.text.startswith("Subscribed to new posts tagged")
    [more] = await bot.say("/subscribe b1 A3")  # A3 is a3, already kept: 21 in all
    assert more.text is not None and "at most 20 tags (that would make 21)" in more.text
    stored = await bot.app.store.subscriptions.get("telegram", str(ALICE))
    assert stored is not None and len(stored.tags) == 20 and "b1" not in stored.tags


async def test_other_echoes_of_user_input_fit_in_one_message(bot: Harness) -> None:  # noqa: F811
    huge = "x" * 4000
    for text in (f"/{huge}", f"/read {huge}", f"/search {huge}", f"/tag {huge}", f"/start {huge}"):
        [reply] = await bot.say(text)
        assert reply.text is not None and utf16_length(reply.text) <= TELEGRAM_MESSAGE_CHARS
        assert "Sorry, something went wrong" not in reply.text


async def test_discord_subscribe_with_thousands_of_tags_fits_and_stores_nothing(
    discord_bot: DiscordHarness,  # noqa: F811
) -> None:
    fake = discord_bot.fake
    answer = await fake.answered(
        await fake.slash("subscribe", {"tags": MANY_TAGS}, permissions=EVERYONE | MANAGE_CHANNELS)
    )
    assert answer.response is not None and "at most 20 tags" in answer.response["content"]
    assert len(answer.response["content"]) <= DISCORD_MESSAGE_CHARS
    assert await discord_bot.app.store.subscriptions.get("discord", str(CHANNEL_ID)) is None


# Any text a notice may carry, astral characters and combining marks included.
pieces = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40) | st.sampled_from(
    ["👍🏽", "e\u0301", "<&>", "👩‍👩‍👧", "长" * 1000, "𝛉" * 500]
)
texts = st.lists(pieces, min_size=1, max_size=60).map("".join).filter(bool)


@given(text=texts, heading=st.sampled_from([None, "INCOMING TRANSMISSION"]))
def test_every_telegram_notice_fits_and_parses(text: str, heading: str | None) -> None:
    message = telegram_notice(Notice(text, heading=heading))
    visible = parse_html(message.text)  # the fake Bot API's entity parser: raises if invalid
    assert utf16_length(visible) <= TELEGRAM_MESSAGE_CHARS
    if utf16_length(text) < TELEGRAM_MESSAGE_CHARS - 40:
        assert text in visible  # a notice that fits is never cut


@given(text=texts)
def test_every_discord_notice_fits(text: str) -> None:
    assert len(discord_notice(Notice(text)).content) <= DISCORD_MESSAGE_CHARS
