"""Render the card excerpts a store is missing, once its posts are served.

A sync makes each card's excerpt in the same pass as the rest of the post
(`herald.indexing.prepare`, one parse by the compiled front end), so after a sync nothing
is missing.  Excerpts go missing when the excerpt length changes (`excerpt_chars`: every
card is re-cut without reading a file) or in a store written by a Herald that deferred
them; this renders those on every core, in short write batches that leave the store free
between them.  Until a post's excerpt is stored, the store renders it when a reader needs
it (`herald.indexing.cards`), so no card is ever shown without its text.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncIterator, Callable
from functools import partial

from herald.core.ports import ContentIndex
from herald.core.records import PendingCard
from herald.indexing.cards import CardSource, log_problems, render_cards
from herald.indexing.workers import in_order, start_background_worker, start_worker

log = logging.getLogger("herald.store")

BATCH_SIZE = 200
PARALLEL_THRESHOLD = 400
"""Below this many excerpts to render, a process pool costs more than it saves."""


async def render_pending_excerpts(
    index: ContentIndex,
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
    # Newest first: the pages readers open first (/latest, a tag's latest) are warm within
    # the first batches, long before the pass ends.
    ids = await index.cards_to_render()
    if not ids:
        return 0
    total = len(ids)
    if progress:
        progress(0, total)
    processes = workers if workers is not None else (os.cpu_count() or 1)
    stored = done = 0
    loaded: list[list[PendingCard]] = []  # each batch sent out, to match its results

    async def batches() -> AsyncIterator[list[CardSource]]:
        # Read here, not in the workers: a forked worker must not touch the store.
        for start in range(0, total, BATCH_SIZE):
            cards = await index.pending_cards(ids[start : start + BATCH_SIZE])
            loaded.append(cards)
            yield [(card.summary, card.body, card.lang) for card in cards]

    async for rendered in in_order(
        partial(render_cards, limit=excerpt_chars),
        batches(),
        processes=1 if total < PARALLEL_THRESHOLD else processes,
        initializer=start_background_worker if background else start_worker,
    ):
        excerpts = []
        for card, made in zip(loaded.pop(0), rendered, strict=True):
            log_problems(card.post_id, made)
            excerpts.append((card.post_id, card.sha256, made.text))
        stored += await index.store_excerpts(excerpts)
        done += len(excerpts)
        if progress:
            progress(done, total)
        if stop is not None and stop.is_set():
            break
    return stored
