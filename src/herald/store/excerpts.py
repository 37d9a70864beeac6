"""Render the card excerpts a large sync left for later, once its posts are served.

An excerpt needs the post's Markdown parsed, and parsing is most of what a sync would
spend on a post: a sync of 1,000 files or more stores and indexes the posts without it
(`herald.store.prepare`) and this renders their excerpts afterwards, on every core, in
short transactions that leave the write lock free between batches.  Until a post's excerpt
is stored, `PostQueries` renders it when a reader needs it, so no card is ever shown
without its text; storing it only saves doing that again.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncIterator, Callable
from functools import partial

from herald.content.render import card_text
from herald.store.database import Database
from herald.store.workers import in_order, start_background_worker, start_worker

log = logging.getLogger("herald.store")

BATCH_SIZE = 200
PARALLEL_THRESHOLD = 400
"""Below this many excerpts to render, a process pool costs more than it saves."""

Card = tuple[str | None, str, str]
"""(summary, body, lang): what an excerpt is made from."""


def render_card(card: Card, limit: int) -> tuple[str, str | None]:
    """A card's excerpt, or "" and the reason when rendering failed: a renderer bug must
    cost one card its text, never a reader's page or the whole pass."""
    summary, body, lang = card
    try:
        return card_text(summary, body, lang=lang, limit=limit), None
    except Exception as exc:
        return "", repr(exc)


def render_cards(cards: list[Card], limit: int) -> list[tuple[str, str | None]]:
    """`render_card` for a batch, in a worker."""
    return [render_card(card, limit) for card in cards]


async def pending_excerpts(database: Database) -> int:
    async with database.connection.execute(
        "SELECT count(*) FROM posts INDEXED BY posts_without_excerpt WHERE excerpt IS NULL"
    ) as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def render_pending_excerpts(
    database: Database,
    *,
    excerpt_chars: int,
    workers: int | None = None,
    background: bool = False,
    progress: Callable[[int, int], None] | None = None,
    stop: asyncio.Event | None = None,
) -> int:
    """Render and store every missing excerpt; returns how many were stored.

    `background` lowers the workers' priority, for a service that is answering readers
    meanwhile; `stop` ends the pass after the batch in hand.  A post changed by a sync
    while its excerpt was being rendered keeps the sync's version: an excerpt is only
    stored for the source it was made from.
    """
    async with database.connection.execute(
        # Newest first: the pages readers open first (/latest, a tag's latest) are warm
        # within the first batches, long before the pass ends.
        "SELECT id FROM posts INDEXED BY posts_without_excerpt WHERE excerpt IS NULL "
        "ORDER BY date DESC, id DESC"
    ) as cursor:
        ids = [row[0] for row in await cursor.fetchall()]
    if not ids:
        return 0
    total = len(ids)
    if progress:
        progress(0, total)
    processes = workers if workers is not None else (os.cpu_count() or 1)
    stored = done = 0
    loaded: list[list[tuple[int, str]]] = []  # (id, source hash) of each batch sent out

    async def batches() -> AsyncIterator[list[Card]]:
        # Read here, not in the workers: a forked worker must not touch SQLite.
        for start in range(0, total, BATCH_SIZE):
            chunk = ids[start : start + BATCH_SIZE]
            async with database.connection.execute(
                "SELECT p.id, s.sha256, p.summary, p.body, p.lang FROM posts p "
                "JOIN sources s ON s.path = p.path "
                f"WHERE p.id IN ({','.join('?' * len(chunk))})",
                chunk,
            ) as cursor:
                rows = list(await cursor.fetchall())
            loaded.append([(row[0], row[1]) for row in rows])
            yield [(row[2], row[3], row[4]) for row in rows]

    async for rendered in in_order(
        partial(render_cards, limit=excerpt_chars),
        batches(),
        processes=1 if total < PARALLEL_THRESHOLD else processes,
        initializer=start_background_worker if background else start_worker,
    ):
        updates = []
        for (post_id, sha256), (text, error) in zip(loaded.pop(0), rendered, strict=True):
            if error is not None:
                log.warning("cannot render the excerpt of post %d: %s", post_id, error)
            updates.append((text, post_id, sha256))
        async with database.transaction(reorders=False) as db:
            before = db.total_changes
            await db.executemany(
                # Only for the source it was made from: a sync may have changed the post.
                "UPDATE posts SET excerpt = ? WHERE id = ? AND excerpt IS NULL "
                "AND (SELECT sha256 FROM sources WHERE path = posts.path) = ?",
                updates,
            )
            stored += db.total_changes - before
        done += len(updates)
        if progress:
            progress(done, total)
        if stop is not None and stop.is_set():
            break
    return stored
