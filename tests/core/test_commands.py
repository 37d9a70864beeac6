"""The command registry: one entry per command, everything else derived from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from herald.core.actions import ShowTag, decode, encode
from herald.core.commands import BY_NAME, COMMANDS, Chat, Request, commands_for, execute, help_text
from herald.core.i18n import LANGUAGES, t
from herald.core.reader import ReaderService
from herald.core.views import ArticleView, FeedPage, Notice, TagList
from herald.indexing.sync import sync
from herald.store.sqlite import SqliteStore
from tests.conftest import WritePost

NOW = 1_900_000_000
CHAT = Chat("memo", "42", user_id="7")


@pytest.fixture
async def reader(store: SqliteStore, content_dir: Path, write_post: WritePost) -> ReaderService:
    for day in range(1, 9):
        tags = ["训练"] if day % 2 else ["LLM"]
        write_post(f"p{day}.md", "显存 body", title=f"P{day}", date=f"2025-01-0{day}", tags=tags)
    await sync(store.index, content_dir, excerpt_chars=350, now=NOW)
    return ReaderService(store, page_size=3, timezone="UTC", clock=lambda: NOW)


async def run(reader: ReaderService, line: str, lang: str = "en") -> object:
    name, _, argument = line.removeprefix("/").partition(" ")
    reading_list = await reader.reading_list(CHAT.platform, CHAT.chat_id)
    request = Request(argument, "en" if lang == "en" else "zh", CHAT, reading_list)
    return await execute(reader, BY_NAME[name], request)


def test_every_command_has_its_sentences_in_every_language() -> None:
    for command in COMMANDS:
        for lang in LANGUAGES:
            assert command.description(lang)
            assert command.usage(lang).startswith(f"/{command.name}")
            if command.argument is not None:
                assert t(lang, f"argument.{command.argument.name}")


def test_help_lists_every_command_a_platform_offers() -> None:
    lines = help_text("telegram", "zh").splitlines()
    assert lines[0] == t("zh", "help.heading")
    assert [line.split()[0] for line in lines[1:]] == [f"/{c.name}" for c in commands_for("x")]
    assert "/read <编号|slug> — 阅读全文" in lines


async def test_read_by_number_counts_in_the_list_a_command_last_showed(
    reader: ReaderService,
) -> None:
    tagged = await run(reader, "/tag 训练")
    assert isinstance(tagged, FeedPage) and tagged.total == 4
    article = await run(reader, "/read 2")
    assert isinstance(article, ArticleView) and article.title == "P5"
    assert article.back.action == ShowTag(tagged.current.ref)  # type: ignore[union-attr]
    await run(reader, "/latest")
    newest = await run(reader, "/read 2")
    assert isinstance(newest, ArticleView) and newest.title == "P7"


async def test_paging_and_pressing_buttons_write_nothing(
    reader: ReaderService, store: SqliteStore
) -> None:
    found = await run(reader, "/search 显存")  # a search is remembered once, by the command
    writes = store.database.connection.total_changes
    listed = await run(reader, "/tags")
    assert isinstance(found, FeedPage) and isinstance(listed, TagList)
    payloads = [encode(b.action) for b in (*found.navigation, *listed.buttons) if b.action]
    payloads += [encode(card.read.action) for card in found.cards if card.read.action]
    for payload in payloads:
        reply = await reader.perform(payload, lang="en")
        assert reply is None or not (isinstance(reply, Notice) and reply.is_error), payload
        if isinstance(reply, FeedPage):  # and the buttons on what it shows, one level down
            for card in reply.cards:
                assert await reader.perform(encode(card.read.action), lang="en")  # type: ignore[arg-type]
        if isinstance(reply, ArticleView):  # the way back
            assert isinstance(await reader.perform(encode(reply.back.action), lang="en"), FeedPage)  # type: ignore[arg-type]
    assert store.database.connection.total_changes == writes


async def test_a_card_opened_from_a_list_goes_back_to_that_page(reader: ReaderService) -> None:
    page = await reader.by_tag("LLM", 2, lang="en")
    assert isinstance(page, FeedPage)
    article = await reader.perform(encode(page.cards[0].read.action), lang="en")  # type: ignore[arg-type]
    assert isinstance(article, ArticleView)
    assert decode(encode(article.back.action)) == page.current  # type: ignore[arg-type]


async def test_language_is_set_for_the_user_and_answered_in_it(reader: ReaderService) -> None:
    ack = await run(reader, "/language zh")
    assert isinstance(ack, Notice) and ack.text == t("zh", "language.set")
    assert await reader.preferences.language("memo", "7") == "zh"
    refused = await run(reader, "/language fr")
    assert isinstance(refused, Notice) and refused.text == t("en", "language.usage")


async def test_start_welcomes_or_opens_a_deep_link(reader: ReaderService) -> None:
    welcome = await run(reader, "/start")
    assert isinstance(welcome, Notice) and welcome.heading == "INCOMING TRANSMISSION"
    assert [b.action for b in welcome.buttons] == [decode("l:1")]
    opened = await run(reader, "/start p3")
    assert isinstance(opened, ArticleView) and opened.title == "P3"
