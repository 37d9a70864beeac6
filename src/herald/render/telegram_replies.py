"""View models → the final Telegram messages: HTML text, buttons, photos. Pure functions.

This is the one place Telegram text is made; the adapter only sends what comes out.
Every message is checked against Telegram's 4096-character limit *after entity parsing*
(what the user sees, in UTF-16 code units), and a feed page that would not fit shrinks
its excerpts rather than fail.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

import regex

from herald.core.i18n import t
from herald.core.pager import (
    images_button,
    is_paged,
    part_navigation,
    part_on_screen,
    send_all_button,
)
from herald.core.views import ArticleView, Button, Card, FeedPage, Notice, Reply, TagList
from herald.limits import (
    TELEGRAM_CAPTION_CHARS,
    TELEGRAM_INLINE_DESCRIPTION_CHARS,
    TELEGRAM_MESSAGE_CHARS,
    TELEGRAM_PHOTO_BYTES,
)
from herald.render.article_parts import telegram_page, telegram_parts
from herald.render.search_snippets import snippet_html, snippet_length, snippet_plain
from herald.render.split import Run, cut_point, utf16_length
from herald.render.telegram_html import BOLD
from herald.render.telegram_tags import meta_html, meta_runs
from herald.render.web_links import reader_button

_TAG = re.compile(r"<[^>]*>")
READ_BUTTONS_PER_ROW = 5
TAG_BUTTONS = 30
TAG_BUTTONS_PER_ROW = 3

Keyboard = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True, slots=True)
class TelegramMessage:
    """One message: HTML text, or a photo with `text` as its HTML caption."""

    text: str
    keyboard: Keyboard = ()
    photo: Path | None = None


@dataclass(frozen=True, slots=True)
class InlineArticle:
    """One inline-mode result: what the list shows, and the message it sends."""

    id: str
    title: str
    description: str
    message: TelegramMessage


def visible_length(text_html: str) -> int:
    """Length Telegram measures: tags removed, entities decoded, in UTF-16 code units."""
    return utf16_length(html.unescape(_TAG.sub("", text_html)))


def escape(text: str) -> str:
    return html.escape(text, quote=False)


def _rows(buttons: list[Button], per_row: int) -> list[tuple[Button, ...]]:
    return [tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row)]


def _card_html(card: Card, text_html: str, bot_username: str | None = None) -> str:
    meta = meta_html(card.date_text, card.tags, bot_username)  # tags link to the bot
    title = escape(card.title)
    if card.reader_url:  # issue 20: the title opens the post in the web reader
        title = f'<a href="{html.escape(card.reader_url, quote=True)}">{title}</a>'
    return f"<b>{card.number}. {title}</b>\n<i>{meta}</i>\n{text_html}"


def _card_text_html(card: Card, budget: int | None = None) -> str:
    """The card's text: where a search matched (its hits in bold), else the excerpt;
    `budget` shortens either to fit a message."""
    if card.snippet is not None:
        snippet = card.snippet if budget is None else card.snippet.shortened(budget)
        return snippet_html(snippet)
    return escape(card.excerpt if budget is None else _shorten(card.excerpt, budget))


def _card_text_length(card: Card) -> int:
    return snippet_length(card.snippet) if card.snippet is not None else len(card.excerpt)


def _feed_html(
    page: FeedPage, excerpts: list[str], banner: bool, bot_username: str | None = None
) -> str:
    top = f"<b>{escape(t(page.lang, 'banner'))}</b>\n\n" if banner else ""
    heading = f"{top}<b>{escape(page.heading)}</b> · {escape(page.page_label)}"
    cards = [
        _card_html(card, text, bot_username)
        for card, text in zip(page.cards, excerpts, strict=True)
    ]
    return "\n\n".join([heading, *cards])


def _shorten(text: str, graphemes: int) -> str:
    clusters = regex.findall(r"\X", text)
    if len(clusters) <= graphemes:
        return text
    return "".join(clusters[: max(graphemes, 0)]).rstrip() + "..."


def feed_message(
    page: FeedPage,
    *,
    banner: bool = False,
    limit: int = TELEGRAM_MESSAGE_CHARS,
    bot_username: str | None = None,
) -> TelegramMessage:
    excerpts = [_card_text_html(card) for card in page.cards]
    text = _feed_html(page, excerpts, banner, bot_username)
    budget = max((_card_text_length(card) for card in page.cards), default=0)
    while visible_length(text) > limit and budget > 0:
        budget = budget * 3 // 4 if budget > 8 else 0
        excerpts = [_card_text_html(card, budget) for card in page.cards]
        text = _feed_html(page, excerpts, banner, bot_username)
    reads = _rows([card.read for card in page.cards], READ_BUTTONS_PER_ROW)
    navigation = (tuple(page.navigation),) if page.navigation else ()
    return TelegramMessage(text, (*reads, *navigation))


def deep_link(bot_username: str, link_key: str) -> str:
    return f"https://t.me/{bot_username}?start={link_key}"


def _article_header(article: ArticleView, bot_username: str | None = None) -> list[Run]:
    meta = meta_runs(article.date_text, article.tags, bot_username)  # tags link to the bot
    return [Run(article.title, (BOLD,)), Run("\n"), *meta]


def article_messages(
    article: ArticleView, *, lang: str, bot_username: str | None
) -> list[TelegramMessage]:
    """Text split to the limit, local images as photos, the buttons on the last message;
    an article needing more than `max_messages` is one pager message (`core.pager`)."""
    row = [article.back]
    if bot_username:
        row.append(Button(t(lang, "button.share"), url=deep_link(bot_username, article.link_key)))
    row += reader_button(article.reader_url, lang)
    parts = telegram_parts(article, _article_header(article, bot_username))
    photos = [
        TelegramMessage(escape(image.alt[:TELEGRAM_CAPTION_CHARS]), photo=image.path)
        for image in article.local_images
        if image.size <= TELEGRAM_PHOTO_BYTES
    ]
    if article.show == "images":
        return photos or [TelegramMessage(escape(t(lang, "article.no_images")))]
    if is_paged(article, len(parts)):
        return [pager_message(article, parts, tuple(row), photos=len(photos))]
    messages = [TelegramMessage(chunk) for chunk in parts] + photos
    last = messages[-1]
    messages[-1] = TelegramMessage(last.text, (tuple(row),), last.photo)
    return messages


def pager_message(
    article: ArticleView, parts: tuple[str, ...], row: tuple[Button, ...], *, photos: int
) -> TelegramMessage:
    """One part with ‹ › (edited in place), back and share, "send all", and a button for
    the photos: they are sent when asked for, so the article stays one message."""
    extras = [send_all_button(article)]
    if photos:
        extras.append(images_button(article, photos))
    keyboard = (part_navigation(article, len(parts)), row, tuple(extras))
    page = telegram_page(article, parts, part_on_screen(article, len(parts)))
    return TelegramMessage(page, tuple(r for r in keyboard if r))


def tags_message(tags: TagList) -> TelegramMessage:
    text = f"<b>{escape(tags.heading)}</b>\n"
    for tag, count in tags.tags:
        entry = f"\n{escape(tag)} ({count})"
        if visible_length(text + entry) > TELEGRAM_MESSAGE_CHARS - 4:
            text += "\n…"
            break
        text += entry
    buttons = list(tags.buttons[:TAG_BUTTONS])
    return TelegramMessage(text, tuple(_rows(buttons, TAG_BUTTONS_PER_ROW)))


def fit(text: str, limit: int) -> str:
    """`text` cut on a grapheme boundary (preferring a line break or space) to at most
    `limit` UTF-16 units with its "…", as Telegram counts; left alone when it fits."""
    if utf16_length(text) <= limit:
        return text
    ellipsis = "…"
    return text[: cut_point(text, limit - utf16_length(ellipsis), utf16_length)].rstrip() + ellipsis


def notice_message(notice: Notice, *, limit: int = TELEGRAM_MESSAGE_CHARS) -> TelegramMessage:
    """Notices may echo what a user typed (a query, a slug, a command), so the text is cut
    to fit one message whatever its length; the heading is Herald's own and short."""
    heading = f"{notice.heading}\n\n" if notice.heading else ""
    text = escape(fit(notice.text, limit - utf16_length(heading)))
    if notice.heading:
        text = f"<b>{escape(notice.heading)}</b>\n\n{text}"
    return TelegramMessage(text, ((notice.buttons,) if notice.buttons else ()) + notice.rows)


def reply_messages(
    reply: Reply, *, lang: str, bot_username: str | None = None
) -> list[TelegramMessage]:
    """Whatever the core answered, as the messages to send, in order."""
    if isinstance(reply, FeedPage):
        return [feed_message(reply, bot_username=bot_username)]
    if isinstance(reply, ArticleView):
        return article_messages(reply, lang=lang, bot_username=bot_username)
    if isinstance(reply, TagList):
        return [tags_message(reply)]
    return [notice_message(reply)]


def announcement_message(
    card: Card, *, lang: str, bot_username: str | None = None
) -> TelegramMessage:
    """The card pushed to subscribers when a post is published."""
    meta = meta_html(card.date_text, card.tags, bot_username)
    text = (
        f"<b>{escape(t(lang, 'banner'))}</b>\n\n<b>{escape(card.title)}</b>\n"
        f"<i>{meta}</i>\n{escape(card.excerpt)}"
    )
    return TelegramMessage(text, ((card.read, *reader_button(card.reader_url, lang)),))


def inline_articles(
    page: FeedPage, *, lang: str, bot_username: str | None, limit: int
) -> list[InlineArticle]:
    """Inline-mode results: each card as a message with a button that opens the post."""
    results = []
    for card in page.cards[:limit]:
        body = (
            f"<b>{escape(card.title)}</b>\n<i>{escape(card.date_text)}</i>\n\n"
            f"{_card_text_html(card)}"
        )
        keyboard: Keyboard = ()
        if bot_username:
            link = deep_link(bot_username, card.link_key)
            keyboard = ((Button(t(lang, "button.open"), url=link),),)
        if card.reader_url:  # sent into any chat: a plain link, never a Mini App
            reader = Button(t(lang, "button.reader"), url=card.reader_url)
            keyboard = (*keyboard, (reader,))
        results.append(
            InlineArticle(
                id=str(card.post_id),
                title=card.title,
                description=_inline_description(card),
                message=TelegramMessage(body, keyboard),
            )
        )
    return results


def _inline_description(card: Card) -> str:
    """The line under an inline result's title: where it matched, as plain text (Telegram
    shows descriptions unformatted)."""
    text = card.excerpt if card.snippet is None else snippet_plain(card.snippet)
    return _shorten(text, TELEGRAM_INLINE_DESCRIPTION_CHARS - 3)
