"""Choices that outlive a process: a reader's language, the list a chat was shown last.

The language a reader chose beats whatever their client reports; the list lets `/read <n>`
count in what that chat saw, on whichever replica answers.
"""

from __future__ import annotations

from herald.store.sqlite.database import Database


class SqlitePreferences:
    """`herald.core.ports.Preferences` on SQLite."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self._db = database.connection
        self._cache: dict[tuple[str, str], str | None] = {}

    async def language(self, platform: str, user_id: str) -> str | None:
        key = (platform, user_id)
        if key not in self._cache:
            async with self._db.execute(
                "SELECT language FROM preferences WHERE platform = ? AND user_id = ?", key
            ) as cursor:
                row = await cursor.fetchone()
            self._cache[key] = row[0] if row else None
        return self._cache[key]

    async def set_language(self, platform: str, user_id: str, language: str) -> None:
        async with self._database.transaction() as db:
            await db.execute(
                "INSERT INTO preferences (platform, user_id, language) VALUES (?, ?, ?) "
                "ON CONFLICT (platform, user_id) DO UPDATE SET language = excluded.language",
                (platform, user_id, language),
            )
        self._cache[(platform, user_id)] = language

    async def reading_list(self, platform: str, chat_id: str) -> str | None:
        async with self._db.execute(
            "SELECT payload FROM reading_lists WHERE platform = ? AND chat_id = ?",
            (platform, chat_id),
        ) as cursor:
            row = await cursor.fetchone()
        return str(row[0]) if row else None

    async def set_reading_list(self, platform: str, chat_id: str, payload: str) -> None:
        async with self._database.transaction() as db:
            await db.execute(
                "INSERT INTO reading_lists (platform, chat_id, payload) VALUES (?, ?, ?) "
                "ON CONFLICT (platform, chat_id) DO UPDATE SET payload = excluded.payload",
                (platform, chat_id, payload),
            )
