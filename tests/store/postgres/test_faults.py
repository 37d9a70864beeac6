"""Faults that pass, on PostgreSQL: a server that goes away and comes back, a database
migrated by a newer Herald.

A server stopped under an open store makes every call `StoreUnavailable` (the one fault
the service waits out), one line naming the database without its password; once the
server is back, the same open store answers again, with no restart.  These tests have a
cluster of their own, as they stop it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import psycopg
import pytest
from fakes.postgres_server import PostgresServer, find_bindir

from herald.core.ports import Store, StoreError, StoreUnavailable
from herald.store import open_store


@pytest.fixture
def own_server(postgres: PostgresServer) -> Iterator[PostgresServer]:
    """A cluster for one test (it is stopped and started); `postgres` only for its skip."""
    server = PostgresServer(find_bindir())
    try:
        server.start()
        with psycopg.connect(server.url(), autocommit=True) as conn:
            conn.execute("ALTER ROLE postgres PASSWORD 'hunter2'")
        yield server
    finally:
        server.stop()


async def test_a_server_that_goes_away_and_comes_back(own_server: PostgresServer) -> None:
    url = own_server.create_database("herald").replace("postgres@", "postgres:hunter2@")
    store = await open_store(url, excerpt_chars=350)
    try:
        await store.subscriptions.subscribe("telegram", "1")
        own_server.halt()
        for call in (
            store.subscriptions.subscribe("telegram", "2"),
            store.posts.latest(now=0, offset=0, limit=10),
            store.outbox.claim("telegram", limit=5),
        ):
            with pytest.raises(StoreUnavailable) as caught:
                await call
            line = str(caught.value)
            assert len(line.splitlines()) == 1 and "hunter2" not in line
            assert line.startswith(f"postgresql://postgres@127.0.0.1:{own_server.port}/herald:")
        own_server.resume()
        await _until_served(store)  # the same store, no restart: the pool reconnects
        found = await store.subscriptions.get("telegram", "2")
        assert found is not None and found.active
    finally:
        await store.close()


async def _until_served(store: Store, seconds: float = 120.0) -> None:
    """Try as the service does after an outage (its pool reconnects with a backoff)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            await store.subscriptions.subscribe("telegram", "2")
            return
        except StoreUnavailable:
            assert time.monotonic() < deadline, "the store never came back"
            await asyncio.sleep(0.2)


async def test_a_database_migrated_by_a_newer_herald_is_refused(postgres_url: str) -> None:
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("INSERT INTO herald_migrations (version, name) VALUES (99, 'future')")
    with pytest.raises(StoreError) as caught:
        await open_store(postgres_url, excerpt_chars=350)
    assert "database schema v99 is newer than this Herald" in str(caught.value)
