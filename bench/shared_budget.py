"""`python -m bench.shared_budget [sends]`: what a send budget shared in PostgreSQL costs.

On the tests' throwaway cluster (`fakes/postgres_server.py`; here a local socket): the
round trip of taking a turn and of giving it back, for one replica alone and for three
taking turns of one token at once (they queue on its row's lock); and, for comparison
with a single elected sender, how long a message from one replica takes to reach another
through the database (`NOTIFY` to a listener), the least a reply forwarded to the sender
would wait more.  Telegram's limits, on a clock given to the server that moves on 1/25 s
at every call, so that no turn is refused: this is the cost, not the pacing.
"""

from __future__ import annotations

import asyncio
import itertools
import statistics
import sys
import time

import psycopg
from fakes.postgres_server import PostgresServer, find_bindir

from herald.push.pacing import ChatLimits
from herald.store.postgres import Database
from herald.store.postgres.budget_state import BudgetState, Rules

TELEGRAM = ChatLimits(
    per_second=30.0, per_chat_per_second=1.0, per_group_per_minute=20.0, chat_burst=4
)
_calls = itertools.count()


def _server_time() -> float:
    return next(_calls) / 25


def _spread(samples: list[float]) -> str:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"{statistics.median(ordered) * 1000:.2f} / {p99 * 1000:.2f} ms"


async def _turns(url: str, replica: int, sends: int) -> tuple[list[float], list[float]]:
    rules = Rules.of(TELEGRAM)
    state = BudgetState(url, "bench", "bench-token", rules, server_time=_server_time)
    takes, releases = [], []
    try:
        for index in range(sends):
            chat = f"{replica}:{index}"
            started = time.perf_counter()
            turn = await state.take(chat, group=False, reply=True)
            took = time.perf_counter()
            assert turn.granted, turn
            await state.release(chat, turn, group=False)
            takes.append(took - started)
            releases.append(time.perf_counter() - took)
    finally:
        await state.close()
    return takes, releases


async def _notify_latency(url: str, messages: int) -> list[float]:
    listener = await psycopg.AsyncConnection.connect(url, autocommit=True)
    sender = await psycopg.AsyncConnection.connect(url, autocommit=True)
    samples = []
    try:
        await listener.execute("LISTEN herald_bench")
        for _ in range(messages):
            started = time.perf_counter()
            await sender.execute("SELECT pg_notify('herald_bench', 'reply')")
            async for _ in listener.notifies(timeout=5.0, stop_after=1):
                samples.append(time.perf_counter() - started)
    finally:
        await listener.close()
        await sender.close()
    return samples


async def main(sends: int) -> None:
    server = PostgresServer(find_bindir())
    server.start()
    try:
        url = server.create_database("budget")
        await (await Database.open(url)).close()  # migrated
        alone = await _turns(url, 0, sends)
        together = await asyncio.gather(*(_turns(url, rank, sends) for rank in range(1, 4)))
        notified = await _notify_latency(url, min(sends, 500))
    finally:
        server.stop()
    print(f"| {sends:,} sends per replica | median / p99 |\n| --- | --- |")
    print(f"| take a turn, one replica | {_spread(alone[0])} |")
    print(f"| give it back, one replica | {_spread(alone[1])} |")
    takes = [seconds for replica, _ in together for seconds in replica]
    releases = [seconds for _, replica in together for seconds in replica]
    print(f"| take a turn, three replicas at once | {_spread(takes)} |")
    print(f"| give it back, three at once | {_spread(releases)} |")
    print(f"| NOTIFY to another connection (an elected sender's hop) | {_spread(notified)} |")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000))
