"""An article's parts: the same split every time, each part within its platform's limit
with the pager's frame around it, nothing lost between them.  Telegram HTML is checked
by the fake Bot API's own parser (valid entities and nesting, or it raises)."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from fakes.telegram_rules import parse_html, utf16_length

from herald.content.loader import LoadError, discover, read_post
from herald.content.markdown import parse_markdown
from herald.core.actions import ShowLatest
from herald.core.views import ArticleView, Button
from herald.limits import CONSOLE_PART_CHARS, DISCORD_MESSAGE_CHARS, TELEGRAM_MESSAGE_CHARS
from herald.render.article_parts import (
    discord_page,
    discord_parts,
    pack_lines,
    telegram_page,
    telegram_parts,
)
from herald.render.console_replies import article_parts, article_text
from herald.render.discord_replies import article_messages as discord_article
from herald.render.split import Run
from herald.render.telegram_html import telegram_messages
from herald.render.telegram_replies import article_messages as telegram_article
from tests.adapters.long_post import TITLE, section
from tests.conftest import ICLR_POSTS

HEADER = [Run(TITLE, (("b", ""),)), Run("\n"), Run("2025-03-01 · #LLM", (("i", ""),))]


def article_of(markdown: str, *, title: str = TITLE) -> ArticleView:
    return ArticleView(
        post_id=7,
        slug="long-read",
        link_key="long-read",
        title=title,
        date_text="2025-03-01",
        tags=("LLM", "C++"),
        document=parse_markdown(markdown),
        lang="en",
        local_images=(),
        back=Button("Back to list", ShowLatest(1)),
        reader_lang="en",
    )


LONG = "\n".join(section(number) for number in range(1, 21))


def without_space(text: str) -> str:
    return "".join(text.split())


def test_twenty_sections_make_twenty_telegram_parts_each_valid_within_4096() -> None:
    article = article_of(LONG)
    parts = telegram_parts(article, HEADER)
    assert len(parts) == 20
    for part in range(1, 21):
        visible = parse_html(telegram_page(article, parts, part))  # raises on invalid HTML
        assert utf16_length(visible) <= TELEGRAM_MESSAGE_CHARS
        assert visible.endswith(f"part {part}/20")
        assert visible.startswith(TITLE)  # the title above every part, the header on the first


def test_the_parts_hold_the_whole_text_once() -> None:
    article = article_of(LONG)
    parts = telegram_parts(article, HEADER)
    [whole] = telegram_messages(article.document, header=HEADER, limit=10**9)
    joined = "".join(parse_html(part) for part in parts)
    assert without_space(joined) == without_space(parse_html(whole))
    for number in range(1, 21):  # each section's heading is in exactly one part
        heading = re.compile(rf"Section {number}(?!\d)")
        assert sum(bool(heading.search(parse_html(part))) for part in parts) == 1


def test_the_split_is_the_same_for_a_document_parsed_again() -> None:
    """A pager button names a part by number: part k must be the same text tomorrow."""
    first = telegram_parts(article_of(LONG), HEADER)
    again = telegram_parts(article_of(LONG), HEADER)  # another Document object, not cached
    assert first == again
    assert discord_parts(article_of(LONG), "# t\n") == discord_parts(article_of(LONG), "# t\n")


def test_a_title_too_long_to_repeat_is_cut_and_still_fits() -> None:
    article = article_of(LONG, title="<Very> & long " * 40)
    parts = telegram_parts(article, HEADER)
    visible = parse_html(telegram_page(article, parts, 2))
    assert utf16_length(visible) <= TELEGRAM_MESSAGE_CHARS
    assert visible.split("\n")[0].endswith("…")


def test_discord_parts_fit_2000_with_the_frame_and_keep_fences_balanced() -> None:
    article = article_of(LONG)
    parts = discord_parts(article, f"# {TITLE}\n-# 2025-03-01\n")
    assert len(parts) >= 20
    for part in range(1, len(parts) + 1):
        page = discord_page(article, parts, part)
        assert len(page) <= DISCORD_MESSAGE_CHARS
        assert page.count("```") % 2 == 0
        assert page.endswith(f"-# part {part}/{len(parts)}")


def test_long_articles_render_as_one_pager_message_short_ones_as_before() -> None:
    long = article_of(LONG)
    [pager] = telegram_article(long, lang="en", bot_username="herald_test_bot")
    labels = [button.label for row in pager.keyboard for button in row]
    assert labels == ["1/20", "›", "»", "Back to list", "Share", "Send all"]
    everything = telegram_article(replace(long, show="all"), lang="en", bot_username=None)
    assert len(everything) == 20 and everything[-1].keyboard and not everything[0].keyboard
    short = article_of("One paragraph.")
    [message] = telegram_article(short, lang="en", bot_username=None)
    assert [b.label for row in message.keyboard for b in row] == ["Back to list"]
    [discord_pager] = discord_article(long)
    assert [b.label for row in discord_pager.rows for b in row][-2:] == ["Back to list", "Send all"]
    assert len(discord_article(replace(long, show="all"))) >= 20


def test_a_short_article_is_not_paged_until_it_needs_more_than_the_setting() -> None:
    three = "\n".join(section(number) for number in range(1, 4))  # three Telegram parts
    assert len(telegram_article(article_of(three), lang="en", bot_username=None)) == 3
    fewer = replace(article_of(three), max_messages=2)
    assert len(telegram_article(fewer, lang="en", bot_username=None)) == 1


def test_console_parts_are_lines_within_the_limit_and_turn_in_the_text() -> None:
    article = article_of(LONG)
    parts = article_parts(article)
    assert len(parts) > 3 and all(len(part) <= CONSOLE_PART_CHARS for part in parts)
    assert without_space("".join(parts)) in without_space(
        article_text(replace(article, show="all"))
    )
    third = article_text(replace(article, show="part", part=3))
    assert third.startswith(TITLE) and f"part 3/{len(parts)}" in third


def test_pack_lines_cuts_a_line_longer_than_the_limit() -> None:
    parts = pack_lines("short\n" + "x" * 25 + "\nend", 10)
    assert all(len(part) <= 10 for part in parts)
    assert "".join(parts).replace("\n", "") == "short" + "x" * 25 + "end"


@pytest.mark.skipif(not ICLR_POSTS.is_dir(), reason="needs ../shared (see README)")
def test_every_part_of_every_real_post_is_valid_and_within_limits() -> None:
    for path in discover(ICLR_POSTS):
        post = read_post(ICLR_POSTS, ICLR_POSTS / path)
        if isinstance(post, LoadError):
            continue
        article = article_of(post.body, title=post.title)
        parts = telegram_parts(article, HEADER)
        for part in range(1, len(parts) + 1):
            visible = parse_html(telegram_page(article, parts, part))
            assert utf16_length(visible) <= TELEGRAM_MESSAGE_CHARS, (path, part)
        pieces = discord_parts(article, "# title\n")
        for part in range(1, len(pieces) + 1):
            page = discord_page(article, pieces, part)
            assert len(page) <= DISCORD_MESSAGE_CHARS and page.count("```") % 2 == 0, path
