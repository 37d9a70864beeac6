"""View models → Discord embeds and components. Pure functions, no network.

A feed page is one message: a heading line, one embed per card (≤ 10 embeds and 6000
characters in all) and rows of buttons whose custom_id carries the action, so they keep
working after a restart.
"""

from __future__ import annotations

import discord
import regex

from herald.core.actions import Noop, encode
from herald.core.views import Button, Card, FeedPage, TagList
from herald.limits import (
    DISCORD_COMPONENTS_PER_ROW,
    DISCORD_EMBED_DESCRIPTION_CHARS,
    DISCORD_EMBED_TITLE_CHARS,
    DISCORD_EMBEDS_PER_MESSAGE,
    DISCORD_EMBEDS_TOTAL_CHARS,
)

from .buttons import ActionButton

ACCENT = discord.Colour(0x2B6CB0)


def _shorten(text: str, limit: int) -> str:
    clusters = regex.findall(r"\X", text)
    if len(text) <= limit:
        return text
    kept: list[str] = []
    size = 0
    for cluster in clusters:
        if size + len(cluster) > limit - 3:
            break
        kept.append(cluster)
        size += len(cluster)
    return "".join(kept).rstrip() + "..."


def card_embed(card: Card, excerpt: str) -> discord.Embed:
    embed = discord.Embed(
        title=_shorten(f"{card.number}. {card.title}", DISCORD_EMBED_TITLE_CHARS),
        description=_shorten(excerpt, DISCORD_EMBED_DESCRIPTION_CHARS) or "\u200b",
        colour=ACCENT,
    )
    footer = " · ".join(
        part for part in (card.date_text, " ".join(f"#{t}" for t in card.tags)) if part
    )
    if footer:
        embed.set_footer(text=_shorten(footer, 2048))
    return embed


def embeds_size(embeds: list[discord.Embed]) -> int:
    return sum(len(embed) for embed in embeds)


def feed_embeds(page: FeedPage) -> list[discord.Embed]:
    cards = page.cards[:DISCORD_EMBEDS_PER_MESSAGE]
    budget = max((len(card.excerpt) for card in cards), default=0)
    embeds = [card_embed(card, card.excerpt) for card in cards]
    while embeds_size(embeds) > DISCORD_EMBEDS_TOTAL_CHARS and budget > 0:
        budget = budget * 3 // 4 if budget > 8 else 0
        embeds = [card_embed(card, _shorten(card.excerpt, budget)) for card in cards]
    return embeds


def feed_content(page: FeedPage) -> str:
    return f"**{discord.utils.escape_markdown(page.heading)}** · {page.page_label}"


def button_rows(rows: list[list[Button]]) -> discord.ui.View:
    """Buttons are dynamic items: the action lives in the custom_id, not in this object."""
    view = discord.ui.View(timeout=None)
    for row_index, row in enumerate(r for r in rows if r):
        for button in row[:DISCORD_COMPONENTS_PER_ROW]:
            if button.url:
                view.add_item(
                    discord.ui.Button(label=button.label[:80], url=button.url, row=row_index)
                )
            elif button.action is not None:
                view.add_item(
                    ActionButton(
                        encode(button.action),
                        label=button.label,
                        row=row_index,
                        disabled=isinstance(button.action, Noop),
                    )
                )
    return view


def feed_view(page: FeedPage) -> discord.ui.View:
    reads = [card.read for card in page.cards]
    rows = [
        reads[i : i + DISCORD_COMPONENTS_PER_ROW]
        for i in range(0, len(reads), DISCORD_COMPONENTS_PER_ROW)
    ]
    return button_rows([*rows, list(page.navigation)])


def tags_content(tags: TagList) -> str:
    listed = " ".join(f"`{tag}` ({count})" for tag, count in tags.tags)
    return _shorten(f"**{tags.heading}**\n{listed}", 2000)


def tags_view(tags: TagList) -> discord.ui.View:
    buttons = list(tags.buttons[: DISCORD_COMPONENTS_PER_ROW * 5])
    return button_rows([buttons[i : i + 5] for i in range(0, len(buttons), 5)])
