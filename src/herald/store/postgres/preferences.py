"""Choices that outlive a process: a reader's language, the list a chat was shown last.

Not cached in the process (SQLite's backend caches languages): on PostgreSQL several
processes may serve one store, and a primary-key lookup costs a fraction of a millisecond.
"""

from __future__ import annotations

from herald.store.postgres.database import Database, scalar


class PostgresPreferences:
    """`herald.core.ports.Preferences` on PostgreSQL."""

    def __init__(self, database: Database) -> None:
        self._database = database

    async def language(self, platform: str, user_id: str) -> str | None:
        async with self._database.connection() as conn:
            found = await scalar(
                conn,
                "SELECT language FROM preferences WHERE platform = %s AND user_id = %s",
                (platform, user_id),
            )
        return None if found is None else str(found)

    async def set_language(self, platform: str, user_id: str, language: str) -> None:
        async with self._database.transaction() as conn:
            await conn.execute(
                "INSERT INTO preferences (platform, user_id, language) VALUES (%s, %s, %s) "
                "ON CONFLICT (platform, user_id) DO UPDATE SET language = excluded.language",
                (platform, user_id, language),
            )

    async def reading_list(self, platform: str, chat_id: str) -> str | None:
        async with self._database.connection() as conn:
            found = await scalar(
                conn,
                "SELECT payload FROM reading_lists WHERE platform = %s AND chat_id = %s",
                (platform, chat_id),
            )
        return None if found is None else str(found)

    async def set_reading_list(self, platform: str, chat_id: str, payload: str) -> None:
        async with self._database.transaction() as conn:
            await conn.execute(
                "INSERT INTO reading_lists (platform, chat_id, payload) VALUES (%s, %s, %s) "
                "ON CONFLICT (platform, chat_id) DO UPDATE SET payload = excluded.payload",
                (platform, chat_id, payload),
            )
