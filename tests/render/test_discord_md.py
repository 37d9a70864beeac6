"""Discord Markdown: formatting that renders, text that stays literal, fences that close."""

from __future__ import annotations

import re

from herald.content.markdown import parse_markdown
from herald.render import discord_messages

_FENCE = re.compile(r"^(?:[ \t]*>[ \t]?)*[ \t]*(`{3,})(\S*)")


def fences_closed(message: str) -> bool:
    """Every ``` fence that opens a code block in `message` is closed in it, and no ```
    appears anywhere else (a stray one would swallow the rest of the message)."""
    open_ticks: str | None = None
    for line in message.split("\n"):
        match = _FENCE.match(line)
        rest = line[match.end() :] if match else line
        if "```" in rest:
            return False
        if match is None:
            continue
        ticks, info = match.groups()
        if open_ticks is None:
            open_ticks = ticks
        elif len(ticks) >= len(open_ticks) and not info:
            open_ticks = None
    return open_ticks is None


def one(markdown: str, **kwargs: str) -> str:
    messages = discord_messages(parse_markdown(markdown), **kwargs)  # type: ignore[arg-type]
    assert len(messages) == 1 and fences_closed(messages[0])
    return messages[0]


def test_formatting_and_headings() -> None:
    assert one("## H\n\n**b** *i* ~~s~~ `c` [t](https://x.org/a_(b)) [rel](./x.md)\n") == (
        "## H\n\n**b** *i* ~~s~~ `c` [t](<https://x.org/a_%28b%29>) rel"
    )
    assert one("#### deep\n").startswith("### deep")


def test_plain_text_is_escaped_and_urls_left_alone() -> None:
    message = one("a*b_c~d|e`f\\g and https://x.org/a_b_c\n\n\\# not a heading\n\n\\- nor a list\n")
    assert "a\\*b\\_c\\~d\\|e\\`f\\\\g and https://x.org/a_b_c" in message
    assert "\\# not a heading" in message and "\\- nor a list" in message


def test_mentions_in_text_cannot_ping() -> None:
    message = one("hello @everyone and @here, <@123> <#456>\n")
    assert "@everyone" not in message and "@here" not in message
    assert "<@" not in message.replace("\\<@", "") and "<#" not in message.replace("\\<#", "")


def test_code_blocks_lists_quotes_tables_math() -> None:
    message = one(
        "- item\n  - nested\n\n1. one\n\n> quote\n\n```py\nx = '```'\n```\n\n"
        "| 名称 | n |\n|---|---|\n| 梯度 | 1 |\n\n$$\nE = mc^2\n$$\n\n"
        "$\\theta$ and $\\frac{a}{b}$\n"
    )
    assert "- item\n  - nested" in message and "1. one" in message and "> quote" in message
    assert "```py\nx = '`\u200b``'\n```" in message  # a fence inside code is defused
    assert "```\n名称 | n\n-----+--\n梯度 | 1\n```" in message
    assert "```latex\nE = mc^2\n```" in message
    assert "`θ` and `\\frac{a}{b}`" in message


def test_code_span_with_backticks_and_adjacent_spans() -> None:
    assert one("`` a`b `` `x``y`\n") == "`` a`b `` `` x`\u200b`y ``"


def test_images_and_footnotes() -> None:
    message = one("![图](a.png) ![r](https://x.org/r.png) x[^1]\n\n[^1]: note\n")
    assert message == "🖼 图 🖼 [r](<https://x.org/r.png>) x\\[1\\]\n\n\\[1\\] note"


def test_header_starts_the_first_message_and_empty_is_one_message() -> None:
    assert one("body\n", header="# Title") == "# Title\n\nbody"
    assert discord_messages(parse_markdown("")) == ["…"]


def test_fence_checker_catches_what_it_should() -> None:
    assert fences_closed("```py\nx\n```") and fences_closed("> ```\n> x\n> ```")
    assert not fences_closed("```py\nx") and not fences_closed("text ``` text")
