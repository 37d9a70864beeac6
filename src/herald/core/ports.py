"""The store ports: what the core, push and the adapters need from a database, and no more.

Like errbot's `StorageBase` or opsdroid's `Database`, each is a small contract that a
backend package (`herald.store.sqlite`, …) implements; nothing outside `herald.store`
knows which one it is talking to.  Every backend passes the same contract test suite
(`tests/store/contract/`).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Protocol

from herald.core.records import (
    Delivery,
    KnownSources,
    OutboxStats,
    PendingCard,
    PostRecord,
    Prepared,
    PushOptions,
    Slice,
    Subscription,
    SyncReport,
)


class StoreError(Exception):
    """The store cannot be used (newer schema, unwritable path, corrupt file): one line."""


class StoreUnavailable(StoreError):
    """A fault that passes: the disk is full, another process holds the write lock, an I/O
    error.  Whatever wanted to write waits and tries again; readers are still served from
    what is stored.  Backends raise it for every such fault, whatever their driver calls it.
    """


class Posts(Protocol):
    """Read side: what readers may see (not a draft, dated no later than `now`)."""

    async def latest(self, *, now: int, offset: int, limit: int) -> Slice: ...

    async def by_tag(self, tag: str, *, now: int, offset: int, limit: int) -> Slice: ...

    async def search(self, query: str, *, now: int, offset: int, limit: int) -> Slice | None:
        """Ranked matches; None when the query has nothing searchable in it."""
        ...

    async def tags(self, *, now: int) -> list[tuple[str, int]]:
        """Every tag with its number of visible posts, most used first."""
        ...

    async def tag_for_ref(self, ref: str) -> str | None:
        """The tag whose `herald.core.actions.tag_ref` is `ref`, if any post has it."""
        ...

    async def get(self, post_id: int, *, now: int) -> PostRecord | None: ...

    async def by_slug(self, slug: str, *, now: int) -> PostRecord | None:
        """By slug, then deep-link key, then slug ignoring case."""
        ...

    async def save_query(self, text: str) -> str:
        """A short stable key for a search, so its page buttons fit in a payload."""
        ...

    async def load_query(self, key: str) -> str | None: ...


class Subscriptions(Protocol):
    """Who wants pushes: one per (platform, chat, topic), optionally filtered by tags, each
    with its `PushOptions`.  `topic` None is the chat itself; a topic (a Telegram forum
    topic) has a subscription of its own, apart from its chat's."""

    async def get(
        self, platform: str, chat_id: str, *, topic: str | None = None
    ) -> Subscription | None: ...

    async def subscribe(
        self,
        platform: str,
        chat_id: str,
        tags: tuple[str, ...] = (),
        language: str | None = None,
        *,
        topic: str | None = None,
    ) -> Subscription:
        """No tags: everything. Tags: added to an existing tag filter.  Options are kept."""
        ...

    async def unsubscribe(
        self, platform: str, chat_id: str, tags: tuple[str, ...] = (), *, topic: str | None = None
    ) -> Subscription | None:
        """No tags: stop everything. Tags: drop those; none left means unsubscribed."""
        ...

    async def set_options(
        self, platform: str, chat_id: str, options: PushOptions, *, topic: str | None = None
    ) -> Subscription | None:
        """How its pushes are sent from now on (deliveries claimed later carry them); None
        when there is no subscription there, and nothing is stored."""
        ...


class Preferences(Protocol):
    """Per-user and per-chat choices that must survive restarts and be shared by replicas."""

    async def language(self, platform: str, user_id: str) -> str | None: ...

    async def set_language(self, platform: str, user_id: str, language: str) -> None: ...

    async def reading_list(self, platform: str, chat_id: str) -> str | None:
        """The payload of the list a command last showed in this chat (for `/read <n>`)."""
        ...

    async def set_reading_list(self, platform: str, chat_id: str, payload: str) -> None: ...


class Outbox(Protocol):
    """The durable push queue; entries are planned by the backend when posts publish."""

    async def recover(self) -> int:
        """At start-up: whatever was in flight when the last process died goes again
        (never what a live replica of a shared store holds)."""
        ...

    async def renew_leases(self) -> int:
        """Keep the entries this process claimed its own while it works on them: a
        heartbeat for sends that wait long (on a store no other process delivers from,
        nothing can take them: 0)."""
        ...

    async def claim(
        self, platform: str, *, limit: int, now: float | None = None
    ) -> list[Delivery]: ...

    async def next_due(self, platform: str) -> float | None: ...

    async def mark_sent(self, entry_id: int) -> None:
        """Returns only once the mark is durable."""
        ...

    async def retry_after(self, entry_id: int, seconds: float, error: str) -> None:
        """The platform's own "wait": honoured exactly, not counted as an attempt."""
        ...

    async def retry_later(self, delivery: Delivery, error: str, *, delay: float | None) -> None:
        """Count a failed attempt; try again after `delay` seconds, or never (None: the
        entry is `failed`, for `herald outbox --retry`)."""
        ...

    async def drop(self, delivery: Delivery, error: str) -> None:
        """The chat is gone for good: stop this entry, the subscription and its queue."""
        ...

    async def skip(self, entry_id: int, error: str) -> None: ...

    async def retry_failed(self) -> int: ...

    async def stats(self, *, errors: int = 10) -> OutboxStats: ...


class IndexSession(Protocol):
    """One sync's writes, applied together or not at all.

    Removal is not forgetting: a removed post is kept as a tombstone (never served,
    listed, searched or announced), and a file that comes back with its path, or with its
    slug under another path, gets the same post back — its id, and no second announcement.
    """

    async def release(self, paths: Sequence[str]) -> None:
        """Files that are gone, before the writes: their slugs are free for this session's
        files, and a file that takes one is that post moved (it keeps its id)."""
        ...

    async def write(self, batch: Sequence[Prepared]) -> None:
        """Parsed files, in path order (which decides who keeps a contested slug)."""
        ...

    async def unclaimed(self) -> tuple[list[str], int]:
        """After the writes: the released paths whose posts are still served (nothing took
        them), and how many posts were stored before this session."""
        ...

    async def remove(self, paths: Sequence[str]) -> None:
        """Released paths whose posts stop being served (they become tombstones)."""
        ...

    async def publish(self, *, notify_on_update: bool) -> list[int]:
        """Publish what is due, plan its deliveries (silently on a store's first sync);
        the ids published, in date order."""
        ...


class ContentIndex(Protocol):
    """Write side: the content folder as stored, kept in step by `herald.indexing.sync`."""

    async def use_settings(self, *, excerpt_chars: int, index_format: str) -> None:
        """Forget what was made differently: cards cut to another length are rendered
        again, an index made another way means every file is read again."""
        ...

    async def sources(self, only: Collection[str] | None = None) -> KnownSources: ...

    async def hashes(self, paths: Sequence[str]) -> dict[str, str]: ...

    def session(
        self,
        report: SyncReport,
        *,
        now: int,
        reading: Collection[str],
        bulk: bool,
        targeted: bool,
    ) -> AbstractAsyncContextManager[IndexSession]:
        """A write session that records what it does in `report`.  `reading`: the paths
        about to be written (their slugs are up for grabs); `bulk` hints at a large load;
        `targeted`: only some paths were looked at, so slug owners are looked up one by
        one instead of all loaded."""
        ...

    async def failures(self) -> dict[str, str]:
        """Every file that cannot be served, with its reason."""
        ...

    async def warnings(self) -> dict[str, str]:
        """Every post served as plain text (its render was over budget), with the reason."""
        ...

    async def publish_due(self, *, now: float | None = None) -> list[int]:
        """Publish scheduled posts whose time has come (and plan their deliveries)."""
        ...

    async def next_scheduled(self) -> int | None:
        """Unix time of the earliest post still waiting for its date."""
        ...

    async def cards_to_render(self) -> list[int]:
        """Posts stored without their card excerpt, newest first."""
        ...

    async def pending_cards(self, post_ids: Sequence[int]) -> list[PendingCard]: ...

    async def store_excerpts(self, excerpts: Sequence[tuple[int, str, str]]) -> int:
        """(post id, source sha256, excerpt) — kept only where the source is unchanged;
        how many were stored."""
        ...


class SyncLead(Protocol):
    """Who may run the content sync (and what follows it: the watcher, the scheduler, the
    excerpt pass) on a store several replicas share: one of them at a time.  A store only
    one process serves always leads."""

    async def try_lead(self) -> bool:
        """Lead if nobody does; True while this process leads."""
        ...

    async def still_leading(self) -> bool:
        """Whether the lead is still ours; asked often, it is also the leader's heartbeat."""
        ...

    async def close(self) -> None:
        """Stop leading (another replica may take over at once)."""
        ...


class Store(Protocol):
    """An open store: every port, and how to close it."""

    @property
    def posts(self) -> Posts: ...

    @property
    def subscriptions(self) -> Subscriptions: ...

    @property
    def preferences(self) -> Preferences: ...

    @property
    def outbox(self) -> Outbox: ...

    @property
    def index(self) -> ContentIndex: ...

    def sync_lead(self) -> SyncLead:
        """A claim to lead the sync, one per serving process (it holds what it needs, such
        as a connection of its own, until closed)."""
        ...

    async def close(self) -> None: ...
