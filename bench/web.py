"""`python -m bench.web [--posts 100000] [--calls 300] [--keep DIR] [--site DIR]`: how
long the web reader takes to answer `/p/<slug>` at 100k posts, measured on the server side.

The corpus of `bench.corpus` (Chinese and English notes with code, math, tables) synced
into a real SQLite file by Herald's own sync; then the reader's ASGI app is called in
process (no socket, so what is timed is Herald's work): each of `--calls` distinct posts
opened for the first time (the store's lookup, the parse, the render), the same posts
again (served from the page cache), and again with their ETag (a 304).  Target: ≤ 10 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import tempfile
import time
from pathlib import Path

import httpx

from bench.corpus import post_text
from bench.timing import Percentiles, percentiles, repeat
from herald.core.reader import ReaderService
from herald.indexing.excerpts import render_pending_excerpts
from herald.indexing.sync import sync
from herald.store.sqlite import open_store
from herald.web import web_app


def write_corpus(root: Path, count: int) -> None:
    for index in range(count):
        name, text = post_text(index)
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


async def web_figures(
    count: int, calls: int, folder: Path | None = None
) -> dict[str, Percentiles | float]:
    """The figures; `folder` keeps the corpus and store there (built once, reused after)."""
    if folder is None:
        with tempfile.TemporaryDirectory(prefix="herald-web-bench-") as temporary:
            return await web_figures(count, calls, Path(temporary))
    results: dict[str, Percentiles | float] = {}
    root = folder / "content"
    built = folder / f"built-{count}"
    if not built.exists():
        write_corpus(root, count)
    async with await open_store(folder / "herald.db", excerpt_chars=350) as store:
        if not built.exists():
            started = time.perf_counter()
            await sync(store.index, root, excerpt_chars=350)
            await render_pending_excerpts(store.index, excerpt_chars=350)
            results["sync and excerpts (s)"] = time.perf_counter() - started
            built.touch()
        reader = ReaderService(store, timezone="Asia/Shanghai", content_dir=root)
        app = web_app(reader, content_dir=root, default_language="zh")
        picked = random.Random(20).sample(range(count), min(calls, count))
        paths = [f"/p/post-{index}" for index in picked]
        etags: dict[str, str] = {}
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://reader") as client:

            async def first_view(call: int) -> None:
                answer = await client.get(paths[call])
                assert answer.status_code == 200, (paths[call], answer.status_code)
                etags[paths[call]] = answer.headers["etag"]

            async def cached_view(call: int) -> None:
                assert (await client.get(paths[call])).status_code == 200

            async def revalidated(call: int) -> None:
                headers = {"If-None-Match": etags[paths[call]]}
                assert (await client.get(paths[call], headers=headers)).status_code == 304

            await client.get("/p/post-0")  # the parse workers forked, the lexers loaded
            results["first view: lookup, parse, render"] = await repeat(first_view, len(paths))
            results["again: from the page cache"] = await repeat(cached_view, len(paths))
            results["again with its ETag: 304"] = await repeat(revalidated, len(paths))
            started = time.perf_counter()
            await client.get("/")  # the first count of visible posts reads them from disk
            results["feed page /, the first after start (ms)"] = (
                time.perf_counter() - started
            ) * 1000
            results["feed page /"] = await repeat(lambda _: client.get("/"), 50)
            results["search /search?q=显存"] = await repeat(
                lambda _: client.get("/search?q=显存"), 50
            )
    return results


async def site_figures(site: Path) -> dict[str, Percentiles | float]:
    """Every post of `site` opened once, in a store of its own."""
    with tempfile.TemporaryDirectory(prefix="herald-web-site-") as temporary:
        async with await open_store(Path(temporary) / "h.db", excerpt_chars=350) as store:
            await sync(store.index, site, excerpt_chars=350)
            reader = ReaderService(store, timezone="UTC", content_dir=site)
            app = web_app(reader, content_dir=site, default_language="en")
            found = await store.posts.latest(now=int(time.time()), offset=0, limit=10_000)
            paths = [f"/p/{summary.link_key}" for summary in found.items]
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://r") as client:
                await client.get(paths[0])
                samples = []
                for path in paths:
                    started = time.perf_counter()
                    assert (await client.get(path)).status_code == 200
                    samples.append(time.perf_counter() - started)
                cached = await repeat(lambda call: client.get(paths[call]), len(paths))
    return {
        f"{site.name}: first view of each of {len(paths)} posts": percentiles(samples),
        f"{site.name}: slowest first view (ms)": max(samples) * 1000,
        f"{site.name}: again, from the page cache": cached,
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.web")
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument(
        "--keep", type=Path, help="build the corpus and store in this folder once, reuse after"
    )
    parser.add_argument("--site", type=Path, help="also open every post of this folder once")
    args = parser.parse_args()
    print(f"# web reader, {args.posts:,} posts — load average {os.getloadavg()[0]:.2f}")
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    results = asyncio.run(web_figures(args.posts, args.calls, args.keep))
    if args.site:
        results.update(asyncio.run(site_figures(args.site)))
    for label, value in results.items():
        print(f"- {label}: {value:.1f}" if isinstance(value, float) else f"- {label}: {value}")
    print(f"(load average after: {os.getloadavg()[0]:.2f})")


if __name__ == "__main__":
    main()
