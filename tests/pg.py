"""The tests' PostgreSQL fixtures, over the throwaway cluster of `fakes.postgres_server`.

One cluster per test session (initdb dominates start-up); one database per test, copied
from a migrated template (`CREATE DATABASE … TEMPLATE`).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator

import pytest
from fakes.postgres_server import PostgresNotInstalled, PostgresServer, find_bindir

__all__ = ["PostgresServer", "find_bindir", "postgres", "postgres_url"]

_TEMPLATE = "herald_migrated"
_databases = iter(range(1, 1_000_000))


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """The session's cluster, with a migrated template database.  Skipped, with the reason,
    only when PostgreSQL is not installed and `CI` is unset; under CI a failure."""
    try:
        bindir = find_bindir()
    except PostgresNotInstalled as missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI: {missing}", pytrace=False)
        pytest.skip(str(missing))
    server = PostgresServer(bindir)
    try:
        server.start()
        template = server.create_database(_TEMPLATE)
        asyncio.run(_migrate(template))
        yield server
    finally:
        server.stop()


async def _migrate(url: str) -> None:
    from herald.store.postgres import Database

    database = await Database.open(url)
    await database.close()


@pytest.fixture
def postgres_url(postgres: PostgresServer) -> str:
    """A fresh, migrated, empty database of its own for one test."""
    return postgres.create_database(f"test_{next(_databases)}", template=_TEMPLATE)
