"""`python -m bench.writer_cost [N]`: what writing the database costs a cold sync.

Alternates a real cold sync with the same parsing pool whose results are thrown away
(`herald.indexing.sync.prepared`, the sync's own producer), on the same corpus.  The wall
time between the two is what the writing process costs on two shared cores; the parsing
workers' CPU time a post in each says whether the writer's presence (its SQLite pages and
FTS5 buffer in the shared cache) slows the parsing down.
"""

from __future__ import annotations

import asyncio
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.corpus import write_corpus
from bench.suite import cpu_seconds, empty_store
from herald.content.loader import walk
from herald.indexing.sync import prepared, sync

ROUNDS = 2


def _measured(job: Callable[[], None], count: int) -> tuple[float, float, float]:
    """Wall seconds, and this process's and the workers' CPU milliseconds a post."""
    own, workers = cpu_seconds(resource.RUSAGE_SELF), cpu_seconds(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    job()
    wall = time.perf_counter() - started
    own = cpu_seconds(resource.RUSAGE_SELF) - own
    workers = cpu_seconds(resource.RUSAGE_CHILDREN) - workers
    return wall, own / count * 1000, workers / count * 1000


def writer_cost(count: int) -> dict[str, tuple[float, float, float]]:
    base = Path(tempfile.mkdtemp(prefix="herald-writer-cost-"))
    try:
        root = base / "content"
        write_corpus(root, count, seed=0)
        db_path = base / "herald.db"

        def cold_sync() -> None:
            async def run() -> None:
                async with empty_store(db_path) as store:
                    await sync(store.index, root, excerpt_chars=350)

            asyncio.run(run())

        def parse_only() -> None:
            jobs: list[tuple[str, str | None]] = [(path, None) for path in sorted(walk(root))]

            async def run() -> None:
                async for _ in prepared(root, jobs, 350, None, None):  # excerpts made, as a sync
                    pass

            asyncio.run(run())

        figures: dict[str, tuple[float, float, float]] = {}
        for round_ in range(1, ROUNDS + 1):
            figures[f"round {round_}, cold sync"] = _measured(cold_sync, count)
            figures[f"round {round_}, parsing only"] = _measured(parse_only, count)
        return figures
    finally:
        shutil.rmtree(base, ignore_errors=True)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    print(f"# Cold sync vs its parsing pool alone, {count:,} posts, alternating\n")
    for label, (wall, own, workers) in writer_cost(count).items():
        print(
            f"- {label}: {wall:.2f} s; CPU a post: this process {own:.3f} ms, "
            f"parsing workers {workers:.3f} ms"
        )


if __name__ == "__main__":
    main()
