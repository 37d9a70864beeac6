"""Tags that work when tapped, with their exact names: `C++` (a Telegram hashtag would be
`#C`), `LoRA微调`, a tag with spaces.  On Telegram each tag on a card or an article is a
link `t.me/<bot>?start=…` whose `/start` opens that tag's feed; on Discord a select menu
of the page's tags opens it for the reader who chose."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from fakes.discord_server import CHANNEL_ID
from fakes.telegram_server import BOT, Sent
from hypothesis import given
from hypothesis import strategies as st

from herald.content.links import link_key
from herald.core.start_links import tag_in_start, tag_start
from tests.adapters.bots import discord_bot, telegram_bot

ALICE = 1001
TAGS = ("C++", "LoRA微调", "multi word tag")
_LINK = re.compile(r'<a href="([^"]+)">([^<]*)</a>')


def write_posts(content: Path) -> None:
    posts = {
        "cpp.md": ("Templates in C++", "[C++, LoRA微调]", "2025-03-03"),
        "lora.md": ("LoRA 微调实战", '[LoRA微调, "multi word tag"]', "2025-03-02"),
        "c.md": ("Plain C", "[C, C_]", "2025-03-01"),
    }
    for name, (title, tags, date) in posts.items():
        text = f"---\ntitle: {title}\ndate: {date}\ntags: {tags}\n---\n\nBody of {title}.\n"
        (content / name).write_text(text, encoding="utf-8")


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    folder.mkdir()
    write_posts(folder)
    return folder


def tag_links(message: Sent) -> dict[str, str]:
    """Each linked tag as shown (`#C++`) → its `/start` payload."""
    found: dict[str, str] = {}
    for url, shown in _LINK.findall(message.html or ""):
        parts = urlsplit(url.replace("&amp;", "&"))
        assert parts.netloc == "t.me" and parts.path == f"/{BOT['username']}"
        found[shown] = parse_qs(parts.query)["start"][0]
    return found


async def test_telegram_card_tags_open_exactly_that_tag(tmp_path: Path, content: Path) -> None:
    async with telegram_bot(tmp_path, content) as bot:
        [page] = await bot.say(ALICE, "/latest")
        links = tag_links(page)
        assert set(links) == {"#C++", "#LoRA微调", "#multi word tag", "#C", "#C_"}
        assert "#C++" in (page.text or "")  # shown as written, not `#C_`
        for payload in links.values():  # what Telegram allows a /start payload to be
            assert re.fullmatch(r"[A-Za-z0-9_-]{1,64}", payload)
        opened = {}
        for tag in TAGS:
            [feed] = await bot.say(ALICE, f"/start {links['#' + tag]}")  # the tap
            opened[tag] = feed.text or ""
    assert opened["C++"].startswith("TAG · C++")
    assert "Templates in C++" in opened["C++"] and "Plain C" not in opened["C++"]
    assert opened["LoRA微调"].startswith("TAG · LoRA微调")
    assert "Templates in C++" in opened["LoRA微调"] and "LoRA 微调实战" in opened["LoRA微调"]
    assert opened["multi word tag"].startswith("TAG · multi word tag")
    assert "LoRA 微调实战" in opened["multi word tag"]
    assert "Templates in C++" not in opened["multi word tag"]


async def test_telegram_article_and_tag_feed_tags_are_links_too(
    tmp_path: Path, content: Path
) -> None:
    async with telegram_bot(tmp_path, content) as bot:
        [article] = await bot.say(ALICE, "/read cpp")
        assert set(tag_links(article)) == {"#C++", "#LoRA微调"}
        [tag_page] = await bot.say(ALICE, "/tag LoRA微调")
        assert set(tag_links(tag_page)) == {"#C++", "#LoRA微调", "#multi word tag"}
        [start_link] = await bot.say(ALICE, f"/start {tag_start('c++')}")  # any case: the tag
        assert (start_link.text or "").startswith("TAG · C++")


async def test_a_start_payload_for_an_unknown_tag_is_a_polite_reply(
    tmp_path: Path, content: Path
) -> None:
    async with telegram_bot(tmp_path, content) as bot:
        [reply] = await bot.say(ALICE, f"/start {tag_start('never used')}")
        [post] = await bot.say(ALICE, "/start cpp")  # a post's deep link still opens it
    assert reply.text == "That button has expired — send /latest to start again."
    assert (post.text or "").startswith("Templates in C++")


@given(st.text(min_size=1, max_size=100))
def test_a_tag_payload_is_a_valid_start_payload_and_never_a_posts_link_key(tag: str) -> None:
    payload = tag_start(tag)
    assert re.fullmatch(r"[A-Za-z0-9_-]{1,64}", payload)
    assert tag_in_start(payload) is not None
    assert tag_in_start(link_key(tag)) is None  # a slug like the tag names a post


async def test_discord_pages_offer_their_tags_in_a_select_menu(
    tmp_path: Path, content: Path
) -> None:
    async with discord_bot(tmp_path, content) as bot:
        fake = bot.fake
        await fake.answered(await fake.slash("latest"))
        [page] = fake.messages()
        [menu] = [c for row in page["components"] for c in row["components"] if c.get("type") == 3]
        assert menu["custom_id"] == "herald-tags" and menu["placeholder"] == "Open a tag…"
        labels = {option["label"]: option["value"] for option in menu["options"]}
        assert set(labels) == {"#C++", "#LoRA微调", "#multi word tag", "#C", "#C_"}
        chosen = await fake.answered(await fake.choose(page, "herald-tags", labels["#C++"]))
        assert chosen.response is not None and chosen.response["flags"] & 64  # the reader's
        assert chosen.response["content"].startswith("**TAG · C++**")
        titles = [embed["title"] for embed in chosen.response["embeds"]]
        assert titles == ["1. Templates in C++"]
        spaced = await fake.answered(
            await fake.choose(page, "herald-tags", labels["#multi word tag"])
        )
        assert spaced.response is not None
        assert spaced.response["content"].startswith("**TAG · multi word tag**")
        assert page["content"].startswith("**LATEST UPDATES**")  # the page stays as it was
        assert page["edited_timestamp"] is None and fake.messages(CHANNEL_ID)[0] is page
