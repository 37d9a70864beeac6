"""The shared store: one PostgreSQL database (`[store] url = "postgresql://…"` or
`HERALD_DATABASE_URL`), for deployments where a local file is not enough.

Every port of `herald.core.ports.Store` over one connection pool; the contract suite
(`tests/store/contract/`) runs against it as against SQLite.  Any number of `herald run`
replicas may serve one database: outbox claims are leases (`outbox.py`) and one replica
at a time leads the sync (`leader.py`).  psycopg is imported only
here, so a SQLite deployment never loads it.
"""

from __future__ import annotations

from typing import Self

from herald.limits import LEASE_SECONDS
from herald.push.pacing import ChatLimits, SendObserver
from herald.store.postgres.database import Database
from herald.store.postgres.index import PostgresContentIndex
from herald.store.postgres.leader import Leadership
from herald.store.postgres.outbox import PostgresOutbox
from herald.store.postgres.posts import PostgresPosts
from herald.store.postgres.preferences import PostgresPreferences
from herald.store.postgres.send_budget import SharedBudget
from herald.store.postgres.subscriptions import PostgresSubscriptions


class PostgresStore:
    """Every port of `herald.core.ports.Store` over one pool of connections."""

    def __init__(
        self, database: Database, *, excerpt_chars: int, lease_seconds: float = LEASE_SECONDS
    ) -> None:
        self.database = database
        self.posts = PostgresPosts(database, excerpt_chars=excerpt_chars)
        self.subscriptions = PostgresSubscriptions(database)
        self.preferences = PostgresPreferences(database)
        self.outbox = PostgresOutbox(database, lease_seconds=lease_seconds)
        self.index = PostgresContentIndex(database)
        self._budgets: list[SharedBudget] = []

    def send_budget(
        self, key: str, limits: ChatLimits, *, observer: SendObserver | None
    ) -> SharedBudget:
        """The token's budget for every replica on this database (`herald.push.budget`)."""
        database = self.database
        budget = SharedBudget.open(database.url, database.where, key, limits, observer=observer)
        self._budgets.append(budget)
        return budget

    def sync_lead(self) -> Leadership:
        """An advisory lock on a connection of its own: one leader among the replicas."""
        return Leadership(self.database.url)

    async def close(self) -> None:
        for budget in self._budgets:
            await budget.close()
        await self.database.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


async def open_store(
    location: str, *, excerpt_chars: int, lease_seconds: float = LEASE_SECONDS
) -> PostgresStore:
    database = await Database.open(location)
    return PostgresStore(database, excerpt_chars=excerpt_chars, lease_seconds=lease_seconds)


__all__ = ["Database", "PostgresStore", "open_store"]
