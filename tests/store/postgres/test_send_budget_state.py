"""The shared send budget's rules, in the database, on a clock the test sets.

Every turn is asked of the real server (migration V3's functions) with the time given, so
each rule is checked exactly: the overall window counted from answers, the replies'
reserve, pushes' spacing, a chat's burst and one message in flight, a group's minute,
leases that free a dead replica's turns, a pause for every replica.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import psycopg
import pytest

from herald.push.budget import budget_key
from herald.push.pacing import ChatLimits
from herald.store.postgres.budget_state import BudgetState, Rules, Turn

TELEGRAM = ChatLimits(
    per_second=30.0, per_chat_per_second=1.0, per_group_per_minute=20.0, chat_burst=4
)
TOKEN = "123456789:AAHtestTokenForHeraldFakeServer_0123456"


class Replica:
    """One replica's view of the token's rows, at the time `now` says."""

    def __init__(self, url: str, lease: float = 30.0) -> None:
        self.now = 0.0
        self.state = BudgetState(
            url,
            "test",
            budget_key("telegram", TOKEN),
            Rules.of(TELEGRAM),
            lease=lease,
            server_time=lambda: self.now,
        )

    async def take(self, chat: str, *, reply: bool = True) -> Turn:
        return await self.state.take(chat, group=chat.startswith("-"), reply=reply)

    async def send(self, chat: str, *, reply: bool = True) -> Turn:
        """Take a turn and give it back at once, as a send answered at once."""
        turn = await self.take(chat, reply=reply)
        assert turn.granted, turn
        await self.state.release(chat, turn, group=chat.startswith("-"))
        return turn


@pytest.fixture
async def replicas(postgres_url: str) -> AsyncIterator[tuple[Replica, Replica]]:
    pair = (Replica(postgres_url), Replica(postgres_url))
    yield pair
    for replica in pair:
        await replica.state.close()


def at(time: float, *replicas: Replica) -> None:
    for replica in replicas:
        replica.now = time


async def test_thirty_replies_in_a_window_then_none_until_a_second_after_the_answers(
    replicas: tuple[Replica, Replica],
) -> None:
    a, b = replicas
    turns = [
        (replica, f"{name}{chat}") for chat in range(15) for name, replica in (("a", a), ("b", b))
    ]
    taken = [(replica, chat, await replica.take(chat)) for replica, chat in turns]
    in_flight = await a.take("late")
    assert (in_flight.granted, in_flight.blocker) == (False, "overall")
    assert in_flight.wait == pytest.approx(1.001)  # the soonest an answer can free one
    at(0.05, a, b)
    for replica, chat, turn in taken:
        await replica.state.release(chat, turn, group=False)
    refused = await a.take("late")
    assert (refused.granted, refused.blocker) == (False, "overall")
    assert refused.wait == pytest.approx(1.001, abs=1e-9)  # answered at 0.05, + 1 s + edge
    at(1.0505, a, b)
    assert not (await b.take("late")).granted
    at(1.0515, a, b)
    assert (await b.take("late")).granted


async def test_pushes_leave_five_turns_a_second_to_the_replies_of_every_replica(
    replicas: tuple[Replica, Replica],
) -> None:
    a, b = replicas
    assert await broadcast_for_a_second(a, b) == 25  # the window's 30 less the replies' 5
    for index in range(5):  # and a reply on either replica goes at once
        assert (await (a if index % 2 else b).take(f"reader {index}")).granted
    assert (await a.take("one reply too many")).blocker == "overall"


async def test_replies_within_their_reserve_take_nothing_from_the_pushes(
    replicas: tuple[Replica, Replica],
) -> None:
    a, b = replicas
    for index in range(3):
        await a.send(f"reader {index}")
    assert await broadcast_for_a_second(a, b) == 25
    assert (await b.take("reader 3")).granted and (await a.take("reader 4")).granted
    assert (await b.take("reader 5")).blocker == "overall"  # 30 in the second


async def broadcast_for_a_second(a: Replica, b: Replica) -> int:
    """Pushes from both replicas, as fast as the budget lets them, for one second."""
    pushed = 0
    for step in range(50):
        at(step / 50, a, b)
        for name, replica in (("a", a), ("b", b)):
            chat = f"subscriber {name}{step}"
            turn = await replica.take(chat, reply=False)
            if turn.granted:
                pushed += 1
                await replica.state.release(chat, turn, group=False)
    return pushed


async def test_pushes_are_spread_a_twenty_fifth_of_a_second_apart(
    replicas: tuple[Replica, Replica],
) -> None:
    a, b = replicas
    assert (await a.take("one", reply=False)).granted
    refused = await b.take("two", reply=False)
    assert (refused.granted, refused.blocker) == (False, "overall")
    assert refused.wait == pytest.approx(0.02)  # 1/25 s, half of it tolerated
    at(0.02, a, b)
    assert (await b.take("two", reply=False)).granted
    assert (await a.take("a reply", reply=True)).granted  # replies are not spread


async def test_a_chat_gets_four_at_once_then_one_a_second_one_in_flight_at_a_time(
    replicas: tuple[Replica, Replica],
) -> None:
    a, b = replicas
    first = await a.take("7")
    busy = await b.take("7")  # the other replica, while the first is in flight
    assert (busy.granted, busy.blocker) == (False, "busy")
    await a.state.release("7", first, group=False)
    for replica in (b, a, b):
        await replica.send("7")
    empty = await a.take("7")
    assert (empty.granted, empty.blocker) == (False, "chat")
    assert empty.wait == pytest.approx(1.0)
    at(1.0, a, b)
    await b.send("7")
    assert (await a.take("7")).blocker == "chat"


async def test_a_group_never_gets_more_than_twenty_in_a_minute(
    replicas: tuple[Replica, Replica],
) -> None:
    a, b = replicas
    granted: list[float] = []
    moment = 0.0
    while moment < 90.0:
        at(moment, a, b)
        while True:  # as many as it takes now, alternating replicas
            replica = a if len(granted) % 2 else b
            turn = await replica.take("-100")
            if not turn.granted:
                break
            granted.append(moment)
            await replica.state.release("-100", turn, group=True)
        moment += 0.25
    assert granted[:4] == [0.0] * 4  # the burst
    in_first_minute = [moment for moment in granted if moment < 60.0]
    assert len(in_first_minute) == 20  # 4 at once, then one per 3 s until the minute is full
    assert len(granted) > 20
    pairs = zip(granted, granted[20:], strict=False)
    assert all(later - earlier >= 60.0 for earlier, later in pairs)  # 20 in any minute


async def test_a_dead_replicas_turns_come_free_when_their_lease_ends(postgres_url: str) -> None:
    dead, alive = Replica(postgres_url, lease=5.0), Replica(postgres_url, lease=5.0)
    held = [await dead.take(f"chat {index}") for index in range(30)]  # never released
    assert (await alive.take("other")).blocker == "overall"
    assert (await alive.take("chat 0")).blocker == "overall"
    at(6.0011, dead, alive)  # lease (5 s) + the window (1 s + edge)
    retaken = await alive.take("chat 0")
    assert retaken.granted
    await dead.state.release("chat 0", held[0], group=False)  # late: changes nothing
    assert (await alive.take("chat 0")).blocker == "busy"
    await alive.state.close()
    await dead.state.close()


async def test_a_pause_heard_by_one_replica_stops_the_other(
    replicas: tuple[Replica, Replica],
) -> None:
    a, b = replicas
    assert await a.state.pause(2.0) == pytest.approx(2.0)
    at(1.0, a, b)
    refused = await b.take("reader")
    assert (refused.granted, refused.blocker) == (False, "paused")
    assert refused.wait == pytest.approx(1.0)
    assert await b.state.pause(0.5) == pytest.approx(1.0)  # a shorter one does not shorten it
    at(2.0, a, b)
    assert (await b.take("reader")).granted


async def test_idle_chats_are_forgotten_and_the_token_is_never_stored(
    replicas: tuple[Replica, Replica], postgres_url: str
) -> None:
    a, _ = replicas
    await a.send("7")
    await a.send("-100")
    busy = await a.take("8")
    at(1.5, a)
    assert await a.state.forget_idle_chats() == 1  # 7; the group's minute runs, 8 is busy
    await a.state.release("8", busy, group=False)
    at(61.0, a)
    assert await a.state.forget_idle_chats() == 2
    with psycopg.connect(postgres_url) as conn:
        rows = conn.execute("SELECT budget FROM send_budgets").fetchall()
    assert rows == [(budget_key("telegram", TOKEN),)]
    assert TOKEN not in rows[0][0] and TOKEN.split(":")[1] not in rows[0][0]
