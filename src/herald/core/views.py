"""Neutral view models: what to show, never how a platform shows it.

The renderers (`herald.render.*_replies`) turn these into each platform's
final messages.  Buttons carry an `Action` (encoded to a payload by the adapter) or a URL.
"""

from __future__ import annotations

from dataclasses import dataclass

from herald.content.document import Document
from herald.core.actions import Action, Feed
from herald.core.media import LocalImage


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    action: Action | None = None
    url: str | None = None


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


Reply = FeedPage | ArticleView | TagList | Notice
