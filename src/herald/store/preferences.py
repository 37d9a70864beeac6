"""A reader's explicit language choice, which beats whatever their client reports."""

from __future__ import annotations

from herald.store.database import Database


class Preferences:
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
