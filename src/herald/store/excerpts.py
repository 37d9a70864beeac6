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
import sqlite3
from collections.abc import Callable
from functools import partial
from pathlib import Path

from herald.content.render import card_text
from herald.store.database import Database
from herald.store.workers import in_order, start_background_worker, start_worker

log = logging.getLogger("herald.store")

BATCH_SIZE = 200
PARALLEL_THRESHOLD = 400
"""Below this many excerpts to render, a process pool costs more than it saves."""

Card = tuple[str | None, str, str]
"""(summary, body, lang): what an excerpt is made from."""


def render_cards(cards: list[Card], limit: int) -> list[tuple[str, str | None]]:
    """Each card's excerpt, or "" and the reason when rendering failed (a renderer bug
    must cost one card's text, never the pass)."""
    rendered: list[tuple[str, str | None]] = []
    for summary, body, lang in cards:
        try:
            rendered.append((card_text(summary, body, lang=lang, limit=limit), None))
        except Exception as exc:
            rendered.append(("", repr(exc)))
    return rendered


def _rendered(path: Path, limit: int, ids: list[int]) -> list[tuple[int, str, str, str | None]]:
    """(id, source hash, excerpt, error) of each post, read and rendered in a worker.

    The worker reads the posts itself, with its own connection: the serving process
    neither holds nor passes along the bodies of a whole 100k-post store.
    """
    marks = ",".join("?" * len(ids))
    connection = sqlite3.connect(path)
    try:
        rows = connection.execute(
            "SELECT p.id, s.sha256, p.summary, p.body, p.lang FROM posts p "
            f"JOIN sources s ON s.path = p.path WHERE p.id IN ({marks}) AND p.excerpt IS NULL",
            ids,
        ).fetchall()
    finally:
        connection.close()
    cards = render_cards([(summary, body, lang) for _, _, summary, body, lang in rows], limit)
    return [(row[0], row[1], text, error) for row, (text, error) in zip(rows, cards, strict=True)]


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
    stored for the source it was made from.  A store in memory has no file for the
    workers to read: its readers render excerpts as needed.
    """
    if str(database.path) == ":memory:":
        return 0
    async with database.connection.execute(
        "SELECT id FROM posts INDEXED BY posts_without_excerpt WHERE excerpt IS NULL ORDER BY id"
    ) as cursor:
        ids = [row[0] for row in await cursor.fetchall()]
    if not ids:
        return 0
    total = len(ids)
    if progress:
        progress(0, total)
    batches = [ids[i : i + BATCH_SIZE] for i in range(0, total, BATCH_SIZE)]
    processes = workers if workers is not None else (os.cpu_count() or 1)
    stored = done = 0
    async for rendered in in_order(
        partial(_rendered, database.path, excerpt_chars),
        batches,
        processes=1 if total < PARALLEL_THRESHOLD else processes,
        initializer=start_background_worker if background else start_worker,
    ):
        for post_id, _, _, error in rendered:
            if error is not None:
                log.warning("cannot render the excerpt of post %d: %s", post_id, error)
        async with database.transaction(reorders=False) as db:
            before = db.total_changes
            await db.executemany(
                # Only for the source it was made from: a sync may have changed the post.
                "UPDATE posts SET excerpt = ? WHERE id = ? AND excerpt IS NULL "
                "AND (SELECT sha256 FROM sources WHERE path = posts.path) = ?",
                [(text, post_id, sha256) for post_id, sha256, text, _ in rendered],
            )
            stored += db.total_changes - before
        done += len(rendered)
        if progress:
            progress(done, total)
        if stop is not None and stop.is_set():
            break
    return stored
