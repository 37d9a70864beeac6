"""CPU-heavy batches on every core, results in order, never more than a few ahead.

Both the sync (parse files) and the excerpt renderer (render stored posts' cards) turn a
long list of batches into results that a single writer stores as they arrive; this is that
pipeline, in one place.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import multiprocessing.process
import os
from collections.abc import AsyncIterator, Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

from herald.content.budget import keep_budget_alarm
from herald.content.parse_pool import die_with_parent, shared_pool

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
    batches: AsyncIterator[Batch],
    *,
    processes: int,
    initializer: Callable[[], None] = start_worker,
) -> AsyncIterator[Result]:
    """`function(batch)` for each batch, in order: in a worker of the process's parse
    pool when `processes` is 1 (a worker's main thread, where each post's time budget can
    interrupt it; a thread could not be), else in that many worker processes of its own
    with twice as many batches submitted ahead (memory holds a few batches, not the whole
    job; `batches` is only read that far ahead).

    Workers are forked, so `function` must not use SQLite or anything else another thread
    of this process may hold a lock in at that moment: a child inherits the lock, not its
    owner, and waits forever.  Read what a batch needs here, in `batches`, instead.
    Workers die with this process, however it ends (`die_with_parent`); a caller that
    stops early (an error, Ctrl-C) has them killed at once, batches in progress and all.
    """
    if processes <= 1:
        async for batch in batches:
            yield await shared_pool().run(function, batch)
        return
    loop = asyncio.get_running_loop()
    pool = ProcessPoolExecutor(
        max_workers=processes, initializer=_start, initargs=(initializer, os.getpid())
    )
    finished = False
    ahead: list[asyncio.Future[Result]] = []
    try:

        async def submit() -> None:
            batch = await anext(batches, _DONE)
            if batch is not _DONE:
                ahead.append(loop.run_in_executor(pool, function, batch))  # type: ignore[arg-type]

        for _ in range(processes * 2):
            await submit()
        while ahead:
            result = await ahead.pop(0)
            await submit()
            yield result
        finished = True
    finally:
        # After the last result the workers only have to exit (joined, so their CPU time is
        # counted); a caller that stopped early does not want what is still queued, and
        # neither it nor the interpreter's exit must wait for batches in progress.
        if not finished:
            for future in ahead:
                future.cancel()
            _kill_workers(pool)
        pool.shutdown(wait=finished, cancel_futures=not finished)


def _start(initializer: Callable[[], None], parent: int) -> None:
    die_with_parent(parent)
    keep_budget_alarm()
    initializer()


def _kill_workers(pool: ProcessPoolExecutor) -> None:
    """`ProcessPoolExecutor` can only wait for its workers (Python 3.14 adds
    `terminate_workers`); its process table is the one way to stop them now."""
    processes: dict[int, multiprocessing.process.BaseProcess] = (
        getattr(pool, "_processes", None) or {}
    )
    for process in list(processes.values()):
        with contextlib.suppress(OSError, ValueError, AttributeError):
            process.kill()


async def each(items: Sequence[Batch]) -> AsyncIterator[Batch]:
    """Batches already in memory, for `in_order`."""
    for item in items:
        yield item


_DONE = object()
