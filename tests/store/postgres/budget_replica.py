"""One replica of a shared send budget, as a process (`python -m` this module).

It reads its plan (JSON) on stdin, connects, prints `ready`, waits for `go`, then sends
through python-telegram-bot to the fake Bot API exactly as the service does: pushes in
push slots through a bot whose rate limiter pauses the budget on a 429 (a push that got
one is sent again after the pause, as the outbox would), replies through a bot whose rate
limiter takes reply slots and retries 429s.  It prints one JSON line of what it saw.

Plan: `url` (the database), `base_url` (the fake), `pushes` (chat ids, in order), `workers`
(concurrent pushes), `replies` (chat ids, one reply each, `reply_every` seconds apart,
starting with the broadcast).
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from typing import Any

from fakes.telegram_server import TOKEN
from telegram.error import RetryAfter
from telegram.ext import ExtBot

from herald.adapters.telegram_adapter.ratelimit import PushRateLimiter, ReplyRateLimiter
from herald.push.budget import budget_key
from herald.push.pacing import ChatLimits
from herald.store.postgres.send_budget import SharedBudget

TELEGRAM = ChatLimits(
    per_second=30.0, per_chat_per_second=1.0, per_group_per_minute=20.0, chat_burst=4
)


class TimedTakes:
    """Measures each turn's round trip to the database."""

    def __init__(self, budget: SharedBudget) -> None:
        self.seconds: list[float] = []
        state = budget.state
        take = state.take

        async def timed(chat: str, *, group: bool, reply: bool) -> Any:
            started = time.perf_counter()
            try:
                return await take(chat, group=group, reply=reply)
            finally:
                self.seconds.append(time.perf_counter() - started)

        state.take = timed  # type: ignore[method-assign]


async def main() -> None:
    plan = json.loads(sys.stdin.readline())
    budget = SharedBudget.open(plan["url"], "replica", budget_key("telegram", TOKEN), TELEGRAM)
    takes = TimedTakes(budget)
    pusher = ExtBot(TOKEN, base_url=plan["base_url"], rate_limiter=PushRateLimiter(budget))
    replier = ExtBot(TOKEN, base_url=plan["base_url"], rate_limiter=ReplyRateLimiter(budget))
    await pusher.initialize()
    await replier.initialize()
    await budget.state.forget_idle_chats()  # connected
    print("ready", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    queue: asyncio.Queue[int] = asyncio.Queue()
    for chat in plan["pushes"]:
        queue.put_nowait(chat)
    limited = 0
    latencies: list[float] = []

    async def push_worker() -> None:
        nonlocal limited
        while not queue.empty():
            chat = queue.get_nowait()
            while True:
                try:
                    async with budget.push_slot(str(chat), group=chat < 0):
                        await pusher.send_message(chat, f"push to {chat}")
                    break
                except RetryAfter:
                    limited += 1

    async def reply(chat: int) -> None:
        asked = time.monotonic()
        await replier.send_message(chat, f"reply to {chat}")
        latencies.append(time.monotonic() - asked)

    async def replies() -> None:
        for chat in plan["replies"]:
            await reply(chat)
            await asyncio.sleep(plan["reply_every"])

    started = time.monotonic()
    async with asyncio.TaskGroup() as group:
        for _ in range(plan["workers"]):
            group.create_task(push_worker())
        group.create_task(replies())
    print(
        json.dumps(
            {
                "seconds": time.monotonic() - started,
                "limited": limited,
                "reply_latencies": latencies,
                "take_seconds": takes.seconds,
            }
        ),
        flush=True,
    )
    await pusher.shutdown()
    await replier.shutdown()
    await budget.close()


if __name__ == "__main__":
    asyncio.run(main())
