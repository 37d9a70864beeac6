"""`python -m bench.reading_under_load`: reading stays instant while a broadcast runs.

Herald's real service (watcher, dispatcher, python-telegram-bot) against the fake Bot API
enforcing Telegram's limits: 30 messages in any second, a bucket of 4 a chat refilled at
1/s.  200 readers open `/latest` and press "next" every 8-12 s each (uniformly, so 20
edits a second in all: two thirds of the budget, and no reader ever outruns its own
chat's bucket); after a quiet minute a new post goes to 2,000 subscribers.  Measured as
the fake server saw it: page press → edit p50/p99 alone and during the broadcast, the
broadcast's rate as a share of the budget the replies left it, 429s, and updates the bot
never answered.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from fakes.telegram_server import TOKEN, FakeTelegram

from bench.corpus import write_corpus
from bench.suite import store_at
from bench.timing import percentiles
from herald.app import run_service
from herald.config import load_config
from herald.core.actions import ShowLatest, encode
from herald.indexing.sync import sync
from herald.push.waiting import first_of

LIMIT_PER_SECOND = 30.0
READERS_FIRST_CHAT = 300_000
SUBSCRIBERS_FIRST_CHAT = 500_000


@dataclass
class Reader:
    chat: int
    message_id: int = 0
    pages: int = 1
    page: int = 1
    pressed: list[float] = field(default_factory=list)


async def _page_forward(
    tg: FakeTelegram,
    reader: Reader,
    every: tuple[float, float],
    rng: random.Random,
    done: asyncio.Event,
) -> None:
    """One reader: "next" every few seconds, back to page 1 after the last."""
    await first_of(done, seconds=rng.uniform(0, every[1]))  # readers do not press in step
    while not done.is_set():
        reader.page = reader.page % reader.pages + 1
        reader.pressed.append(time.monotonic())
        await tg.user_presses(reader.chat, reader.message_id, encode(ShowLatest(reader.page)))
        await first_of(done, seconds=rng.uniform(*every))


async def _open_feeds(tg: FakeTelegram, readers: list[Reader], rng: random.Random) -> None:
    """Readers arrive over ten seconds and each opens `/latest`."""

    async def arrive(reader: Reader) -> None:
        await asyncio.sleep(rng.uniform(0, 10))
        await tg.user_sends(reader.chat, "/latest")

    await asyncio.gather(*(arrive(reader) for reader in readers))
    await tg.wait_for(lambda: all(tg.sent(reader.chat) for reader in readers), 120)
    for reader in readers:
        [feed] = tg.sent(reader.chat)
        found = re.search(r"page 1/(\d+)", feed.text or "")
        reader.message_id, reader.pages = feed.message_id, int(found.group(1)) if found else 2


def _prepare(base: Path, posts: int, subscribers: list[int]) -> None:
    """The corpus synced (so the service starts at once) and the subscribers stored."""
    write_corpus(base / "content", posts)

    async def store() -> None:
        async with await store_at(base / "h.db") as opened:
            await sync(opened.index, base / "content", excerpt_chars=350)
            for chat in subscribers:
                await opened.subscriptions.subscribe("telegram", str(chat))

    asyncio.run(store())


def _config(base: Path, tg: FakeTelegram) -> str:
    """Telegram's own default limits: 30/s, 1/s a chat with bursts of 4, 20/min a group."""
    return (
        f'[content]\ndir = "{base / "content"}"\n[store]\npath = "{base / "h.db"}"\n'
        f'[bot]\ndefault_language = "en"\n'
        f'[telegram]\nbase_url = "{tg.base_url}"\npoll_timeout = 1.0\n'
    )


async def _measure(
    base: Path,
    readers: list[Reader],
    subscribers: list[int],
    *,
    quiet: float,
    every: tuple[float, float],
) -> dict[str, str]:
    rng = random.Random(15)
    async with FakeTelegram(enforce_rate_limits=True) as tg:
        path = base / "herald.toml"
        await asyncio.to_thread(path.write_text, _config(base, tg), encoding="utf-8")
        tg.known_chats.update(subscribers)
        config = load_config(path, environ={"HERALD_TELEGRAM_TOKEN": TOKEN})
        stop, done = asyncio.Event(), asyncio.Event()
        service = asyncio.create_task(run_service(config, stop, handle_signals=False))
        await tg.wait_for(lambda: bool(tg.calls("getUpdates")), 60)
        await _open_feeds(tg, readers, rng)
        paging = [asyncio.create_task(_page_forward(tg, r, every, rng, done)) for r in readers]
        await asyncio.sleep(quiet)
        (base / "content" / "breaking.md").write_text(
            "---\ntitle: Breaking\ndate: 2025-11-20\ntags: [LLM]\n---\n\nNews.\n",
            encoding="utf-8",
        )
        deadline = time.monotonic() + len(subscribers) / 5 + 60
        while not all(tg.stats.sent_at.get(chat) for chat in subscribers):
            assert time.monotonic() < deadline, "the broadcast did not finish"
            await asyncio.sleep(0.5)
        done.set()
        await asyncio.gather(*paging)
        presses = sum(len(reader.pressed) for reader in readers)

        def edited() -> int:
            return sum(len(tg.stats.sent_at[reader.chat]) - 1 for reader in readers)

        await tg.wait_for(lambda: edited() >= presses, 60)
        stop.set()
        await asyncio.wait_for(service, 60)
    return _figures(tg, readers, subscribers, every)


def _figures(
    tg: FakeTelegram, readers: list[Reader], subscribers: list[int], every: tuple[float, float]
) -> dict[str, str]:
    pushes = sorted(moment for chat in subscribers for moment in tg.stats.sent_at[chat])
    first, last = pushes[0], pushes[-1]
    alone: list[float] = []
    during: list[float] = []
    replies_during = 0
    for reader in readers:
        edits = tg.stats.sent_at[reader.chat][1:]  # after the /latest it opened
        replies_during += sum(1 for moment in edits if first <= moment <= last)
        for pressed, edit in zip(reader.pressed, edits, strict=False):
            if pressed < first:
                alone.append(edit - pressed)
            elif pressed <= last:
                during.append(edit - pressed)
    span = last - first
    push_rate = (len(pushes) - 1) / span
    reply_rate = replies_during / span
    left = LIMIT_PER_SECOND - reply_rate
    label = f"{len(readers)} readers paging every {every[0]:g}-{every[1]:g} s"
    return {
        f"press → edit, {label}, no broadcast": str(percentiles(alone)),
        f"press → edit, {label}, during a {len(subscribers):,}-subscriber broadcast": str(
            percentiles(during)
        ),
        "broadcast": f"{push_rate:.2f} sends/s while replies took {reply_rate:.2f}/s: "
        f"{push_rate / left:.1%} of the {left:.2f}/s left to it ({span:.0f} s)",
        "whole budget used during the broadcast": f"{(push_rate + reply_rate) / 30:.1%} of 30/s",
        "429s": str(tg.stats.rejected_429),
        "updates never answered": str(tg.unanswered()),
        "busiest second": str(tg.stats.max_per_second),
    }


def reading_under_load(
    readers: int = 200,
    subscribers: int = 2000,
    *,
    posts: int = 300,
    quiet: float = 60.0,
    every: tuple[float, float] = (8.0, 12.0),
) -> dict[str, str]:
    base = Path(tempfile.mkdtemp(prefix="herald-reading-"))
    try:
        chats = list(range(SUBSCRIBERS_FIRST_CHAT, SUBSCRIBERS_FIRST_CHAT + subscribers))
        _prepare(base, posts, chats)
        people = [Reader(READERS_FIRST_CHAT + index) for index in range(readers)]
        loads = os.getloadavg()
        figures = asyncio.run(_measure(base, people, chats, quiet=quiet, every=every))
        after = os.getloadavg()
        figures["load average (1 min) before / after"] = f"{loads[0]:.2f} / {after[0]:.2f}"
        return figures
    finally:
        shutil.rmtree(base, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.reading_under_load")
    parser.add_argument("--readers", type=int, default=200)
    parser.add_argument("--subscribers", type=int, default=2000)
    parser.add_argument("--quiet", type=float, default=60.0, help="seconds before the post")
    parser.add_argument("--every", default="8,12", help="seconds between a reader's presses")
    args = parser.parse_args()
    low, high = (float(part) for part in args.every.split(","))
    print(f"# Reading under load — {time.strftime('%Y-%m-%d %H:%M')}\n")
    figures = reading_under_load(
        args.readers, args.subscribers, quiet=args.quiet, every=(low, high)
    )
    for label, value in figures.items():
        print(f"- {label}: {value}", flush=True)


if __name__ == "__main__":
    main()
