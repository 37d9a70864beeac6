"""View models → the final Discord messages: content, embeds, buttons, files. Pure functions.

This is the one place Discord text is made; the adapter maps these records onto
discord.py's objects and sends them.  A feed page is one message: a heading line, one
embed per card (≤ 10 embeds and 6000 characters in all) and rows of buttons whose
custom_id carries the action.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from herald.core.i18n import t
from herald.core.media import LocalImage
from herald.core.pager import is_paged, part_navigation, part_on_screen, send_all_button
from herald.core.views import ArticleView, Button, Card, FeedPage, Notice, Reply, TagList
from herald.limits import (
    DISCORD_ACTION_ROWS,
    DISCORD_ATTACHMENT_BYTES,
    DISCORD_ATTACHMENTS,
    DISCORD_COMPONENTS_PER_ROW,
    DISCORD_EMBED_DESCRIPTION_CHARS,
    DISCORD_EMBED_FOOTER_CHARS,
    DISCORD_EMBED_TITLE_CHARS,
    DISCORD_EMBEDS_PER_MESSAGE,
    DISCORD_EMBEDS_TOTAL_CHARS,
    DISCORD_MESSAGE_CHARS,
)
from herald.render.article_parts import discord_page, discord_parts
from herald.render.discord_md import escape
from herald.render.discord_tags import TagMenu, tag_menu
from herald.render.search_snippets import snippet_markdown
from herald.render.web_links import reader_button

ACCENT = 0x2B6CB0
Rows = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True, slots=True)
class Embed:
    title: str
    description: str
    footer: str = ""
    colour: int = ACCENT
    url: str | None = None
    """Where the title links (the post on the web reader, issue 20)."""

    def __len__(self) -> int:
        """What Discord counts against a message's 6000 characters."""
        return len(self.title) + len(self.description) + len(self.footer)


@dataclass(frozen=True, slots=True)
class DiscordMessage:
    content: str = ""
    embeds: tuple[Embed, ...] = ()
    rows: Rows = ()
    files: tuple[LocalImage, ...] = ()
    tag_menu: TagMenu | None = None
    """The tags shown, as a select menu in a row of its own below `rows`."""


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    kept: list[str] = []
    size = 0
    for cluster in regex.findall(r"\X", text):
        if size + len(cluster) > limit - 3:
            break
        kept.append(cluster)
        size += len(cluster)
    return "".join(kept).rstrip() + "..."


def _meta(date_text: str, tags: tuple[str, ...]) -> str:
    return " · ".join(part for part in (date_text, " ".join(f"#{t}" for t in tags)) if part)


def _card_text(card: Card, excerpt: str, budget: int | None) -> str:
    """Where a search matched (hits in bold, the rest escaped), else the excerpt."""
    if card.snippet is None:
        return _shorten(excerpt, DISCORD_EMBED_DESCRIPTION_CHARS)
    snippet = card.snippet.shortened(budget or DISCORD_EMBED_DESCRIPTION_CHARS // 2)
    return snippet_markdown(snippet)


def card_embed(
    card: Card, excerpt: str, *, numbered: bool = True, budget: int | None = None
) -> Embed:
    title = f"{card.number}. {card.title}" if numbered else card.title
    return Embed(
        title=_shorten(title, DISCORD_EMBED_TITLE_CHARS),
        description=_card_text(card, excerpt, budget) or "\u200b",
        footer=_shorten(_meta(card.date_text, card.tags), DISCORD_EMBED_FOOTER_CHARS),
        url=card.reader_url,
    )


def _rows(buttons: list[Button]) -> list[tuple[Button, ...]]:
    per_row = DISCORD_COMPONENTS_PER_ROW
    return [tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row)]


def feed_message(page: FeedPage) -> DiscordMessage:
    cards = page.cards[:DISCORD_EMBEDS_PER_MESSAGE]
    budget = max((len(card.excerpt) for card in cards), default=0)
    embeds = [card_embed(card, card.excerpt) for card in cards]
    while sum(map(len, embeds)) > DISCORD_EMBEDS_TOTAL_CHARS and budget > 0:
        budget = budget * 3 // 4 if budget > 8 else 0
        embeds = [
            card_embed(card, _shorten(card.excerpt, budget), budget=max(budget, 1))
            for card in cards
        ]
    content = f"**{escape(page.heading)}** · {page.page_label}"
    reads = _rows([card.read for card in cards])
    navigation = (tuple(page.navigation),) if page.navigation else ()
    tags = tag_menu(tuple(tag for card in cards for tag in card.tags), page.lang)
    return DiscordMessage(content, tuple(embeds), (*reads, *navigation), tag_menu=tags)


def tags_message(tags: TagList) -> DiscordMessage:
    listed = " ".join(f"`{tag}` ({count})" for tag, count in tags.tags)
    text = _shorten(f"**{escape(tags.heading)}**\n{listed}", DISCORD_MESSAGE_CHARS)
    buttons = list(tags.buttons[: DISCORD_COMPONENTS_PER_ROW * DISCORD_ACTION_ROWS])
    return DiscordMessage(text, rows=tuple(_rows(buttons)))


def article_messages(article: ArticleView) -> list[DiscordMessage]:
    """Markdown split to the limit; local images attached and the back button on the last;
    an article needing more than `max_messages` is one pager message (`core.pager`)."""
    header = f"# {escape(article.title)}\n-# {_meta(article.date_text, article.tags)}\n"
    parts = discord_parts(article, header)
    files = tuple(
        image for image in article.local_images if image.size <= DISCORD_ATTACHMENT_BYTES
    )[:DISCORD_ATTACHMENTS]
    if article.show == "images":
        return [DiscordMessage(files=files) if files else _no_images(article)]
    if is_paged(article, len(parts)):
        return [pager_message(article, parts, files=files if article.show == "opened" else ())]
    messages = [DiscordMessage(chunk) for chunk in parts]
    tags = tag_menu(article.tags, article.reader_lang)
    row = (article.back, *reader_button(article.reader_url, article.reader_lang))
    messages[-1] = DiscordMessage(parts[-1], rows=(row,), files=files, tag_menu=tags)
    return messages


def pager_message(
    article: ArticleView, parts: tuple[str, ...], *, files: tuple[LocalImage, ...]
) -> DiscordMessage:
    """One part with ‹ › (edited in place), back and "send all".  The images ride on the
    pager when it is sent; an edit that names no files keeps them, so they stay below
    whichever part is shown."""
    reader = reader_button(article.reader_url, article.reader_lang)
    rows = (part_navigation(article, len(parts)), (article.back, send_all_button(article), *reader))
    page = discord_page(article, parts, part_on_screen(article, len(parts)))
    tags = tag_menu(article.tags, article.reader_lang)
    return DiscordMessage(page, rows=tuple(row for row in rows if row), files=files, tag_menu=tags)


def _no_images(article: ArticleView) -> DiscordMessage:
    return DiscordMessage(t(article.reader_lang, "article.no_images"))


def notice_message(notice: Notice) -> DiscordMessage:
    """Herald's own sentences, shown as written (mentions are disabled on the client)."""
    text = notice.text
    if notice.heading:
        text = f"**{escape(notice.heading)}**\n\n{text}"
    rows = ((notice.buttons,) if notice.buttons else ()) + notice.rows
    return DiscordMessage(_shorten(text, DISCORD_MESSAGE_CHARS), rows=rows)


def reply_messages(reply: Reply) -> list[DiscordMessage]:
    if isinstance(reply, FeedPage):
        return [feed_message(reply)]
    if isinstance(reply, ArticleView):
        return article_messages(reply)
    if isinstance(reply, TagList):
        return [tags_message(reply)]
    return [notice_message(reply)]


def announcement_message(card: Card, *, lang: str) -> DiscordMessage:
    """The card pushed to subscribed channels when a post is published."""
    embed = card_embed(card, card.excerpt)
    tags = tag_menu(card.tags, lang)
    row = (card.read, *reader_button(card.reader_url, lang))
    return DiscordMessage(f"**{t(lang, 'banner')}**", (embed,), (row,), tag_menu=tags)
