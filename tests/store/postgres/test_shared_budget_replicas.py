"""Three replicas, one token, one budget: real processes sending to a fake Bot API that
enforces Telegram's flood limits and answers 429 to any excess.

Each replica (`budget_replica.py`) is a process with its own connection to the test
cluster, sending through python-telegram-bot as the service does.  Together they
broadcast to a few hundred chats (some chats, a group among them, get pushes from all
three) while each answers readers; the fake counts every sliding second.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from fakes.telegram_server import FakeTelegram

from tests.conftest import REPO

SUBSCRIBERS = list(range(60_000, 60_300))
SHARED = [70_001, 70_002]
"""Private chats every replica pushes to three times: 9 each, 4 at once then 1/s."""
GROUP = -100_777
"""A group every replica pushes to twice: 6, 4 at once then one per 3 s."""
READERS = [[80_000 + 100 * rank + index for index in range(12)] for rank in range(3)]


@dataclass
class Replica:
    process: asyncio.subprocess.Process

    async def result(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = await asyncio.wait_for(self.process.stdout.readline(), 120)
        await asyncio.wait_for(self.process.wait(), 30)
        assert self.process.returncode == 0, line
        result: dict[str, Any] = json.loads(line)
        return result


async def _start(plan: dict[str, Any]) -> Replica:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.store.postgres.budget_replica",
        cwd=REPO,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(json.dumps(plan).encode() + b"\n")
    await process.stdin.drain()
    ready = await asyncio.wait_for(process.stdout.readline(), 60)
    assert ready == b"ready\n", ready
    return Replica(process)


@asynccontextmanager
async def replicas(
    url: str, tg: FakeTelegram, pushes: Sequence[list[int]], replies: Sequence[list[int]]
) -> AsyncIterator[list[Replica]]:
    """Three replicas connected and ready; they start sending together on entry."""
    plans = [
        {
            "url": url,
            "base_url": tg.base_url,
            "pushes": pushes[rank],
            "workers": 16,
            "replies": replies[rank],
            "reply_every": 0.5,
        }
        for rank in range(3)
    ]
    started = await asyncio.gather(*(_start(plan) for plan in plans))
    try:
        for replica in started:
            assert replica.process.stdin is not None
            replica.process.stdin.write(b"go\n")
            await replica.process.stdin.drain()
        yield started
    finally:
        for replica in started:
            if replica.process.returncode is None:
                replica.process.kill()
                await replica.process.wait()


def _shares() -> list[list[int]]:
    """Every replica's part of the broadcast, the shared chats in the middle of it."""
    parts = [SUBSCRIBERS[rank::3] for rank in range(3)]
    for part in parts:
        middle = len(part) // 2
        part[middle:middle] = [*SHARED, GROUP] * 2 + SHARED
    return parts


def busiest(times: Sequence[float], window: float) -> int:
    ordered = sorted(times)
    most, first = 0, 0
    for last, moment in enumerate(ordered):
        while moment - ordered[first] >= window:
            first += 1
        most = max(most, last - first + 1)
    return most


async def test_three_replicas_broadcasting_never_exceed_the_tokens_limits(
    postgres_url: str,
) -> None:
    async with FakeTelegram(enforce_rate_limits=True) as tg:
        tg.known_chats.update([*SUBSCRIBERS, *SHARED, GROUP])
        tg.known_chats.update(chat for part in READERS for chat in part)
        async with replicas(postgres_url, tg, _shares(), READERS) as started:
            results = [await replica.result() for replica in started]
        stats = tg.stats
        pushed = [moment for chat in SUBSCRIBERS for moment in stats.sent_at[chat]]
        everything = [moment for times in stats.sent_at.values() for moment in times]
    assert stats.rejected_429 == 0
    assert stats.max_per_second <= 30, stats.max_per_second
    assert busiest(everything, 1.0) <= 30
    assert len(pushed) == len(SUBSCRIBERS)
    assert [stats.per_chat[chat] for chat in SHARED] == [9, 9]
    assert stats.per_chat[GROUP] == 6
    assert all(stats.max_per_chat_second[chat] <= 4 for chat in SHARED)
    assert stats.max_per_chat_second[GROUP] <= 20
    assert all(result["limited"] == 0 for result in results)
    latencies = [seconds for result in results for seconds in result["reply_latencies"]]
    assert len(latencies) == sum(map(len, READERS))
    broadcast = max(pushed) - min(pushed)
    assert broadcast > 6.0  # the replies were answered while the broadcast ran
    assert max(latencies) < 1.0, sorted(latencies)[-5:]
    takes = sorted(seconds for result in results for seconds in result["take_seconds"])
    print(
        f"\nbroadcast {len(pushed)} in {broadcast:.2f} s ({len(pushed) / broadcast:.1f}/s);"
        f" busiest second {stats.max_per_second}; replies median"
        f" {statistics.median(latencies) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms;"
        f" take round trip median {statistics.median(takes) * 1000:.2f} ms,"
        f" p99 {takes[int(len(takes) * 0.99)] * 1000:.2f} ms over {len(takes)}"
    )


async def test_a_429_heard_by_one_replica_pauses_all_three(postgres_url: str) -> None:
    async with FakeTelegram(enforce_rate_limits=True) as tg:
        tg.known_chats.update(SUBSCRIBERS)
        parts = [SUBSCRIBERS[rank::3] for rank in range(3)]
        async with replicas(postgres_url, tg, parts, [[], [], []]) as started:
            await tg.wait_for(lambda: tg.stats.sends >= 60, 30)
            tg.fail_next(
                "sendMessage",
                status=429,
                description="Too Many Requests: retry after 2",
                retry_after=2,
            )
            await tg.wait_for(lambda: not tg.faults["sendMessage"], 10)
            limited_at = time.monotonic()
            results = [await replica.result() for replica in started]
        stats = tg.stats
        pushed = sorted(moment for chat in SUBSCRIBERS for moment in stats.sent_at[chat])
    assert sum(result["limited"] for result in results) == 1
    assert len(pushed) == len(SUBSCRIBERS)  # the limited push went again after the pause
    in_flight = 0.25
    """What the others had been granted before the pause reached the database still lands."""
    during = [moment for moment in pushed if limited_at + in_flight <= moment < limited_at + 1.95]
    assert during == []
    assert any(limited_at + 2.0 <= moment < limited_at + 3.0 for moment in pushed)  # resumed
    assert stats.rejected_429 == 0
    assert stats.max_per_second <= 30
