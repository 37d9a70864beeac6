"""A replica's waits on a shared send budget: one message in flight per chat, across
budgets on separate connections, and a wait given up leaves nothing taken behind it."""

from __future__ import annotations

import asyncio

from herald.push.pacing import ChatLimits
from herald.store.postgres.send_budget import SharedBudget

LIMITS = ChatLimits(per_second=30.0, per_chat_per_second=1.0, chat_burst=4)


async def test_a_chat_in_flight_on_one_replica_waits_on_the_other(postgres_url: str) -> None:
    one = SharedBudget.open(postgres_url, "test", "key", LIMITS)
    other = SharedBudget.open(postgres_url, "test", "key", LIMITS)
    order: list[str] = []

    async def second() -> None:
        async with other.reply_slot("7", group=False):
            order.append("second")

    try:
        async with one.push_slot("7", group=False):
            waiting = asyncio.create_task(second())
            done, _ = await asyncio.wait({waiting}, timeout=0.3)
            assert not done  # the chat has a message in flight on the first replica
            order.append("first")
        await asyncio.wait_for(waiting, 5)
    finally:
        await one.close()
        await other.close()
    assert order == ["first", "second"]


async def test_a_wait_given_up_leaves_the_chat_free(postgres_url: str) -> None:
    budget = SharedBudget.open(postgres_url, "test", "key", LIMITS)

    async def hold(entered: asyncio.Event, leave: asyncio.Event) -> None:
        async with budget.reply_slot("7", group=False):
            entered.set()
            await leave.wait()

    try:
        entered, leave = asyncio.Event(), asyncio.Event()
        holder = asyncio.create_task(hold(entered, leave))
        await asyncio.wait_for(entered.wait(), 5)
        given_up = asyncio.create_task(hold(asyncio.Event(), asyncio.Event()))
        done, _ = await asyncio.wait({given_up}, timeout=0.2)
        assert not done
        given_up.cancel()
        leave.set()
        await holder
        later = asyncio.Event()
        await asyncio.wait_for(hold(later, leave), 5)  # not held up by the one that gave up
        assert later.is_set() and given_up.cancelled()
    finally:
        await budget.close()
