"""The send budget on virtual time: exact windows, bursts, refill, priority, pauses.

Each send is a request that the platform receives somewhere between its start and its
answer (a random point of a random round trip), as a real server would count it; the
limits are checked on those receipt times, the way the fake Bot API counts.
"""

from __future__ import annotations

import asyncio
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from herald.push.pacing import ChatLimits, Pacer
from tests.push.virtual_time import VirtualClock

TELEGRAM = ChatLimits(
    per_second=30.0, per_chat_per_second=1.0, per_group_per_minute=20.0, chat_burst=4
)


@dataclass
class Platform:
    """Sends through a pacer and remembers when each was received, started and answered."""

    pacer: Pacer
    clock: VirtualClock
    rng: random.Random = field(default_factory=lambda: random.Random(7))
    max_rtt: float = 0.0
    received: list[tuple[float, str, str]] = field(default_factory=list)
    """(receipt time, chat, label), in the order the platform received them."""

    async def send(self, chat: str, label: str = "", *, reply: bool = False) -> float:
        """Returns when the send started."""
        group = chat.startswith("-")
        slot = (
            self.pacer.reply_slot(chat, group=group)
            if reply
            else self.pacer.push_slot(chat, group=group)
        )
        async with slot:
            started = self.clock.now()
            rtt = self.rng.uniform(0.0, self.max_rtt)
            arrival = rtt * self.rng.random()
            await self.clock.sleep(arrival)
            self.received.append((self.clock.now(), chat, label))
            await self.clock.sleep(rtt - arrival)
        return started


def busiest(times: Sequence[float], window: float) -> int:
    """The most receipts any half-open window of that length holds."""
    ordered = sorted(times)
    most, first = 0, 0
    for last, moment in enumerate(ordered):
        while moment - ordered[first] >= window:
            first += 1
        most = max(most, last - first + 1)
    return most


def platform(limits: ChatLimits = TELEGRAM, *, max_rtt: float = 0.0) -> Platform:
    clock = VirtualClock()
    return Platform(Pacer(limits, clock=clock), clock, max_rtt=max_rtt)


async def test_no_one_second_window_ever_holds_more_than_thirty() -> None:
    world = platform(max_rtt=0.08)

    async def broadcast() -> None:
        async with asyncio.TaskGroup() as group:
            for chat in range(600):
                group.create_task(world.send(str(chat)))

    await world.clock.run(broadcast())
    times = [moment for moment, _, _ in world.received]
    assert len(times) == 600
    assert busiest(times, 1.0) == 30  # full, and never more
    elapsed = max(times) - min(times)
    assert elapsed < 599 / 30 * 1.09  # the window costs a round trip a second, no more


async def test_a_quiet_chat_gets_its_burst_at_once_then_one_a_second() -> None:
    world = platform()

    async def presses() -> list[float]:
        return [await world.send("7", reply=True) for _ in range(7)]

    started = await world.clock.run(presses())
    assert started[:4] == [0.0] * 4  # four at once
    assert [round(moment, 1) for moment in started[4:]] == [1.0, 2.0, 3.0]


async def test_pushes_are_spread_over_the_second_replies_go_together() -> None:
    world = platform()

    async def both() -> tuple[list[float], list[float]]:
        replies = [world.send(f"reader {index}", reply=True) for index in range(10)]
        answered = list(await asyncio.gather(*replies))
        await world.clock.sleep(5.0)  # the window forgets them
        pushes = [world.send(f"subscriber {index}") for index in range(10)]
        return answered, [moment - 5.0 for moment in await asyncio.gather(*pushes)]

    replies, pushes = await world.clock.run(both())
    assert replies == [0.0] * 10  # the window had room: no one waits
    gaps = [later - earlier for earlier, later in itertools.pairwise(sorted(pushes))]
    assert min(gaps) > 1 / 61 and max(pushes) > 9 / 30 - 1 / 59  # ~1/30 s apart


async def test_a_bucket_refills_at_the_sustained_rate() -> None:
    world = platform()

    async def later() -> list[float]:
        for _ in range(4):
            await world.send("7")  # empties the bucket
        await world.clock.sleep(2.5)
        return [await world.send("7") for _ in range(3)]

    started = await world.clock.run(later())
    # Refilling at 1/s since the first send (t = 0): at 2.6 s, 2.6 tokens are back.
    assert started[0] < 2.7 and started[1] - started[0] < 0.1  # two of them at once
    assert abs(started[2] - 3.0) < 0.01  # the third when the next whole token is back


async def test_five_presses_a_fifth_of_a_second_apart_are_all_answered_within_a_second() -> None:
    world = platform(max_rtt=0.03)

    async def press(index: int) -> float:
        await world.clock.sleep(0.2 * index)
        pressed = world.clock.now()
        await world.send("7", reply=True)
        return world.clock.now() - pressed

    async def presses() -> list[float]:
        return list(await asyncio.gather(*(press(index) for index in range(5))))

    waits = await world.clock.run(presses())
    assert max(waits) < 1.0
    assert max(waits[:4]) < 0.05  # the burst: at once


async def test_a_group_gets_its_burst_but_never_more_than_twenty_a_minute() -> None:
    world = platform(max_rtt=0.05)

    async def many() -> None:
        for index in range(45):
            await world.send("-100", str(index))

    await world.clock.run(many())
    times = [moment for moment, _, _ in world.received]
    assert times[3] - times[0] < 0.2  # a burst of four
    assert times[4] - times[0] >= 3.0  # then one per three seconds
    assert busiest(times, 60.0) == 20


async def test_a_reply_takes_the_next_slot_before_every_waiting_push() -> None:
    world = platform(max_rtt=0.01)

    async def broadcast_with_a_reply() -> None:
        async with asyncio.TaskGroup() as group:
            for chat in range(100):
                group.create_task(world.send(str(chat), f"push {chat}"))
            await world.clock.sleep(1.5)  # the broadcast is under way, pushes wait
            group.create_task(world.send("reader", "reply", reply=True))

    await world.clock.run(broadcast_with_a_reply())
    labels = [label for _, _, label in world.received]
    reply_at = labels.index("reply")
    assert 40 <= reply_at <= 50  # ~1.5 s of the broadcast, then the reply at once
    pushes = [label for label in labels if label != "reply"]
    assert pushes == [f"push {chat}" for chat in range(100)]  # first come, first served


async def test_a_reply_to_a_chat_out_of_tokens_lets_pushes_use_the_slots() -> None:
    world = platform()

    async def busy_reader() -> None:
        async with asyncio.TaskGroup() as group:
            for _ in range(4):
                await world.send("reader", "reply", reply=True)  # its burst, used up
            group.create_task(world.send("reader", "late reply", reply=True))
            for chat in range(20):
                group.create_task(world.send(str(chat), "push"))

    await world.clock.run(busy_reader())
    labels = [label for _, _, label in world.received]
    assert labels[-1] == "late reply"  # a second later, after the pushes it did not block
    assert labels.count("push") == 20


async def test_messages_to_one_chat_never_overlap_and_keep_their_order() -> None:
    world = platform(max_rtt=0.2)
    spans: list[tuple[float, float]] = []

    async def timed(label: str, *, reply: bool) -> None:
        slot = world.pacer.reply_slot if reply else world.pacer.push_slot
        async with slot("7", group=False):
            started = world.clock.now()
            await world.clock.sleep(0.15)
            spans.append((started, world.clock.now()))

    async def both() -> None:
        await asyncio.gather(timed("push", reply=False), timed("reply", reply=True))

    await world.clock.run(both())
    (_, first_end), (second_start, _) = sorted(spans)
    assert second_start >= first_end


async def test_a_pause_stops_every_send_and_an_extension_while_waiting_is_honoured() -> None:
    world = platform()

    async def paused() -> list[float]:
        world.pacer.pause(1.0)
        waiting = [asyncio.ensure_future(world.send(str(chat))) for chat in range(3)]
        await world.clock.sleep(0.5)
        world.pacer.pause(1.0)  # a second 429 arrives while they wait: until 1.5 s
        return list(await asyncio.gather(*waiting))

    started = await world.clock.run(paused())
    assert min(started) >= 1.5


async def test_a_cancelled_wait_gives_its_place_up() -> None:
    world = platform()

    async def one_gives_up() -> list[str]:
        world.pacer.pause(1.0)
        quitter = asyncio.ensure_future(world.send("1", "quitter"))
        stayer = asyncio.ensure_future(world.send("2", "stayer"))
        await world.clock.sleep(0.5)
        quitter.cancel()
        await stayer
        await world.send("1", "back")  # the quitter's chat is not left busy
        return [label for _, _, label in world.received]

    assert await world.clock.run(one_gives_up()) == ["stayer", "back"]


async def test_sends_go_at_once_while_nothing_waits() -> None:
    world = platform(ChatLimits(per_second=1e9, per_chat_per_second=1e9))

    async def many() -> None:
        for chat in range(4_200):  # also beyond the chats it keeps track of
            await world.send(str(chat))

    await world.clock.run(many())
    assert len(world.received) == 4_200
    assert world.clock.now() < 0.001
