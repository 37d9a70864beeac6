"""A shared send budget whose database goes away: turns wait, one log line, and are granted
once the server is back, on the same budget (its connection is made again).

A turn granted without the database could not be counted by the other replicas, so none
is: the reply waits as the readers' pages do.  This test has a cluster of its own, as it
stops it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator

import psycopg
import pytest
from fakes.postgres_server import PostgresServer, find_bindir

from herald.push.pacing import ChatLimits
from herald.store.postgres import Database
from herald.store.postgres.send_budget import SharedBudget

LIMITS = ChatLimits(per_second=30.0, per_chat_per_second=1.0, chat_burst=4)


@pytest.fixture
def own_server(postgres: PostgresServer) -> Iterator[PostgresServer]:
    server = PostgresServer(find_bindir())
    try:
        server.start()
        with psycopg.connect(server.url(), autocommit=True) as conn:
            conn.execute("ALTER ROLE postgres PASSWORD 'hunter2'")
        yield server
    finally:
        server.stop()


async def _reply(budget: SharedBudget, chat: str) -> None:
    async with budget.reply_slot(chat, group=False):
        pass


async def test_turns_wait_for_the_database_and_are_granted_when_it_is_back(
    own_server: PostgresServer, caplog: pytest.LogCaptureFixture
) -> None:
    url = own_server.create_database("herald").replace("postgres@", "postgres:hunter2@")
    await (await Database.open(url)).close()  # migrated
    budget = SharedBudget.open(url, "postgresql://postgres@db/herald", "key", LIMITS)
    try:
        await asyncio.wait_for(_reply(budget, "1"), 10)
        own_server.halt()
        caplog.set_level(logging.WARNING)
        waiting = asyncio.create_task(_reply(budget, "2"))
        done, _ = await asyncio.wait({waiting}, timeout=2.5)
        assert not done  # no turn without the database
        own_server.resume()
        await asyncio.wait_for(waiting, 60)
    finally:
        await budget.close()
    lines = [record.getMessage() for record in caplog.records]
    assert len(lines) == 2, lines  # unavailable, then available again
    assert lines[0].startswith("store unavailable (asking for a send's turn)")
    assert lines[1].startswith("store available again")
    assert not any("hunter2" in line for line in lines)
