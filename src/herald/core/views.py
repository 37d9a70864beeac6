"""Neutral view models: what to show, never how a platform shows it.

The renderers (`herald.render.*_replies`) turn these into each platform's
final messages.  Buttons carry an `Action` (encoded to a payload by the adapter) or a URL.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from herald.content.document import Document
from herald.core.actions import Action, Feed
from herald.core.i18n import FALLBACK
from herald.core.media import LocalImage
from herald.core.search import Snippet
from herald.limits import ARTICLE_MESSAGES


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    action: Action | None = None
    url: str | None = None
    opens_reader: bool = False
    """`url` is a page of the web reader (issue 20): Telegram opens it as a Mini App where
    it may (a private chat, an HTTPS address), elsewhere it is a plain link."""


@dataclass(frozen=True, slots=True)
class Card:
    number: int
    """Position in the whole list (page 2 of 5-card pages starts at 6): `/read <number>`."""
    post_id: int
    slug: str
    link_key: str
    title: str
    excerpt: str
    date_text: str
    tags: tuple[str, ...]
    read: Button
    snippet: Snippet | None = None
    """A search result's hit in its text, shown instead of the excerpt (`core.search`)."""
    reader_url: str | None = None
    """The post on the web reader, when `[web] base_url` is set (issue 20)."""


@dataclass(frozen=True, slots=True)
class FeedPage:
    heading: str
    cards: tuple[Card, ...]
    page: int
    pages: int
    total: int
    page_label: str
    navigation: tuple[Button, ...]
    """First, previous, page i/n, next, last — only the ones that lead somewhere else."""
    current: Feed
    """The action that shows this very page (for refresh, and as context for /read n)."""
    lang: str


ArticleShow = Literal["opened", "part", "all", "images"]
"""How an article is shown: as opened (its messages, or a pager at part 1 when it needs
more than `max_messages`), one part of its pager (a ‹ › press: edited in place), every
part as its own message ("send all"), or only its local images."""


@dataclass(frozen=True, slots=True)
class ArticleView:
    post_id: int
    slug: str
    link_key: str
    title: str
    date_text: str
    tags: tuple[str, ...]
    document: Document
    lang: str
    local_images: tuple[LocalImage, ...]
    """Images of the post that are files in the content folder, for platforms to upload."""
    back: Button
    # group E (issue 15): long articles as a pager (`herald.core.pager`).
    show: ArticleShow = "opened"
    part: int = 1
    """The part a pager shows (clamped by the renderer to the parts there are)."""
    max_messages: int = ARTICLE_MESSAGES
    """Sent as at most this many messages; an article needing more is a pager."""
    reader_lang: str = FALLBACK
    """The reader's language, for the pager's labels (`lang` is the post's)."""
    reader_url: str | None = None
    """The post on the web reader, when `[web] base_url` is set (issue 20)."""


@dataclass(frozen=True, slots=True)
class TagList:
    heading: str
    tags: tuple[tuple[str, int], ...]
    buttons: tuple[Button, ...]


@dataclass(frozen=True, slots=True)
class Notice:
    """A short reply: confirmations, polite refusals, hints."""

    text: str
    is_error: bool = False
    heading: str | None = None
    """Shown above the text, emphasised (the welcome's `INCOMING TRANSMISSION`)."""
    buttons: tuple[Button, ...] = ()
    rows: tuple[tuple[Button, ...], ...] = ()
    """More buttons, a row each, below `buttons` (the /settings toggles)."""


Reply = FeedPage | ArticleView | TagList | Notice


@dataclass(frozen=True, slots=True)
class Announcement:
    """A post pushed to subscribers: its card, and the article itself for subscriptions
    that want whole articles (each messenger sends it as the delivery's options ask)."""

    card: Card
    lang: str
    """The subscription's language (labels, the banner)."""
    article: ArticleView | None = None
