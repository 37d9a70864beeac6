"""Long articles as a pager: one message showing part i/n, turned by ‹ › in place.

Real posts need 20-110 messages on Telegram or Discord; sent as such they flood the chat
and take the chat's whole send budget for half a minute.  An article that needs more
than `ArticleView.max_messages` is therefore one message whose buttons name the part
they lead to (`ReadPart`, post id, part and the list "back" returns to, all in the
payload), so answering one is a read: open the post, show that part.  "Send all"
(`ReadAll`) still sends every part as its own message for readers who want them.

How many parts there are is the platform's to say (each splits to its own limit), so the
renderers call the functions here with their count; this module only decides which
part is on screen and which buttons lead where, in platform-neutral terms.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from herald.core.actions import (
    Feed,
    PagerAction,
    ReadAll,
    ReadImages,
    ReadPart,
    ShowLatest,
    ShowSearch,
    ShowTag,
)
from herald.core.i18n import t
from herald.core.paging import moves
from herald.core.views import ArticleView, Button, Reply

if TYPE_CHECKING:
    from herald.core.reader import ReaderService


async def act_on_article(reader: ReaderService, action: PagerAction, *, lang: str) -> Reply:
    """What a pager button asks for: the post, opened to show that part, all of it, or its
    images.  Like every button, it only reads (a post gone since is a polite notice)."""
    back = action.back if isinstance(action, ReadPart | ReadAll) else None
    opened = await reader.open_post(action.post_id, lang=lang, context=back)
    if not isinstance(opened, ArticleView):
        return opened
    match action:
        case ReadPart(_, part, _):
            return replace(opened, show="part", part=part)
        case ReadAll():
            return replace(opened, show="all")
        case ReadImages():
            return replace(opened, show="images")


def is_paged(article: ArticleView, parts: int) -> bool:
    """Shown as a pager: a part was asked for, or the article needs too many messages."""
    if article.show == "part":
        return True
    return article.show == "opened" and parts > article.max_messages


def part_on_screen(article: ArticleView, parts: int) -> int:
    """The part to show, within the parts there are (a post may have shrunk since its
    pager was sent: its last part then, never an error)."""
    return min(max(article.part, 1), max(parts, 1))


def back_feed(article: ArticleView) -> Feed | None:
    action = article.back.action
    return action if isinstance(action, ShowLatest | ShowTag | ShowSearch) else None


def part_navigation(article: ArticleView, parts: int) -> tuple[Button, ...]:
    """The moves between an article's parts, like a feed's between its pages."""
    back = back_feed(article)
    return moves(
        part_on_screen(article, parts),
        parts,
        lambda part: ReadPart(article.post_id, part, back),
        article.reader_lang,
        labels="button.part_",
    )


def part_label(article: ArticleView, part: int, parts: int) -> str:
    return t(article.reader_lang, "article.part", part=part, parts=parts)


def send_all_button(article: ArticleView) -> Button:
    return Button(
        t(article.reader_lang, "button.send_all"), ReadAll(article.post_id, back_feed(article))
    )


def images_button(article: ArticleView, count: int) -> Button:
    return Button(t(article.reader_lang, "button.images", count=count), ReadImages(article.post_id))
