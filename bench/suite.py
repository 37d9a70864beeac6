"""The benchmark suite: every figure of BENCHMARKS.md, for one corpus size.

Each step uses Herald's real code paths (sync, the reader service, renderers, the
dispatcher, python-telegram-bot against the fake Bot API server) on a real SQLite file.
"""

from __future__ import annotations

import asyncio
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from bench.corpus import post_text, write_corpus
from bench.timing import Percentiles, repeat
from herald.app import startup_heap_frozen
from herald.content.loader import discover, read_post
from herald.content.markdown import parse_markdown
from herald.content.post import Post
from herald.core.reader import ReaderService
from herald.core.views import ArticleView, FeedPage
from herald.indexing.excerpts import render_pending_excerpts
from herald.indexing.sync import sync
from herald.render import (
    discord_messages,
    excerpt,
    plain_text,
    search_text,
    telegram_messages,
)
from herald.render.telegram_replies import feed_message
from herald.store.sqlite import SqliteStore, open_store

SEARCHES = {
    "Chinese two-character word (显存)": "显存",
    "Chinese phrase (检查点)": "检查点",
    "English word (gradient)": "gradient",
    "no hit (量子纠缠)": "量子纠缠",
}


def full_parse_one_core(root: Path, paths: list[Path]) -> float:
    """The reference: read and render every post every way, on one core."""
    started = time.perf_counter()
    for path in paths:
        post = read_post(root, path)
        assert isinstance(post, Post)
        document = parse_markdown(post.body)
        excerpt(document, lang=post.lang)
        search_text(document)
        telegram_messages(document)
        discord_messages(document)
        plain_text(document)
    return time.perf_counter() - started


@asynccontextmanager
async def empty_store(db_path: Path) -> AsyncIterator[SqliteStore]:
    """A freshly created store at `db_path`, whatever an earlier round left there."""
    for leftover in db_path.parent.glob(db_path.name + "*"):
        leftover.unlink()
    async with await store_at(db_path) as store:
        yield store


def store_at(db_path: Path) -> Awaitable[SqliteStore]:
    """The store in that file, for `async with await store_at(path) as store`."""
    return open_store(db_path, excerpt_chars=350)


def cpu_seconds(who: int) -> float:
    """User + system CPU seconds of this process (`RUSAGE_SELF`) or its reaped children."""
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


async def sync_figures(root: Path, db_path: Path, results: dict[str, Any]) -> None:
    async with await store_at(db_path) as store:
        own, workers = cpu_seconds(resource.RUSAGE_SELF), cpu_seconds(resource.RUSAGE_CHILDREN)
        parsed_at = 0.0

        def progress(done: int, total: int) -> None:
            nonlocal parsed_at
            if done == total:
                parsed_at = time.perf_counter()

        cold = await sync(store.index, root, excerpt_chars=350, progress=progress)
        results["cold sync"] = cold.seconds
        # The serial end: writing the last batches, publishing, the commit (and, through a
        # WAL, its checkpoint), while the parsing workers are done.
        results["cold sync: after the last batch was parsed"] = time.perf_counter() - parsed_at
        results["posts loaded"] = len(cold.added)
        # Where the cold sync's CPU went: this process (SQLite writes, unpickling, the event
        # loop) and the parsing workers (counted once they have exited, as they have here).
        own = cpu_seconds(resource.RUSAGE_SELF) - own
        workers = cpu_seconds(resource.RUSAGE_CHILDREN) - workers
        per_post = 1000 / max(1, len(cold.added))
        results["cold sync CPU, writing process (ms a post)"] = own * per_post
        results["cold sync CPU, parsing workers (ms a post)"] = workers * per_post
        results["cold sync cores busy"] = (own + workers) / cold.seconds
        # A large sync stores posts searchable but leaves cards' excerpts to render; until
        # they are stored, each card on a page is rendered when the page is asked for.
        reader = ReaderService(store, page_size=5, timezone="Asia/Shanghai")
        results["/latest page render, excerpts not stored yet"] = await repeat(
            latest_pages(reader, len(cold.added)), 200
        )
        started = time.perf_counter()
        rendered = await render_pending_excerpts(store.index, excerpt_chars=350)
        results["excerpts rendered after the cold sync"] = time.perf_counter() - started
        results["excerpts rendered"] = rendered
        again = await sync(store.index, root, excerpt_chars=350)
        results["re-sync, nothing changed"] = again.seconds
        assert again.parsed == 0
        name = post_text(7)[0]
        changed = root / name
        changed.write_text(changed.read_text(encoding="utf-8") + "\n一处修改。\n", encoding="utf-8")
        one = await sync(store.index, root, excerpt_chars=350)
        assert one.updated == [name]
        results["sync after changing 1 file, full scan (herald sync)"] = one.seconds
        changed.write_text(changed.read_text(encoding="utf-8") + "\n又一处。\n", encoding="utf-8")
        watched = await sync(store.index, root, excerpt_chars=350, only={name})
        assert watched.updated == [name]
        results["sync after changing 1 file, as the watcher does (path known)"] = watched.seconds


def latest_pages(reader: ReaderService, count: int) -> Callable[[int], Awaitable[None]]:
    """Random `/latest` pages of five, formatted for Telegram."""
    rng = random.Random(1)
    pages = max(1, count // 5)

    async def page(_: int) -> None:
        reply = await reader.latest(rng.randint(1, pages), lang="zh")
        assert isinstance(reply, FeedPage)
        feed_message(reply)

    return page


async def read_figures(db_path: Path, count: int, calls: int, results: dict[str, Any]) -> None:
    rng = random.Random(1)
    async with await store_at(db_path) as store:
        reader = ReaderService(store, page_size=5, timezone="Asia/Shanghai")
        results["/latest page render"] = await repeat(latest_pages(reader, count), calls)

        async def article(_: int) -> None:
            reply = await reader.article(f"post-{rng.randrange(count)}", lang="zh")
            assert isinstance(reply, ArticleView)
            telegram_messages(reply.document)

        results["article render"] = await repeat(article, max(10, calls // 2))
        for label, query in SEARCHES.items():

            async def search(_: int, query: str = query) -> None:
                await reader.search(query, lang="zh")

            results[f"search: {label}"] = await repeat(search, calls)


def rss_probe(db_path: Path, root: Path) -> dict[str, float]:
    """Peak RSS of a fresh process that opens the store, re-syncs and serves requests."""
    script = Path(__file__).with_name("rss_probe.py")
    output = subprocess.run(
        [sys.executable, str(script), str(db_path), str(root)],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    ).stdout
    label, value = output.strip().rsplit(" ", 1)
    return {label: float(value)}


def run(
    count: int, *, calls: int, seed: int = 0, workdir: Path | None = None, reference: bool = True
) -> dict[str, Any]:
    results: dict[str, Any] = {"posts": count}
    base = Path(tempfile.mkdtemp(prefix=f"herald-bench-{count}-", dir=workdir))
    try:
        root = base / "content"
        started = time.perf_counter()
        results["corpus bytes"] = write_corpus(root, count, seed)
        results["corpus write"] = time.perf_counter() - started
        paths = discover(root)
        db_path = base / "herald.db"
        if reference:
            # Measured right before and right after the cold sync: this machine's speed
            # drifts by tens of percent within minutes, so one reference beside one sync can
            # say more about the minute than about the code.  The share uses their mean.
            before = full_parse_one_core(root, paths)
            asyncio.run(sync_figures(root, db_path, results))
            after = full_parse_one_core(root, paths)
            results["full parse, one core (reference), before the cold sync"] = before
            results["full parse, one core (reference), after the cold sync"] = after
            share = results["cold sync"] / ((before + after) / 2)
            results["cold sync ÷ reference (mean of both)"] = f"{share:.0%}"
            low, high = sorted((results["cold sync"] / before, results["cold sync"] / after))
            results["cold sync ÷ reference, against each"] = f"{low:.0%}–{high:.0%}"
            whole = results["cold sync"] + results["excerpts rendered after the cold sync"]
            results["cold sync + excerpts rendered ÷ reference (mean of both)"] = (
                f"{whole / ((before + after) / 2):.0%}"
            )
        else:
            asyncio.run(sync_figures(root, db_path, results))
        peak_sync = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        results["peak RSS of the bench process after cold sync (MB)"] = peak_sync
        with startup_heap_frozen():  # as `herald run` serves, once started
            asyncio.run(read_figures(db_path, count, calls, results))
        results.update(rss_probe(db_path, root))
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return results


def describe(key: str, value: object) -> str:
    if isinstance(value, Percentiles):
        return str(value)
    if isinstance(value, float) and "(MB)" in key:
        return f"{value:.0f} MB"
    if isinstance(value, float) and "(ms a post)" in key:
        return f"{value:.3f} ms"
    if isinstance(value, float) and "cores" in key:
        return f"{value:.2f}"
    if isinstance(value, float):
        return f"{value:.3f} s"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def machine() -> str:
    return f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, {sys.platform}"
