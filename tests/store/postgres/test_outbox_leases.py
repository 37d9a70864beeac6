"""Several replicas on one database share the outbox: SKIP LOCKED claims, expiring leases.

Each replica is a store opened on its own (its own pool and claimer id), as a process
would open it; the server is real.  Whatever the interleaving, no entry is claimed twice
while its claim stands; a replica that dies mid-send leaves exactly its in-flight entries,
which another replica takes back once their lease has run out, and the dead one's late
report changes nothing.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from herald.core.records import Delivery
from herald.indexing.sync import sync
from herald.store.postgres import PostgresStore, open_store
from tests.conftest import WritePost

NOW = 1_900_000_000
LATER = 2**40
CHATS = 400


async def _replica(url: str, *, lease: float = 120.0) -> PostgresStore:
    store = await open_store(url, excerpt_chars=350)
    store.outbox.lease_seconds = lease
    return store


@pytest.fixture
async def broadcast(postgres_url: str, content_dir: Path, write_post: WritePost) -> str:
    """One new post for CHATS subscribers: CHATS pending deliveries."""
    store = await _replica(postgres_url)
    try:
        write_post("old.md", "x", title="Old", date="2025-01-01")
        await sync(store.index, content_dir, excerpt_chars=350, now=NOW)
        for chat in range(CHATS):
            await store.subscriptions.subscribe("telegram", str(chat))
        write_post("new.md", "x", title="New", date="2025-01-02")
        await sync(store.index, content_dir, excerpt_chars=350, now=NOW)
        assert (await store.outbox.stats()).counts["pending"] == CHATS
    finally:
        await store.close()
    return postgres_url


async def test_replicas_claiming_at_once_never_take_the_same_entry(broadcast: str) -> None:
    replicas = [await _replica(broadcast) for _ in range(4)]
    claimed: list[list[int]] = [[] for _ in replicas]

    async def drain(index: int) -> None:
        outbox = replicas[index].outbox
        while batch := await outbox.claim("telegram", limit=16, now=LATER):
            claimed[index] += [delivery.id for delivery in batch]
            await asyncio.gather(*(outbox.mark_sent(delivery.id) for delivery in batch))

    try:
        await asyncio.gather(*(drain(index) for index in range(len(replicas))))
        every = [entry for mine in claimed for entry in mine]
        assert len(every) == len(set(every)) == CHATS
        assert sum(1 for mine in claimed if mine) >= 2  # they really did share the work
        assert (await replicas[0].outbox.stats()).counts["sent"] == CHATS
    finally:
        for replica in replicas:
            await replica.close()


async def _claim_until(
    store: PostgresStore, wanted: set[int], *, seconds: float = 60.0
) -> list[Delivery]:
    """Claim again and again until the entries wanted come back (their lease runs out by
    the server's clock: nothing to wait on but the clock itself)."""
    got: list[Delivery] = []
    deadline = time.monotonic() + seconds
    while {delivery.id for delivery in got} < wanted:
        assert time.monotonic() < deadline, "the expired entries never came back"
        got += await store.outbox.claim("telegram", limit=CHATS, now=LATER)
        await asyncio.sleep(0.05)
    return got


async def test_a_dead_replicas_entries_go_to_another_once_its_lease_runs_out(
    broadcast: str,
) -> None:
    dead = await _replica(broadcast)
    alive = await _replica(broadcast)
    try:
        in_flight = await dead.outbox.claim("telegram", limit=10, now=LATER)
        rest = await alive.outbox.claim("telegram", limit=CHATS, now=LATER)
        assert len(rest) == CHATS - 10  # while the lease stands, nobody else takes them
        assert not {d.id for d in in_flight} & {d.id for d in rest}
        dead.outbox.lease_seconds = 1.0
        assert await dead.outbox.renew_leases() == 10  # its last heartbeat, then it dies
        taken_back = await _claim_until(alive, {d.id for d in in_flight})
        assert {d.id for d in taken_back} == {d.id for d in in_flight}  # exactly those
        # The dead one wakes up late: its outcome no longer applies to entries it lost.
        await dead.outbox.retry_later(in_flight[0], "timeout", delay=None)
        await dead.outbox.skip(in_flight[1].id, "post is gone")
        counts = (await alive.outbox.stats()).counts
        assert (counts["sending"], counts["failed"], counts["dropped"]) == (CHATS, 0, 0)
        for delivery in [*rest, *taken_back]:
            await alive.outbox.mark_sent(delivery.id)
        assert (await alive.outbox.stats()).counts["sent"] == CHATS
    finally:
        await dead.close()
        await alive.close()


async def test_a_replica_at_work_keeps_its_claims_by_renewing_them(broadcast: str) -> None:
    worker = await _replica(broadcast, lease=30.0)
    try:
        claimed = await worker.outbox.claim("telegram", limit=5, now=LATER)
        first = await _leases(worker, claimed)
        assert await worker.outbox.renew_leases() == 5
        renewed = await _leases(worker, claimed)
        assert all(renewed[entry] > first[entry] for entry in first)
        await worker.outbox.claim("telegram", limit=1, now=LATER)  # a claim renews them too
        assert all(later > renewed[e] for e, later in (await _leases(worker, claimed)).items())
    finally:
        await worker.close()


async def _leases(store: PostgresStore, deliveries: list[Delivery]) -> dict[int, float]:
    async with store.database.connection() as conn:
        cursor = await conn.execute(
            "SELECT id, claimed_until FROM outbox WHERE id = ANY(%s) AND claimed_by = %s",
            ([d.id for d in deliveries], store.outbox.claimer),
        )
        return {row[0]: row[1] for row in await cursor.fetchall()}
