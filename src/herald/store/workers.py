"""CPU-heavy batches on every core, results in order, never more than a few ahead.

Both the sync (parse files) and the excerpt renderer (render stored posts' cards) turn a
long list of batches into results that a single writer stores as they arrive; this is that
pipeline, in one place.
"""

from __future__ import annotations

import asyncio
import gc
import os
from collections.abc import AsyncIterator, Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

Batch = TypeVar("Batch")
Result = TypeVar("Result")


def start_worker() -> None:
    """Run once in each worker, forked from the calling process.

    The fork inherits that process's heap (at 100k files, the job list and path tables:
    hundreds of thousands of objects).  Frozen, the worker's garbage collections skip
    them instead of walking them, and leave their copy-on-write pages unwritten.
    """
    gc.freeze()


def start_background_worker() -> None:
    """A worker for work nobody waits on: it yields the cores to the service's readers."""
    start_worker()
    os.nice(10)


async def in_order(
    function: Callable[[Batch], Result],
    batches: Sequence[Batch],
    *,
    processes: int,
    initializer: Callable[[], None] = start_worker,
) -> AsyncIterator[Result]:
    """`function(batch)` for each batch, in order: in a thread when `processes` is 1,
    else in that many worker processes with twice as many batches submitted ahead (memory
    holds a few batches, not the whole job)."""
    if processes <= 1:
        for batch in batches:
            yield await asyncio.to_thread(function, batch)
        return
    loop = asyncio.get_running_loop()
    with ProcessPoolExecutor(max_workers=processes, initializer=initializer) as pool:
        pending = iter(batches)
        ahead: list[asyncio.Future[Result]] = []

        def submit() -> None:
            batch = next(pending, None)
            if batch is not None:
                ahead.append(loop.run_in_executor(pool, function, batch))

        for _ in range(processes * 2):
            submit()
        while ahead:
            result = await ahead.pop(0)
            submit()
            yield result
