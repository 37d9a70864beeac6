"""The records that cross the store ports: what a backend hands back, whatever it is.

Plain frozen dataclasses, so the core, push and the adapters never see a database row and
a second backend returns exactly the same shapes as the first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from herald.content.post import Post, pickled_by_fields
from herald.core.search import Snippet


@dataclass(frozen=True, slots=True)
class PostSummary:
    """What a card needs: a published post without its body."""

    id: int
    slug: str
    link_key: str
    title: str
    date: datetime
    tags: tuple[str, ...]
    excerpt: str
    lang: str
    snippet: Snippet | None = None
    """In search results: where the post matched (None: elsewhere, or not a search)."""


@dataclass(frozen=True, slots=True)
class PostRecord:
    """A published post with its Markdown body, for an article."""

    summary: PostSummary
    body: str
    path: str
    updated: datetime | None


@dataclass(frozen=True, slots=True)
class Slice:
    """One page of results and how many there are in all."""

    total: int
    items: list[PostSummary]


SendMode = Literal["card", "article", "title"]
"""How a subscription's pushes look: the excerpt card, the article itself, or its title."""
SEND_MODES: tuple[SendMode, ...] = ("card", "article", "title")


@dataclass(frozen=True, slots=True)
class PushOptions:
    """How one subscription wants its pushes; the defaults are what Herald always did."""

    silent: bool = False
    """No notification sound (Telegram `disable_notification`, Discord's suppressed
    notifications)."""
    mode: SendMode = "card"
    link_preview: bool = False
    """Let the platform preview the first link of the message."""


@dataclass(frozen=True, slots=True)
class Subscription:
    id: int
    platform: str
    chat_id: str
    tags: tuple[str, ...]
    """Casefolded tag filter; empty means every post."""
    language: str | None
    active: bool
    topic: str | None = None
    """A topic of the chat (a Telegram forum topic's `message_thread_id`); None: the chat
    itself.  A chat may have one subscription per topic."""
    options: PushOptions = PushOptions()


@dataclass(frozen=True, slots=True)
class Delivery:
    """One claimed outbox entry: a post to send to one subscribed chat."""

    id: int
    post_id: int
    subscription_id: int
    chat_id: str
    language: str | None
    attempts: int
    topic: str | None = None
    """Where in the chat it goes (see `Subscription.topic`)."""
    options: PushOptions = PushOptions()


@dataclass(frozen=True, slots=True)
class OutboxStats:
    counts: dict[str, int]
    last_errors: list[tuple[int, str, str, str]]
    """(entry id, platform, chat id, error), newest first."""
    oldest_waiting: float | None = None
    """When the oldest delivery still to be sent (pending or sending) was planned, unix
    time; None when none waits."""


@dataclass(frozen=True, slots=True)
class KnownSources:
    """What the store remembers of the files it read, to decide which to read again.

    Plain `(size, mtime_ns)` tuples by path rather than a record per file: at 100k files
    a no-change sync is this mapping compared with the scan's, which `dict.items()` set
    operations do without a Python step per file."""

    stats: dict[str, tuple[int, int]]
    """Every stored file: (size, mtime_ns) when it was last read."""
    retry: frozenset[str] = frozenset()
    """Files that failed only because another file held their slug: read every sync."""

    @classmethod
    def from_rows(cls, rows: Iterable[Sequence[Any]]) -> KnownSources:
        """From a backend's `(path, size, mtime_ns, retry)` rows."""
        stats: dict[str, tuple[int, int]] = {}
        retry = []
        for path, size, mtime_ns, again in rows:
            stats[path] = (size, mtime_ns)
            if again:
                retry.append(path)
        return cls(stats, frozenset(retry))


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Prepared:
    """Everything the store keeps about one file, made in a worker (`indexing.prepare`)."""

    path: str
    size: int
    mtime_ns: int
    sha256: str
    post: Post | None = None
    excerpt: str | None = None
    """None: not rendered yet (a deferred excerpt, or a file that did not load)."""
    fts: tuple[str, str, str] = ("", "", "")
    """Title, tags and body as the search index stores them (tokenised in the worker)."""
    error: str | None = None
    unchanged: bool = False
    """The content hash matched the stored one: only size/mtime need refreshing."""
    warning: str | None = None
    """Served, but with something to say: as plain text (its render took longer than its
    budget), read in a guessed encoding, under another slug than its own."""
    skipped: str | None = None
    """Not a post by its site's rules (a page, a draft, a list page): the rule.  Stored as
    a source so it is not read again, never as a post, never a failure."""


@dataclass(frozen=True, slots=True)
class PendingCard:
    """A stored post whose card excerpt is still to be rendered."""

    post_id: int
    sha256: str
    """The source it was stored from: the excerpt is kept only for that source."""
    summary: str | None
    body: str
    lang: str


@dataclass(slots=True)
class SyncReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    """Every file that currently cannot be served, with its reason (not only new failures)."""
    held_back: list[str] = field(default_factory=list)
    """Files gone from the folder whose posts are still served: too many went at once
    (`herald.indexing.sync`), so their removal waits for a sync that allows it."""
    warnings: dict[str, str] = field(default_factory=dict)
    """Every post currently served with a warning, with the reason (its render was over
    budget, its encoding was guessed, its slug was taken)."""
    unchanged: int = 0
    parsed: int = 0
    published: list[int] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)
