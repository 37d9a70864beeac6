"""The sync lead on SQLite: always this process's, since one process serves the file
(`owner.py`) and so nobody else could sync beside it."""

from __future__ import annotations


class SoleLeader:
    """`herald.core.ports.SyncLead` for a store no other process serves."""

    async def try_lead(self) -> bool:
        return True

    async def still_leading(self) -> bool:
        return True

    async def close(self) -> None:
        return None
