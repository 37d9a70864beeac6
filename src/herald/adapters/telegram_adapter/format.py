"""View models → Telegram HTML and inline keyboards. Pure functions, no network.

Every message is checked against Telegram's 4096-character limit *after entity parsing*
(what the user sees, in UTF-16 code units), and a feed page that would not fit shrinks
its excerpts rather than fail.
"""

from __future__ import annotations

import html
import re

import regex
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from herald.core.actions import encode
from herald.core.i18n import t
from herald.core.views import ArticleView, Button, Card, FeedPage, Notice, TagList
from herald.limits import TELEGRAM_MESSAGE_CHARS

_TAG = re.compile(r"<[^>]*>")
READ_BUTTONS_PER_ROW = 5


def visible_length(text_html: str) -> int:
    """Length Telegram measures: tags removed, entities decoded, in UTF-16 code units."""
    return len(html.unescape(_TAG.sub("", text_html)).encode("utf-16-le")) // 2


def escape(text: str) -> str:
    return html.escape(text, quote=False)


def hashtags(tags: tuple[str, ...]) -> str:
    return " ".join("#" + regex.sub(r"[^\w]+", "_", tag) for tag in tags)


def keyboard(rows: list[list[Button]]) -> InlineKeyboardMarkup | None:
    markup = [
        [
            InlineKeyboardButton(b.label, url=b.url)
            if b.url
            else InlineKeyboardButton(b.label, callback_data=encode(b.action))  # type: ignore[arg-type]
            for b in row
        ]
        for row in rows
        if row
    ]
    return InlineKeyboardMarkup(markup) if markup else None


def _card_html(card: Card, excerpt: str) -> str:
    meta = " · ".join(part for part in (card.date_text, hashtags(card.tags)) if part)
    return f"<b>{card.number}. {escape(card.title)}</b>\n<i>{escape(meta)}</i>\n{escape(excerpt)}"


def _feed_html(page: FeedPage, excerpts: list[str], banner: bool) -> str:
    top = f"<b>{escape(t(page.lang, 'banner'))}</b>\n\n" if banner else ""
    heading = f"{top}<b>{escape(page.heading)}</b> · {escape(page.page_label)}"
    cards = [_card_html(card, text) for card, text in zip(page.cards, excerpts, strict=True)]
    return "\n\n".join([heading, *cards])


def _shorten(text: str, graphemes: int) -> str:
    clusters = regex.findall(r"\X", text)
    if len(clusters) <= graphemes:
        return text
    return "".join(clusters[: max(graphemes, 0)]).rstrip() + "..."


def feed_message(
    page: FeedPage, *, banner: bool = False, limit: int = TELEGRAM_MESSAGE_CHARS
) -> tuple[str, InlineKeyboardMarkup | None]:
    excerpts = [card.excerpt for card in page.cards]
    text = _feed_html(page, excerpts, banner)
    budget = max((len(e) for e in excerpts), default=0)
    while visible_length(text) > limit and budget > 0:
        budget = budget * 3 // 4 if budget > 8 else 0
        excerpts = [_shorten(card.excerpt, budget) for card in page.cards]
        text = _feed_html(page, excerpts, banner)
    reads = [card.read for card in page.cards]
    rows = [reads[i : i + READ_BUTTONS_PER_ROW] for i in range(0, len(reads), READ_BUTTONS_PER_ROW)]
    return text, keyboard([*rows, list(page.navigation)])


def article_header(article: ArticleView) -> str:
    meta = " · ".join(part for part in (article.date_text, hashtags(article.tags)) if part)
    return f"<b>{escape(article.title)}</b>\n<i>{escape(meta)}</i>\n\n"


def article_buttons(
    article: ArticleView, bot_username: str | None, lang: str
) -> InlineKeyboardMarkup:
    row = [article.back]
    if bot_username:
        row.append(Button(t(lang, "button.share"), url=deep_link(bot_username, article.link_key)))
    markup = keyboard([row])
    assert markup is not None
    return markup


def deep_link(bot_username: str, link_key: str) -> str:
    return f"https://t.me/{bot_username}?start={link_key}"


def tags_message(tags: TagList) -> tuple[str, InlineKeyboardMarkup | None]:
    text = f"<b>{escape(tags.heading)}</b>\n"
    for tag, count in tags.tags:
        entry = f"\n{escape(tag)} ({count})"
        if visible_length(text + entry) > TELEGRAM_MESSAGE_CHARS - 4:
            text += "\n…"
            break
        text += entry
    buttons = list(tags.buttons[:30])
    return text, keyboard([buttons[i : i + 3] for i in range(0, len(buttons), 3)])


def notice_html(notice: Notice) -> str:
    return escape(notice.text)
