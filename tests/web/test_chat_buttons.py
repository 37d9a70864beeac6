"""From the chats to the reader: with `[web] base_url` set, articles and cards link there.

Telegram, against the fake Bot API (which refuses `web_app` buttons outside private chats,
as Telegram does): a Mini App button in a private chat, a URL button in a group, card
titles linked.  Discord, against the fake gateway: a link button, embed titles linked.
Without `base_url` nothing changes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fakes.telegram_server import FakeTelegram

from tests.adapters import running
from tests.web.site import write_site

READER = "https://reader.example.org"
WEB = f'[web]\nbase_url = "{READER}"\n'
PRIVATE, GROUP = 5001, -1005002


def reader_buttons(markup: dict[str, Any] | None) -> list[dict[str, Any]]:
    rows = (markup or {}).get("inline_keyboard", [])
    return [b for row in rows for b in row if "web_app" in b or READER in b.get("url", "")]


def answered(tg: FakeTelegram, chat: int) -> bool:
    """The article's last message (the one with the buttons) has arrived in `chat`."""
    sent = tg.sent(chat)
    return bool(sent) and bool(sent[-1].reply_markup)


async def test_telegram_mini_app_in_private_chats_and_links_in_groups(tmp_path: Path) -> None:
    content = write_site(tmp_path)
    async with running.telegram_bot(tmp_path, content, bot=WEB) as bot:
        tg = bot.tg
        tg.known_chats.update({PRIVATE, GROUP})
        for chat in (PRIVATE, GROUP):
            await tg.user_sends(chat, "/read attention")
        await tg.wait_for(lambda: all(answered(tg, chat) for chat in (PRIVATE, GROUP)))
        [private] = reader_buttons(tg.sent(PRIVATE)[-1].reply_markup)
        assert private["web_app"] == {"url": f"{READER}/p/attention"}
        [group] = reader_buttons(tg.sent(GROUP)[-1].reply_markup)
        assert group["url"] == f"{READER}/p/attention" and "web_app" not in group
        before = len(tg.sent(PRIVATE))
        await tg.user_sends(PRIVATE, "/latest")
        await tg.wait_for(lambda: len(tg.sent(PRIVATE)) > before)
        feed = tg.sent(PRIVATE)[-1].html or ""
        assert f'<a href="{READER}/p/attention">Attention, on a phone</a>' in feed


async def test_telegram_without_a_reader_has_no_reader_buttons(tmp_path: Path) -> None:
    content = write_site(tmp_path)
    async with running.telegram_bot(tmp_path, content) as bot:
        bot.tg.known_chats.add(PRIVATE)
        await bot.tg.user_sends(PRIVATE, "/read attention")
        await bot.tg.wait_for(lambda: answered(bot.tg, PRIVATE))
        assert reader_buttons(bot.tg.sent(PRIVATE)[-1].reply_markup) == []
        assert READER not in (bot.tg.sent(PRIVATE)[-1].html or "")


async def test_discord_link_button_and_linked_titles(tmp_path: Path) -> None:
    content = write_site(tmp_path)
    async with running.discord_bot(tmp_path, content, bot=WEB) as harness:
        fake = harness.fake
        interaction = await fake.slash("read", {"article": "attention"})
        await fake.wait_for(
            lambda: bool(interaction.followups) and bool(interaction.followups[-1]["components"])
        )
        buttons = [
            component
            for row in interaction.followups[-1]["components"]
            for component in row["components"]
        ]
        links = [b for b in buttons if b.get("url")]
        assert [(b["url"], b["style"]) for b in links] == [(f"{READER}/p/attention", 5)]
        await fake.answered(await fake.slash("latest"))
        embeds = fake.messages()[-1]["embeds"]
        assert any(e.get("url") == f"{READER}/p/attention" for e in embeds)
