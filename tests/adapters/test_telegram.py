"""Telegram end to end: the real python-telegram-bot Application against the fake Bot API.

Every message the bot sends passes the fake's entity parser and length rules, so "the test
passed" means Telegram would have accepted every message too.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fakes.telegram_server import TOKEN, FakeTelegram, Sent

from herald.adapters.telegram_adapter import TelegramSettings
from herald.adapters.telegram_adapter.bot import TelegramAdapter
from herald.app import App, open_app
from herald.config import Config, load_config
from herald.core.actions import decode
from herald.core.commands import commands_for
from herald.core.i18n import FALLBACK
from herald.logs import setup_logging
from tests.conftest import REPO

ALICE = 1001
GROUP = -100500


@dataclass
class Harness:
    tg: FakeTelegram
    app: App

    async def say(
        self,
        text: str,
        *,
        chat: int = ALICE,
        user: int | None = None,
        language_code: str = "en",
        replies: int = 1,
    ) -> list[Sent]:
        """Send as a user and wait until the bot has sent `replies` more messages there."""
        before = len(self.tg.sent(chat))
        await self.tg.user_sends(chat, text, user_id=user, language_code=language_code)
        await self.tg.wait_for(lambda: len(self.tg.sent(chat)) >= before + replies)
        return self.tg.sent(chat)[before:]

    async def press(self, message: Sent, data: str, *, language_code: str = "en") -> str:
        query = await self.tg.user_presses(
            message.chat_id, message.message_id, data, language_code=language_code
        )
        await self.tg.wait_for(lambda: query in self.tg.callback_answers)
        return query

    async def idle(self) -> None:
        """Let the bot finish whatever the last update started."""
        await asyncio.sleep(0.3)


def telegram_settings(config: Config) -> TelegramSettings:
    settings = config.platforms["telegram"]
    assert isinstance(settings, TelegramSettings)
    return settings


def telegram(app: App) -> TelegramAdapter:
    """The adapter `herald run` would start for this configuration."""
    return TelegramAdapter(telegram_settings(app.config), app.services())


def write_config(tmp_path: Path, tg: FakeTelegram) -> Path:
    path = tmp_path / "herald.toml"
    path.write_text(
        f'[content]\ndir = "{REPO / "content"}"\n[store]\npath = "{tmp_path / "h.db"}"\n'
        f'[bot]\ndefault_language = "en"\npage_size = 5\n'  # 15 posts: three pages to turn
        f'[telegram]\nbase_url = "{tg.base_url}"\nmax_per_chat_per_second = 50.0\n'
        "poll_timeout = 1.0\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Harness]:
    async with FakeTelegram() as tg:
        config = load_config(write_config(tmp_path, tg), environ={"HERALD_TELEGRAM_TOKEN": TOKEN})
        async with open_app(config) as app:
            await app.sync()
            stop = asyncio.Event()
            task = asyncio.create_task(telegram(app).run(stop))
            await tg.wait_for(lambda: bool(tg.calls("getUpdates")))
            try:
                yield Harness(tg, app)
            finally:
                stop.set()
                await asyncio.wait_for(task, 20)


def callback_data(message: Sent) -> list[str]:
    return [b["callback_data"] for b in message.buttons if "callback_data" in b]


async def test_start_shows_the_banner_and_registers_command_menus(bot: Harness) -> None:
    [reply] = await bot.say("/start")
    assert reply.text is not None and reply.text.startswith("INCOMING TRANSMISSION")
    assert callback_data(reply) == ["l:1"]
    await bot.tg.wait_for(lambda: len(bot.tg.commands) == 3)
    assert {c["command"] for c in bot.tg.commands[""]} >= {"latest", "read", "search", "subscribe"}
    assert bot.tg.commands["zh"][2]["description"] == "最新文章"


async def test_paging_through_every_page_edits_one_message(bot: Harness) -> None:
    [feed] = await bot.say("/latest")
    assert feed.text is not None and feed.text.startswith("LATEST UPDATES · page 1/")
    pages = int(re.search(r"page 1/(\d+)", feed.text).group(1))  # type: ignore[union-attr]
    assert pages >= 3
    seen_titles: list[str] = []
    for page in range(1, pages + 1):
        if page > 1:
            nav = [d for d in callback_data(feed) if decode(d) and d.startswith("l:")]
            next_page = next(d for d in nav if d == f"l:{page}")
            query = await bot.press(feed, next_page)
            assert bot.tg.callback_answers[query].get("text") is None  # answered, silently
            await bot.tg.wait_for(lambda p=page: f"page {p}/" in (feed.text or ""))  # type: ignore[misc]
        seen_titles += re.findall(r"^\d+\. (.+)$", feed.text or "", re.M)
    assert feed.edits == pages - 1
    assert len(bot.tg.sent(ALICE)) == 1  # paging never posted a new message
    assert len(seen_titles) == 15 and len(set(seen_titles)) == 15  # 17 posts - draft - future


async def test_double_taps_and_the_page_indicator_are_harmless(bot: Harness) -> None:
    [feed] = await bot.say("/latest")
    await bot.press(feed, "n")
    await bot.press(feed, "l:1")  # same page: Telegram says "message is not modified"
    await bot.idle()
    assert len(bot.tg.sent(ALICE)) == 1 and feed.edits == 0


async def test_every_article_opens_within_limits_with_buttons_on_the_last_message(
    bot: Harness,
) -> None:
    published = await bot.app.store.posts.latest(now=int(time.time()), offset=0, limit=100)
    posts = [(post.slug, post.link_key) for post in published.items]
    assert len(posts) == 15
    for slug, link_key in posts:
        before = len(bot.tg.sent(ALICE))
        await bot.tg.user_sends(ALICE, f"/read {slug}")
        await bot.tg.wait_for(
            lambda b=before: any(m.buttons for m in bot.tg.sent(ALICE)[b:])  # type: ignore[misc]
        )
        messages = bot.tg.sent(ALICE)[before:]
        last = messages[-1]
        assert all(not m.buttons for m in messages[:-1])
        urls = [b["url"] for b in last.buttons if "url" in b]
        assert urls == [f"https://t.me/herald_test_bot?start={link_key}"]
        assert [d for d in callback_data(last)] == ["l:1"]


async def test_reading_sends_local_images_as_photos(bot: Harness) -> None:
    messages = await bot.say("/read lora", replies=2)
    photo = messages[-1]
    assert photo.photo_bytes == (REPO / "content" / "images" / "lora.png").stat().st_size
    assert photo.caption == "LoRA：冻结的 W 加上低秩的 B·A"
    assert photo.buttons  # the buttons ride on the very last message


async def test_long_articles_are_split_into_valid_messages(bot: Harness) -> None:
    await bot.app.reader.subscriptions.subscribe("x", "y")  # unrelated write: must not interfere
    await bot.say("/read flash-attention")
    texts = [m.html or "" for m in bot.tg.sent(ALICE)]
    assert texts[0].startswith("<b>FlashAttention：分块计算与在线 Softmax</b>")
    assert '<pre><code class="language-python">' in "".join(texts)


async def test_deep_links_open_articles_including_chinese_slugs(bot: Harness) -> None:
    [article, *_] = await bot.say("/start dpo")
    assert (article.text or "").startswith("DPO：不用奖励模型的偏好优化")
    record = await bot.app.store.posts.by_slug("梯度检查点", now=int(time.time()))
    assert record is not None
    link_key = record.summary.link_key
    assert re.fullmatch(r"[A-Za-z0-9_-]{1,64}", link_key)
    [chinese, *_] = await bot.say(f"/start {link_key}")
    assert (chinese.text or "").startswith("梯度检查点")


async def test_read_by_number_follows_the_last_list(bot: Harness) -> None:
    await bot.say("/tag 训练")
    [article, *_] = await bot.say("/read 2")
    assert (article.text or "").startswith("混合精度训练")


async def test_inline_mode_answers_latest_and_search(bot: Harness) -> None:
    empty = await bot.tg.user_inline_query("")
    await bot.tg.wait_for(lambda: empty in bot.tg.inline_answers)
    assert len(bot.tg.inline_answers[empty]) == 15
    found = await bot.tg.user_inline_query("显存")
    await bot.tg.wait_for(lambda: found in bot.tg.inline_answers)
    results = bot.tg.inline_answers[found]
    assert results and all(
        "显存" in r["input_message_content"]["message_text"] or r["title"] for r in results
    )
    assert results[0]["reply_markup"]["inline_keyboard"][0][0]["url"].startswith(
        "https://t.me/herald_test_bot?start="
    )


async def test_group_subscriptions_are_for_administrators_only(bot: Harness) -> None:
    [refusal] = await bot.say("/subscribe LLM", chat=GROUP, user=7)
    assert refusal.text == "Only administrators can change this chat's subscription."
    assert await bot.app.store.subscriptions.get("telegram", str(GROUP)) is None
    bot.tg.set_member_status(GROUP, 7, "administrator")
    [done] = await bot.say("/subscribe LLM", chat=GROUP, user=7)
    assert done.text is not None
    assert done.text.startswith("Subscribed to new posts tagged: llm. /unsubscribe to stop.")
    subscription = await bot.app.store.subscriptions.get("telegram", str(GROUP))
    assert subscription is not None and subscription.tags == ("llm",)
    bot.tg.set_member_status(GROUP, 8, "creator")
    [gone] = await bot.say("/unsubscribe", chat=GROUP, user=8)
    assert gone.text == "Unsubscribed."


async def test_channel_administrators_subscribe_their_channel(bot: Harness) -> None:
    channel = -100999
    await bot.tg.user_sends(channel, "/subscribe 训练", channel=True)
    await bot.tg.wait_for(lambda: bool(bot.tg.sent(channel)))
    assert "训练" in (bot.tg.sent(channel)[0].text or "")
    stored = await bot.app.store.subscriptions.get("telegram", str(channel))
    assert stored is not None and stored.tags == ("训练",)


async def test_private_chats_may_subscribe(bot: Harness) -> None:
    [done] = await bot.say("/subscribe")
    assert done.text is not None
    assert done.text.startswith("Subscribed: new posts will be pushed here. /unsubscribe to stop.")


async def test_forged_and_stale_buttons_get_a_polite_answer(bot: Harness) -> None:
    [feed] = await bot.say("/latest")
    for forged in ["zzz", "l:0", "r:" + "z" * 9]:  # not a payload Herald makes: a toast
        query = await bot.press(feed, forged)
        assert "expired" in bot.tg.callback_answers[query].get("text", ""), forged
    await bot.idle()
    assert len(bot.tg.sent(ALICE)) == 1  # nothing was posted for those
    stale = {
        "r:zzzzzzzz": "no longer available",
        "l:999": "There is no page 999",
        "s:aaaaaaaaaa:1": "expired",
    }
    for payload, expected in stale.items():  # well-formed but stale: answered, then told
        before = len(bot.tg.sent(ALICE))
        query = await bot.press(feed, payload)
        assert bot.tg.callback_answers[query].get("text") is None  # answered first, at once
        await bot.tg.wait_for(lambda b=before: len(bot.tg.sent(ALICE)) > b)  # type: ignore[misc]
        assert expected in (bot.tg.sent(ALICE)[-1].text or ""), payload
    [still] = await bot.say("/latest 2")  # and the bot is alive
    assert "page 2/" in (still.text or "")


async def test_bad_input_gets_hints_never_tracebacks(bot: Harness) -> None:
    checks = {
        "/read no-such-post": "There is no post “no-such-post”",
        "/latest abc": "A page is a positive number",
        "/search": "Write what to look for",
        '/search " OR * NEAR(': "No posts match",
        "/search " + "长" * 300: "That search is too long",
        "/bogus": "Unknown command /bogus",
        "/tag": "Usage: /tag",
    }
    for text, expected in checks.items():
        [reply] = await bot.say(text)
        assert expected in (reply.text or ""), text


async def test_commands_for_other_bots_are_ignored(bot: Harness) -> None:
    await bot.tg.user_sends(GROUP, "/latest@OtherBot", user_id=7)
    await bot.tg.user_sends(GROUP, "/unknown_thing", user_id=7)
    await bot.idle()
    assert bot.tg.sent(GROUP) == []
    [mine] = await bot.say("/latest@herald_test_bot", chat=GROUP, user=7)
    assert "LATEST UPDATES" in (mine.text or "")


async def test_language_follows_the_client_and_can_be_overridden(bot: Harness) -> None:
    [chinese] = await bot.say("/latest", language_code="zh-hans")
    assert "第 1/" in (chinese.text or "")
    [ack] = await bot.say("/language en", language_code="zh-hans")
    assert ack.text == "OK, replies will be in English."
    [english] = await bot.say("/latest", language_code="zh-hans")
    assert "page 1/" in (english.text or "")


async def test_a_user_who_blocked_the_bot_does_not_stop_it(bot: Harness) -> None:
    bot.tg.blocked.add(ALICE)
    await bot.tg.user_sends(ALICE, "/latest")
    await bot.idle()
    bot.tg.blocked.discard(ALICE)
    [reply] = await bot.say("/latest", chat=2002)
    assert "LATEST UPDATES" in (reply.text or "")


async def test_the_token_never_reaches_the_logs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    setup_logging(logging.DEBUG, [TOKEN])
    try:
        async with FakeTelegram() as tg:
            config = load_config(
                write_config(tmp_path, tg), environ={"HERALD_TELEGRAM_TOKEN": TOKEN}
            )
            tg.fail_next("sendMessage", status=500, description="Internal Server Error")
            async with open_app(config) as app:
                await app.sync()
                stop = asyncio.Event()
                task = asyncio.create_task(telegram(app).run(stop))
                await tg.wait_for(lambda: bool(tg.calls("getUpdates")))
                await tg.user_sends(ALICE, "/latest")
                await tg.wait_for(lambda: len(tg.calls("sendMessage")) >= 2)
                stop.set()
                await asyncio.wait_for(task, 20)
    finally:
        root.handlers[:], _ = saved[0], root.setLevel(saved[1])
    logged = capsys.readouterr().err
    assert "sendMessage" in logged or "getUpdates" in logged  # there were detailed logs
    assert TOKEN not in logged and TOKEN.split(":")[1] not in logged


async def test_flood_limits_hold_and_a_429_is_waited_out(tmp_path: Path) -> None:
    async with FakeTelegram(enforce_rate_limits=True) as tg:
        path = write_config(tmp_path, tg)
        path.write_text(
            path.read_text(encoding="utf-8").replace(
                "max_per_chat_per_second = 50.0", "max_per_chat_per_second = 1.0"
            ),
            encoding="utf-8",
        )
        config = load_config(path, environ={"HERALD_TELEGRAM_TOKEN": TOKEN})
        async with open_app(config) as app:
            await app.sync()
            stop = asyncio.Event()
            task = asyncio.create_task(telegram(app).run(stop))
            await tg.wait_for(lambda: bool(tg.calls("getUpdates")))
            tg.fail_next(
                "sendMessage",
                status=429,
                description="Too Many Requests: retry after 1",
                retry_after=1,
            )
            for text in ("/latest", "/latest 2", "/tags"):
                await tg.user_sends(ALICE, text)
            await tg.wait_for(lambda: len(tg.sent(ALICE)) == 3, seconds=15)
            stop.set()
            await asyncio.wait_for(task, 20)
    assert tg.stats.rejected_429 == 0  # the bot itself never tripped the limit
    assert tg.stats.max_per_chat_second[ALICE] <= 4  # the chat's burst, never more
    assert len(tg.calls("sendMessage")) == 4  # the injected 429 was retried once


async def test_webhook_mode_accepts_only_telegram_signed_updates(tmp_path: Path) -> None:
    import socket

    import aiohttp

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with FakeTelegram() as tg:
        path = write_config(tmp_path, tg)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(
                f'mode = "webhook"\nwebhook_url = "https://bot.example.com/hook"\n'
                f"webhook_port = {port}\n"
            )
        config = load_config(path, environ={"HERALD_TELEGRAM_TOKEN": TOKEN})
        async with open_app(config) as app:
            await app.sync()
            stop = asyncio.Event()
            task = asyncio.create_task(telegram(app).run(stop))
            await tg.wait_for(lambda: bool(tg.calls("setWebhook")))
            registered = tg.calls("setWebhook")[0]
            assert registered["url"] == "https://bot.example.com/hook"
            secret = telegram_settings(config).webhook_secret()
            assert registered["secret_token"] == secret and TOKEN not in secret
            tg.known_chats.add(ALICE)
            update = {
                "update_id": 1,
                "message": {
                    "message_id": 1,
                    "date": 0,
                    "chat": {"id": ALICE, "type": "private"},
                    "from": tg.user(ALICE),
                    "text": "/latest",
                    "entities": [{"type": "bot_command", "offset": 0, "length": 7}],
                },
            }
            url = f"http://127.0.0.1:{port}/hook"
            for _ in range(100):  # the webhook server may start just after setWebhook
                try:
                    _, writer = await asyncio.open_connection("127.0.0.1", port)
                    writer.close()
                    break
                except OSError:
                    await asyncio.sleep(0.05)
            async with aiohttp.ClientSession() as http:
                forged = await http.post(url, json=update)
                assert forged.status == 403
                signed = await http.post(
                    url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": secret}
                )
                assert signed.status == 200
            await tg.wait_for(lambda: len(tg.sent(ALICE)) == 1)
            assert "LATEST UPDATES" in (tg.sent(ALICE)[0].text or "")
            stop.set()
            await asyncio.wait_for(task, 20)


async def test_the_command_menus_are_the_registry_in_every_language(bot: Harness) -> None:
    await bot.tg.wait_for(lambda: len(bot.tg.commands) == 3)
    names = [c.name for c in commands_for("telegram")]
    for language_code, lang in (("zh", "zh"), ("en", "en"), ("", FALLBACK)):
        menu = bot.tg.commands[language_code]
        assert [c["command"] for c in menu] == names
        assert [c["description"] for c in menu] == [
            c.description(lang) for c in commands_for("telegram")
        ]


async def test_a_card_read_from_a_tag_list_goes_back_to_that_list(bot: Harness) -> None:
    [feed] = await bot.say("/tag 训练")
    read = callback_data(feed)[0]
    await bot.press(feed, read)
    await bot.tg.wait_for(lambda: any(m.buttons for m in bot.tg.sent(ALICE)[1:]))
    article = next(m for m in bot.tg.sent(ALICE)[1:] if m.buttons)
    back = callback_data(article)[0]
    assert back.startswith("t:") and read.endswith(":" + back)
    await bot.press(article, back)
    await bot.tg.wait_for(lambda: "TAG · 训练" in (bot.tg.sent(ALICE)[-1].text or ""))
