"""Each subscription option through a real push: the running service, a file dropped into
its content folder, python-telegram-bot / discord.py delivering to the fake servers, which
record what Telegram and Discord would act on (`disable_notification`,
`link_preview_options`, message flags)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route
from fakes.discord_server import CHANNEL_ID, GUILD_ID, FakeDiscord
from fakes.discord_server import TOKEN as DISCORD_TOKEN

from herald.app import run_service
from herald.config import load_config
from herald.core.records import PushOptions
from tests.conftest import store_at
from tests.push.faults import until
from tests.push.serving import BANNER, running_service

DEFAULT, SILENT, TITLE, ARTICLE, PREVIEW = 11, 12, 13, 14, 15
PAPER = "https://arxiv.org/abs/2501.00001"
SILENT_FLAG = 1 << 12  # Discord's SUPPRESS_NOTIFICATIONS
NO_EMBEDS_FLAG = 1 << 2  # Discord's SUPPRESS_EMBEDS


def news(title: str, body: str) -> str:
    return (
        f"---\ntitle: {title}\ndate: 2025-11-20T10:00:00+08:00\n"
        f"tags: [C++, LoRA微调]\n---\n\n{body}\n"
    )


SHORT_BODY = f"Read [the paper]({PAPER}) first. The last sentence of the post."


def sent_to(calls: list[dict[str, Any]], chat: int) -> list[dict[str, Any]]:
    return [params for params in calls if int(params["chat_id"]) == chat]


async def test_each_telegram_option_reaches_the_bot_api(tmp_path: Path) -> None:
    chats = [DEFAULT, SILENT, TITLE, ARTICLE, PREVIEW]
    async with running_service(tmp_path, chats=chats) as service:
        async with await store_at(service.db) as store:
            wanted = {
                SILENT: PushOptions(silent=True),
                TITLE: PushOptions(mode="title"),
                ARTICLE: PushOptions(mode="article"),
                PREVIEW: PushOptions(link_preview=True),
            }
            for chat, options in wanted.items():
                assert await store.subscriptions.set_options("telegram", str(chat), options)
        (service.content / "news.md").write_text(news("Option news", SHORT_BODY), "utf-8")
        await until(lambda: all(service.cards(chat) for chat in chats))
        await asyncio.sleep(0.3)  # nothing more arrives
        pushes = {chat: sent_to(service.tg.calls("sendMessage"), chat) for chat in chats}
        texts = {chat: service.cards(chat) for chat in chats}
    assert all(len(pushes[chat]) == 1 for chat in chats)  # one message per delivery
    default, silent, title, article, preview = (pushes[chat][0] for chat in chats)

    assert not default.get("disable_notification")
    assert default["link_preview_options"] == {"is_disabled": True}
    assert "message_thread_id" not in default
    assert "The last sentence" in texts[DEFAULT][0]  # the card's excerpt

    assert silent["disable_notification"] is True
    assert silent["text"] == default["text"]  # silent changes the sound, not the card

    assert texts[TITLE][0].splitlines() == [
        BANNER,
        "",
        "Option news",
        "2025-11-20 · #C++ #LoRA微调",
    ]
    assert "The last sentence" not in texts[TITLE][0]
    assert [b["text"] for row in title["reply_markup"]["inline_keyboard"] for b in row] == [
        "Open full post"
    ]

    assert "The last sentence of the post." in texts[ARTICLE][0]  # the article itself
    assert texts[ARTICLE][0].startswith(f"{BANNER}\n\nOption news")
    rows = article.get("reply_markup", {}).get("inline_keyboard", [])
    assert "Read more" not in [button["text"] for row in rows for button in row]  # it fitted

    assert preview["link_preview_options"].get("url") == PAPER  # the post's link, not a tag's
    assert not preview["link_preview_options"].get("is_disabled")


async def test_a_long_article_push_is_its_first_part_with_read_more(tmp_path: Path) -> None:
    paragraphs = "\n\n".join(f"Paragraph {i}: " + "words " * 120 for i in range(40))
    async with running_service(tmp_path, chats=[ARTICLE]) as service:
        async with await store_at(service.db) as store:
            await store.subscriptions.set_options(
                "telegram", str(ARTICLE), PushOptions(mode="article")
            )
        (service.content / "long.md").write_text(news("Long news", paragraphs), "utf-8")
        await until(lambda: bool(service.cards(ARTICLE)))
        await asyncio.sleep(0.3)
        [push] = [m for m in service.tg.sent(ARTICLE) if (m.text or "").startswith(BANNER)]
        assert len(service.tg.sent(ARTICLE)) == 1  # one message, not the 20-odd parts
        assert "Paragraph 0:" in (push.text or "") and "Paragraph 39:" not in (push.text or "")
        [more] = [b for b in push.buttons if b["text"] == "Read more"]
        before = len(service.tg.sent(ARTICLE))
        await service.tg.user_presses(ARTICLE, push.message_id, more["callback_data"])
        await until(lambda: len(service.tg.sent(ARTICLE)) > before)
        opened = service.tg.sent(ARTICLE)[before]
    assert (opened.text or "").startswith("Long news")  # the article, from its start


async def test_discord_flags_carry_silent_and_link_previews(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "old.md").write_text(news("Old", "x"), "utf-8")  # the silent first sync
    quiet_articles, titles = 4242, 4343
    saved = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    try:
        async with FakeDiscord() as fake:
            fake.channels[quiet_articles] = {}
            fake.channels[titles] = {}
            path = tmp_path / "herald.toml"
            path.write_text(
                f'[content]\ndir = "{content}"\n[store]\npath = "{tmp_path / "h.db"}"\n'
                f'[discord]\napi_base = "{fake.api_base}"\ngateway_url = "{fake.gateway_url}"\n'
                f"guild_id = {GUILD_ID}\n",
                encoding="utf-8",
            )
            async with await store_at(tmp_path / "h.db") as store:
                for channel in (CHANNEL_ID, quiet_articles, titles):
                    await store.subscriptions.subscribe("discord", str(channel))
                await store.subscriptions.set_options(
                    "discord", str(quiet_articles), PushOptions(silent=True, mode="article")
                )
                await store.subscriptions.set_options(
                    "discord", str(titles), PushOptions(mode="title", link_preview=True)
                )
            stop = asyncio.Event()
            config = load_config(path, environ={"HERALD_DISCORD_TOKEN": DISCORD_TOKEN})
            task = asyncio.create_task(run_service(config, stop, handle_signals=False))
            await fake.wait_for(lambda: fake.identified > 0, seconds=30)
            await asyncio.sleep(0.5)  # the first sync is done before a new file lands
            (content / "news.md").write_text(news("Discord news", SHORT_BODY), "utf-8")
            channels = (CHANNEL_ID, quiet_articles, titles)
            await fake.wait_for(lambda: all(fake.messages(c) for c in channels), seconds=30)
            stop.set()
            await asyncio.wait_for(task, 20)
    finally:
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = saved[0], yarl.URL(str(saved[1]))
    [card] = fake.messages(CHANNEL_ID)
    [article] = fake.messages(quiet_articles)
    [title] = fake.messages(titles)
    assert card["flags"] == 0 and card["embeds"]  # the defaults: a card, with its sound
    [menu] = [c for row in card["components"] for c in row["components"] if c["type"] == 3]
    assert [option["label"] for option in menu["options"]] == ["#C++", "#LoRA微调"]
    assert article["flags"] & SILENT_FLAG and article["flags"] & NO_EMBEDS_FLAG
    assert "The last sentence of the post." in article["content"] and not article["embeds"]
    assert not title["flags"] & SILENT_FLAG and not title["flags"] & NO_EMBEDS_FLAG
    assert "Discord news" in title["content"] and title["content"].endswith(PAPER)
