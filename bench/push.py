"""Push benchmarks: new file → first push, and broadcast throughput, against the fake Bot API.

The fake server runs in this process (127.0.0.1), as in the tests; the service is Herald's
real runner with its watcher, scheduler and dispatcher.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from fakes.telegram_server import TOKEN, FakeTelegram

from bench.corpus import write_corpus
from bench.suite import store_at
from herald.app import run_service, startup_heap_frozen
from herald.config import load_config
from herald.core.ports import Store
from herald.core.reader import ReaderService
from herald.core.records import Delivery
from herald.core.views import Announcement
from herald.indexing.sync import sync
from herald.push.dispatcher import Dispatcher
from herald.push.pacing import ChatLimits, Pacer
from herald.store import open_store


def _config(base: Path, tg: FakeTelegram, push: str = "") -> Path:
    path = base / "herald.toml"
    path.write_text(
        f'[content]\ndir = "{base / "content"}"\n[store]\npath = "{base / "h.db"}"\n'
        f'[telegram]\nbase_url = "{tg.base_url}"\npoll_timeout = 1.0\n{push}',
        encoding="utf-8",
    )
    return path


async def _subscribe(db_path: Path, chats: list[int]) -> None:
    async with await store_at(db_path) as store:
        for chat in chats:
            await store.subscriptions.subscribe("telegram", str(chat))


def _post(index: int) -> str:
    return f"---\ntitle: Breaking {index}\ndate: 2025-11-20\ntags: [LLM]\n---\n\nNews {index}.\n"


async def first_push_latency(posts: int = 1000, rounds: int = 5) -> dict[str, Any]:
    base = Path(tempfile.mkdtemp(prefix="herald-push-"))
    write_corpus(base / "content", posts)
    async with FakeTelegram() as tg:
        config = load_config(_config(base, tg), environ={"HERALD_TELEGRAM_TOKEN": TOKEN})
        async with await store_at(base / "h.db") as store:
            await sync(store.index, base / "content", excerpt_chars=350)
        await _subscribe(base / "h.db", [7])
        tg.known_chats.add(7)
        stop = asyncio.Event()
        task = asyncio.create_task(run_service(config, stop, handle_signals=False))
        await tg.wait_for(lambda: bool(tg.calls("getUpdates")), 30)
        await asyncio.sleep(0.5)
        latencies = []
        for index in range(rounds):
            before = len(tg.sent(7))
            started = time.perf_counter()
            (base / "content" / f"breaking-{index}.md").write_text(_post(index), encoding="utf-8")
            await tg.wait_for(lambda b=before: len(tg.sent(7)) > b, 10)  # type: ignore[misc]
            latencies.append(time.perf_counter() - started)
            await asyncio.sleep(0.5)
        stop.set()
        await asyncio.wait_for(task, 30)
    label = f"new file → first push ({posts:,} posts, {rounds} rounds)"
    median, worst = statistics.median(latencies) * 1000, max(latencies) * 1000
    return {label: f"median {median:.0f} ms · max {worst:.0f} ms"}


class _Counting:
    """A messenger that only counts: what the dispatcher and outbox cost on their own."""

    platform = "bench"

    def __init__(self) -> None:
        self.sent = 0
        self.pacer = Pacer(ChatLimits(per_second=1e9, per_chat_per_second=1e9))

    def is_group(self, chat_id: str) -> bool:
        return False

    async def send(self, delivery: Delivery, post: Announcement) -> None:
        self.sent += 1


async def _broadcast_store(
    base: Path, platform: str, chats: list[int], location: Path | str | None = None
) -> Store:
    """A store with `chats` subscribed and one new post planned for all of them (the
    SQLite file in `base`, or `location`: another SQLite file or a PostgreSQL URL)."""
    (base / "content").mkdir(parents=True)
    store = await open_store(location or base / "h.db", excerpt_chars=350)
    await sync(store.index, base / "content", excerpt_chars=350)  # first sync: silent
    for chat in chats:
        await store.subscriptions.subscribe(platform, str(chat))
    (base / "content" / "news.md").write_text(_post(0), encoding="utf-8")
    await sync(store.index, base / "content", excerpt_chars=350)
    return store


async def broadcast_overhead(
    subscribers: int = 2000, location: Path | str | None = None
) -> dict[str, Any]:
    base = Path(tempfile.mkdtemp(prefix="herald-broadcast-"))
    store = await _broadcast_store(base, "bench", list(range(subscribers)), location)
    try:
        messenger = _Counting()
        dispatcher = Dispatcher(store.outbox, ReaderService(store), [messenger], concurrency=16)
        started = time.perf_counter()
        await dispatcher.drain(messenger)  # type: ignore[arg-type]
        elapsed = time.perf_counter() - started
    finally:
        await store.close()
    assert messenger.sent == subscribers
    label = f"broadcast, own overhead ({subscribers:,} subscribers, no network)"
    return {label: f"{subscribers / elapsed:,.0f} sends/s"}


async def broadcast_http(subscribers: int, *, enforce: bool) -> dict[str, Any]:
    from herald.adapters.telegram_adapter.bot import push_bot
    from herald.adapters.telegram_adapter.messenger import TelegramMessenger

    base = Path(tempfile.mkdtemp(prefix="herald-broadcast-http-"))
    chats = list(range(100_000, 100_000 + subscribers))
    store = await _broadcast_store(base, "telegram", chats)
    try:
        async with FakeTelegram(enforce_rate_limits=enforce) as tg:
            tg.known_chats.update(chats)
            limits = (
                ChatLimits(
                    per_second=30.0,
                    per_chat_per_second=1.0,
                    per_group_per_minute=20.0,
                    chat_burst=4,
                )
                if enforce
                else ChatLimits(per_second=1e9, per_chat_per_second=1e9)
            )
            pacer = Pacer(limits)
            async with push_bot(TOKEN, tg.base_url, pacer) as bot:
                messenger = TelegramMessenger(bot, pacer)
                dispatcher = Dispatcher(
                    store.outbox, ReaderService(store), [messenger], concurrency=16
                )
                with startup_heap_frozen():  # as `herald run` serves
                    started = time.perf_counter()
                    await dispatcher.drain(messenger)
                    elapsed = time.perf_counter() - started
            delivered = sum(1 for chat in chats if tg.sent(chat))
            rejected = tg.stats.rejected_429
            peak = tg.stats.max_per_second
            first, last = tg.stats.first_send_at, tg.stats.last_send_at
    finally:
        await store.close()
    rate = delivered / elapsed
    if enforce:
        assert first is not None and last is not None and delivered > 1
        # As the server saw it, first send to last: how close the pacing itself comes to
        # the limit, apart from the start (claiming rows, the first HTTP connection) that
        # the end-to-end rate also pays.
        sustained = (delivered - 1) / (last - first)
        label = f"broadcast against an enforced 30/s ({subscribers} subscribers, HTTP)"
        return {
            label: f"sustained {sustained:.1f} sends/s = {sustained / 30:.1%} of the limit"
            f" (end to end {rate:.1f}/s) · {rejected} × 429 · busiest second {peak}"
        }
    label = f"broadcast over HTTP to the fake server, no limit ({subscribers:,} subscribers)"
    return {label: f"{rate:,.0f} sends/s (python-telegram-bot and the fake share 2 cores)"}


def push_figures() -> dict[str, Any]:
    results: dict[str, Any] = {}
    results.update(asyncio.run(first_push_latency()))
    results.update(asyncio.run(broadcast_overhead()))
    results.update(asyncio.run(broadcast_http(2000, enforce=False)))
    results.update(asyncio.run(broadcast_http(300, enforce=True)))
    return results
