"""A pushed post as the one Telegram message its subscription asked for. Pure functions.

- card: the `INCOMING TRANSMISSION` card (`telegram_replies.announcement_message`);
- title: the banner, the title and its date and tags, and the button that opens the post;
- article: the post itself, under the banner.  One that fits one message is sent whole;
  a longer one sends its first part with a "read more" button that opens the article in
  the bot (a pager for a long post, `herald.core.pager`).  A push stays one message, so a
  delivery is one send of the budget and never half-sent: the outbox marks it sent once.

Tags link to the bot with their exact names (`telegram_tags`).
"""

from __future__ import annotations

from herald.core.actions import ReadPost
from herald.core.i18n import t
from herald.core.records import SendMode
from herald.core.views import Announcement, ArticleView, Button
from herald.render.split import Run
from herald.render.telegram_html import BOLD, telegram_messages
from herald.render.telegram_replies import (
    Keyboard,
    TelegramMessage,
    announcement_message,
    deep_link,
    escape,
)
from herald.render.telegram_tags import meta_html, meta_runs


def push_message(
    post: Announcement, mode: SendMode, *, bot_username: str | None
) -> TelegramMessage:
    if mode == "article" and post.article is not None:
        return article_push(post.article, lang=post.lang, bot_username=bot_username)
    if mode == "title":
        return title_push(post, bot_username=bot_username)
    return announcement_message(post.card, lang=post.lang, bot_username=bot_username)


def title_push(post: Announcement, *, bot_username: str | None) -> TelegramMessage:
    card = post.card
    meta = meta_html(card.date_text, card.tags, bot_username)
    text = f"<b>{escape(t(post.lang, 'banner'))}</b>\n\n<b>{escape(card.title)}</b>"
    if meta:
        text += f"\n<i>{meta}</i>"
    return TelegramMessage(text, ((card.read,),))


def article_push(article: ArticleView, *, lang: str, bot_username: str | None) -> TelegramMessage:
    header = [
        Run(t(lang, "banner"), (BOLD,)),
        Run("\n\n"),
        Run(article.title, (BOLD,)),
        Run("\n"),
        *meta_runs(article.date_text, article.tags, bot_username),
    ]
    parts = telegram_messages(article.document, header=header)
    row: list[Button] = []
    if len(parts) > 1 or article.local_images:  # the rest (or its images) in the bot
        row.append(Button(t(lang, "button.read_more"), ReadPost(article.post_id)))
    if bot_username:
        row.append(Button(t(lang, "button.share"), url=deep_link(bot_username, article.link_key)))
    keyboard: Keyboard = (tuple(row),) if row else ()
    return TelegramMessage(parts[0], keyboard)
