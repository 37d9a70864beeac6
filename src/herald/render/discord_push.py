"""A pushed post as the one Discord message its subscription asked for. Pure functions.

- card: the `INCOMING TRANSMISSION` embed with its read button and tag menu;
- title: the banner and the title as text, the read button and the tag menu;
- article: the post itself under the banner; one that fits a message is sent whole, a
  longer one sends its first part with a "read more" button (it opens the article for
  the reader who pressed; a pager for a long post).  One message per delivery, as on
  every platform, so the outbox marks a delivery sent once.

A link preview on Discord is an embed Discord makes of a link in the text: with previews
on, a card or a title brings the post's first web link for Discord to show; with them off
a text message suppresses its embeds (a card's own embed is Herald's, never suppressed).
"""

from __future__ import annotations

from dataclasses import replace

from herald.core.actions import ReadPost
from herald.core.i18n import t
from herald.core.records import PushOptions
from herald.core.views import Announcement, ArticleView, Button
from herald.limits import DISCORD_MESSAGE_CHARS
from herald.render.discord_md import discord_messages, escape
from herald.render.discord_replies import DiscordMessage, announcement_message
from herald.render.discord_tags import tag_menu


def push_message(
    post: Announcement, options: PushOptions, *, preview: str | None = None
) -> DiscordMessage:
    """`preview`: the post's first web link, shown as a link preview when asked for."""
    if options.mode == "article" and post.article is not None:
        return article_push(post.article, lang=post.lang)
    if options.mode == "title":
        message = title_push(post)
    else:
        message = announcement_message(post.card, lang=post.lang)
    if options.link_preview and preview:
        content = f"{message.content}\n{preview}"
        if len(content) <= DISCORD_MESSAGE_CHARS:
            message = replace(message, content=content)
    return message


def title_push(post: Announcement) -> DiscordMessage:
    card = post.card
    content = f"**{t(post.lang, 'banner')}**\n### {escape(card.title)}"
    return DiscordMessage(
        content[:DISCORD_MESSAGE_CHARS],
        rows=((card.read,),),
        tag_menu=tag_menu(card.tags, post.lang),
    )


def article_push(article: ArticleView, *, lang: str) -> DiscordMessage:
    tags = " ".join(f"#{tag}" for tag in article.tags)
    meta = " · ".join(part for part in (article.date_text, tags) if part)
    header = f"**{t(lang, 'banner')}**\n# {escape(article.title)}\n-# {meta}\n"
    parts = discord_messages(article.document, header=header)
    rows: tuple[tuple[Button, ...], ...] = ()
    if len(parts) > 1 or article.local_images:
        rows = ((Button(t(lang, "button.read_more"), ReadPost(article.post_id)),),)
    return DiscordMessage(parts[0], rows=rows, tag_menu=tag_menu(article.tags, lang))


def suppresses_previews(message: DiscordMessage, options: PushOptions) -> bool:
    """Previews off and a message of text: Discord must not unfurl its links."""
    return not options.link_preview and not message.embeds
