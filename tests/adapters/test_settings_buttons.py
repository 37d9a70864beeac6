"""`/settings` and its toggles on Telegram and Discord: each press edits the settings
message in place and is stored; only those who may manage the chat may press; `/subscribe`
shows the options too; the command takes a change as words."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes.discord_server import CHANNEL_ID, EVERYONE, MANAGE_CHANNELS
from fakes.telegram_server import Sent

from herald.core.records import PushOptions
from tests.adapters.bots import TelegramBot, discord_bot, telegram_bot
from tests.conftest import REPO, store_at
from tests.push.faults import until
from tests.push.serving import BANNER, running_service

ALICE = 1001
GROUP, CHANNEL = -100500, -100600
ADMIN, MEMBER = 7, 8


def data(message: Sent) -> list[str]:
    return [b["callback_data"] for b in message.buttons if "callback_data" in b]


def labels(message: Sent) -> list[str]:
    return [b["text"] for b in message.buttons]


async def options_of(bot: TelegramBot, chat: int) -> PushOptions:
    stored = await bot.app.store.subscriptions.get("telegram", str(chat))
    assert stored is not None
    return stored.options


@pytest.fixture
def content() -> Path:
    return REPO / "content"


async def test_subscribe_shows_the_options_and_each_toggle_edits_in_place(
    tmp_path: Path, content: Path
) -> None:
    async with telegram_bot(tmp_path, content) as bot:
        [done] = await bot.say(ALICE, "/subscribe")
        assert "Silent: off · Sent as: card · Link preview: off" in (done.text or "")
        assert data(done) == ["o:s1", "o:mc", "o:ma", "o:mt", "o:p1"]
        [shown] = await bot.say(ALICE, "/settings")
        assert (shown.text or "").startswith("PUSH SETTINGS")
        assert "✓ card" in labels(shown)

        await bot.press(shown, "o:s1")
        await bot.tg.wait_for(lambda: shown.edits == 1)
        assert "Silent: on" in (shown.text or "") and "o:s0" in data(shown)
        assert (await options_of(bot, ALICE)).silent

        await bot.press(shown, "o:ma")
        await bot.tg.wait_for(lambda: shown.edits == 2)
        assert "✓ full article" in labels(shown) and "Sent as: full article" in (shown.text or "")
        assert (await options_of(bot, ALICE)) == PushOptions(silent=True, mode="article")

        twice = await bot.press(shown, "o:ma")  # a double tap: harmless, nothing new
        assert bot.tg.callback_answers[twice].get("show_alert") in (None, False)
        await bot.press(shown, "o:p1")
        await bot.tg.wait_for(lambda: shown.edits == 3)
        assert (await options_of(bot, ALICE)).link_preview
        assert len(bot.tg.sent(ALICE)) == 2  # every change was an edit, never a new message


async def test_only_administrators_may_press_in_groups_and_channels(
    tmp_path: Path, content: Path
) -> None:
    async with telegram_bot(tmp_path, content) as bot:
        bot.tg.set_member_status(GROUP, ADMIN, "administrator")
        await bot.say(GROUP, "/subscribe", user=ADMIN)
        [shown] = await bot.say(GROUP, "/settings", user=ADMIN)
        refused = await bot.press(shown, "o:s1", user=MEMBER)
        answer = bot.tg.callback_answers[refused]
        assert answer.get("show_alert") is True and "Only administrators" in answer["text"]
        assert shown.edits == 0 and not (await options_of(bot, GROUP)).silent
        await bot.press(shown, "o:s1", user=ADMIN)
        await bot.tg.wait_for(lambda: shown.edits == 1)
        assert (await options_of(bot, GROUP)).silent

        # In a channel anyone may press a button, though only its admins can post.
        before = len(bot.tg.sent(CHANNEL))
        await bot.tg.user_sends(CHANNEL, "/subscribe", channel=True)
        await bot.tg.wait_for(lambda: len(bot.tg.sent(CHANNEL)) > before)
        [posted] = bot.tg.sent(CHANNEL)[before:]
        subscriber = await bot.press(posted, "o:mt", user=MEMBER)
        assert bot.tg.callback_answers[subscriber].get("show_alert") is True
        assert (await options_of(bot, CHANNEL)).mode == "card"
        bot.tg.set_member_status(CHANNEL, ADMIN, "creator")
        await bot.press(posted, "o:mt", user=ADMIN)
        await bot.tg.wait_for(lambda: posted.edits == 1)
        assert (await options_of(bot, CHANNEL)).mode == "title"


async def test_the_command_takes_a_change_in_words(tmp_path: Path, content: Path) -> None:
    async with telegram_bot(tmp_path, content) as bot:
        [nothing] = await bot.say(ALICE, "/settings")
        assert (nothing.text or "").startswith("Nothing is subscribed here yet")
        assert nothing.buttons == []
        [still_nothing] = await bot.say(ALICE, "/settings silent on")
        assert await bot.app.store.subscriptions.get("telegram", str(ALICE)) is None
        assert (still_nothing.text or "").startswith("Nothing is subscribed here yet")
        await bot.say(ALICE, "/subscribe")
        [changed] = await bot.say(ALICE, "/settings mode title")
        assert "Sent as: title only" in (changed.text or "")
        await bot.say(ALICE, "/settings PREVIEW on")
        assert await options_of(bot, ALICE) == PushOptions(mode="title", link_preview=True)
        [usage] = await bot.say(ALICE, "/settings silent maybe")
        assert (usage.text or "").startswith("Usage: /settings")
        assert await options_of(bot, ALICE) == PushOptions(mode="title", link_preview=True)


async def test_a_toggle_decides_how_the_next_push_is_sent(tmp_path: Path) -> None:
    async with running_service(tmp_path, chats=[]) as service:
        tg = service.tg
        tg.known_chats.add(ALICE)
        await tg.user_sends(ALICE, "/subscribe")
        await until(lambda: bool(tg.sent(ALICE)))
        [shown] = tg.sent(ALICE)
        query = await tg.user_presses(ALICE, shown.message_id, "o:s1")
        await until(lambda: query in tg.callback_answers and shown.edits == 1)
        (service.content / "fresh.md").write_text(
            "---\ntitle: Quiet news\ndate: 2025-11-20\n---\n\nBody.\n", "utf-8"
        )
        await until(lambda: bool(service.cards(ALICE)))
        [push] = [p for p in tg.calls("sendMessage") if BANNER in str(p["text"])]
    assert push["disable_notification"] is True
    async with await store_at(tmp_path / "h.db") as store:
        stored = await store.subscriptions.get("telegram", str(ALICE))
    assert stored is not None and stored.options.silent


async def test_discord_toggles_need_manage_channels_and_edit_in_place(
    tmp_path: Path, content: Path
) -> None:
    manager = EVERYONE | MANAGE_CHANNELS
    async with discord_bot(tmp_path, content) as bot:
        fake, subscriptions = bot.fake, bot.app.store.subscriptions
        done = await fake.answered(await fake.slash("subscribe", permissions=manager))
        assert done.response is not None and "Silent: off" in done.response["content"]
        shown = await fake.answered(await fake.slash("settings", permissions=manager))
        [message] = [m for m in fake.messages() if m["content"].startswith("**PUSH SETTINGS**")]
        ids = [c["custom_id"] for row in message["components"] for c in row["components"]]
        assert ids == [f"herald:o:{code}" for code in ("s1", "mc", "ma", "mt", "p1")]
        assert shown.response_type == 4

        refused = await fake.answered(await fake.press(message, "herald:o:s1"))
        assert refused.response is not None and refused.response["flags"] & 64
        assert "Only administrators" in refused.response["content"]
        stored = await subscriptions.get("discord", str(CHANNEL_ID))
        assert stored is not None and not stored.options.silent

        pressed = await fake.answered(await fake.press(message, "herald:o:s1", permissions=manager))
        assert pressed.response_type == 7  # the settings message, edited in place
        assert "Silent: on" in message["content"]
        ids = [c["custom_id"] for row in message["components"] for c in row["components"]]
        assert "herald:o:s0" in ids
        stored = await subscriptions.get("discord", str(CHANNEL_ID))
        assert stored is not None and stored.options.silent
