"""`python -m bench.backends [posts]`: the same corpus on SQLite and PostgreSQL, same run.

A first sync of `posts` generated posts (default 10,000) into each backend, then search
and paging latencies (median and worst of 30 and 50 calls), then a 2,000-subscriber
broadcast through the dispatcher with no network (what the outbox costs on each).
PostgreSQL is the tests' throwaway cluster (`fakes/postgres_server.py`, durability off),
so its sync figure is a lower bound for a server that syncs its WAL.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from fakes.postgres_server import PostgresServer, find_bindir

from bench.corpus import write_corpus
from bench.push import broadcast_overhead
from herald.indexing.sync import sync
from herald.store import open_store

NOW = 1_900_000_000
QUERIES = ("显存", "梯度检查点", "gradient", "flash", "量子纠缠")


def _spread(samples: list[float]) -> str:
    return f"{statistics.median(samples):.1f} / {max(samples):.1f} ms"


async def _figures(location: Path | str, content: Path) -> dict[str, str]:
    store = await open_store(location, excerpt_chars=350)
    try:
        started = time.perf_counter()
        await sync(store.index, content, excerpt_chars=350, now=NOW)
        figures = {"first sync": f"{time.perf_counter() - started:.1f} s"}
        for query in QUERIES:
            samples = []
            for _ in range(30):
                started = time.perf_counter()
                await store.posts.search(query, now=NOW, offset=0, limit=10)
                samples.append((time.perf_counter() - started) * 1000)
            figures[f"search {query}"] = _spread(samples)
        pages = []
        for _ in range(50):
            started = time.perf_counter()
            await store.posts.latest(now=NOW, offset=100, limit=10)
            pages.append((time.perf_counter() - started) * 1000)
        figures["latest, page 11"] = _spread(pages)
        return figures
    finally:
        await store.close()


async def main(posts: int) -> None:
    with tempfile.TemporaryDirectory(prefix="herald-bench-") as folder:
        base = Path(folder)
        write_corpus(base / "content", posts)
        server = PostgresServer(find_bindir())
        server.start()
        try:
            sqlite = await _figures(base / "herald.db", base / "content")
            postgres = await _figures(server.create_database("bench"), base / "content")
            for figures, location in (
                (sqlite, base / "broadcast.db"),
                (postgres, server.create_database("broadcast")),
            ):
                [(_, rate)] = (await broadcast_overhead(2000, location)).items()
                figures["broadcast to 2,000 subscribers, own overhead (no network)"] = rate
        finally:
            server.stop()
    print(f"| {posts:,} posts | SQLite | PostgreSQL |\n| --- | --- | --- |")
    for key, value in sqlite.items():
        print(f"| {key} | {value} | {postgres[key]} |")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000))
