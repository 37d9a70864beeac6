"""Where the web reader serves things: one place for its paths, used by its pages and by
the chat renderers that link to it ("open in reader" buttons)."""

from __future__ import annotations

from dataclasses import replace
from typing import TypeVar
from urllib.parse import quote, urlencode

from herald.core.i18n import t
from herald.core.views import Announcement, ArticleView, Button, Card, FeedPage, Notice, TagList

R = TypeVar("R", bound=FeedPage | ArticleView | TagList | Notice | Card | Announcement)


def post_path(link_key: str) -> str:
    """`/p/<key>`: the slug itself when it fits `A-Za-z0-9_-`, else its stable hashed
    deep-link key (`herald.content.links`), so every address is plain ASCII."""
    return "/p/" + quote(link_key, safe="")


def tag_path(tag: str, page: int = 1) -> str:
    return "/t/" + quote(tag, safe="") + (f"?page={page}" if page > 1 else "")


def latest_path(page: int = 1) -> str:
    return "/" if page <= 1 else f"/?page={page}"


def search_path(query: str, page: int = 1) -> str:
    fields: dict[str, str | int] = {"q": query}
    if page > 1:
        fields["page"] = page
    return "/search?" + urlencode(fields)


def reader_url(base_url: str, link_key: str) -> str:
    """The full address of a post's page on the public reader (`[web] base_url`)."""
    return base_url.rstrip("/") + post_path(link_key)


def with_reader_links(reply: R, base_url: str | None) -> R:
    """The reply with each post it shows linked to its reader page (`[web] base_url`);
    unchanged when no reader is public.  Adapters call this before rendering, so every
    renderer finds the address on the view model it already reads."""
    if base_url is None:
        return reply
    if isinstance(reply, Card | ArticleView):
        return replace(reply, reader_url=reader_url(base_url, reply.link_key))  # type: ignore[return-value]
    if isinstance(reply, FeedPage):
        cards = tuple(with_reader_links(card, base_url) for card in reply.cards)
        return replace(reply, cards=cards)  # type: ignore[return-value]
    if isinstance(reply, Announcement):
        article = with_reader_links(reply.article, base_url) if reply.article else None
        return replace(reply, card=with_reader_links(reply.card, base_url), article=article)  # type: ignore[return-value]
    return reply


def reader_button(url: str | None, lang: str) -> tuple[Button, ...]:
    """The "open in reader" button for a post's address, or nothing without one."""
    return (Button(t(lang, "button.reader"), url=url, opens_reader=True),) if url else ()
