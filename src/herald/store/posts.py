"""Read-side queries: what readers may see, newest first, by tag, or by relevance.

"Visible" is decided here and only here: not a draft, and dated no later than now.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

import aiosqlite

from herald.store.cjk import match_expression
from herald.store.database import Database

_VISIBLE = "p.draft = 0 AND p.date <= :now"
RANKED_CANDIDATES = 2000
_SUMMARY_COLUMNS = "p.id, p.slug, p.link_key, p.title, p.date, p.tags, p.excerpt, p.lang"


@dataclass(frozen=True, slots=True)
class PostSummary:
    id: int
    slug: str
    link_key: str
    title: str
    date: datetime
    tags: tuple[str, ...]
    excerpt: str
    lang: str


@dataclass(frozen=True, slots=True)
class PostRecord:
    summary: PostSummary
    body: str
    path: str
    updated: datetime | None


@dataclass(frozen=True, slots=True)
class Slice:
    """One page of results and how many there are in all."""

    total: int
    items: list[PostSummary]


def _summary(row: aiosqlite.Row) -> PostSummary:
    return PostSummary(
        id=row["id"],
        slug=row["slug"],
        link_key=row["link_key"],
        title=row["title"],
        date=datetime.fromtimestamp(row["date"], UTC),
        tags=tuple(json.loads(row["tags"])),
        excerpt=row["excerpt"],
        lang=row["lang"],
    )


class PostQueries:
    def __init__(self, database: Database) -> None:
        self._database = database
        self._db = database.connection
        self._saved: set[str] = set()

    async def latest(self, *, now: int, offset: int, limit: int) -> Slice:
        total = await self._scalar(f"SELECT count(*) FROM posts p WHERE {_VISIBLE}", {"now": now})
        rows = await self._rows(
            f"SELECT {_SUMMARY_COLUMNS} FROM posts p WHERE {_VISIBLE} "
            "ORDER BY p.date DESC, p.id DESC LIMIT :limit OFFSET :offset",
            {"now": now, "limit": limit, "offset": offset},
        )
        return Slice(total, [_summary(r) for r in rows])

    async def by_tag(self, tag: str, *, now: int, offset: int, limit: int) -> Slice:
        params = {"now": now, "tag": tag.casefold(), "limit": limit, "offset": offset}
        join = "FROM posts p JOIN post_tags t ON t.post_id = p.id WHERE t.tag_key = :tag AND "
        total = await self._scalar(f"SELECT count(*) {join}{_VISIBLE}", params)
        rows = await self._rows(
            f"SELECT {_SUMMARY_COLUMNS} {join}{_VISIBLE} "
            "ORDER BY p.date DESC, p.id DESC LIMIT :limit OFFSET :offset",
            params,
        )
        return Slice(total, [_summary(r) for r in rows])

    async def search(self, query: str, *, now: int, offset: int, limit: int) -> Slice | None:
        """Ranked by weighted BM25 (title > tags > body); None when nothing is searchable.

        The index holds only published posts, so no join decides visibility.  Ranking every
        match of a word found in most posts costs ~100 ms at 100k posts, so when there are
        more than RANKED_CANDIDATES matches, the most recently added that many are ranked
        (a rowid range FTS5 walks cheaply) and the result is capped to them.
        """
        expression = match_expression(query)
        if expression is None:
            return None
        params: dict[str, object] = {
            "match": expression,
            "now": now,
            "limit": limit,
            "offset": offset,
            "floor": 0,
        }
        total = await self._scalar(
            "SELECT count(*) FROM posts_fts WHERE posts_fts MATCH :match", params
        )
        if total > RANKED_CANDIDATES:
            params["cap"] = RANKED_CANDIDATES - 1
            params["floor"] = await self._scalar(
                "SELECT rowid FROM posts_fts WHERE posts_fts MATCH :match "
                "ORDER BY rowid DESC LIMIT 1 OFFSET :cap",
                params,
            )
            total = RANKED_CANDIDATES
        rows = await self._rows(
            f"SELECT {_SUMMARY_COLUMNS} FROM ("
            "  SELECT rowid, rank FROM posts_fts WHERE posts_fts MATCH :match "
            "  AND rowid >= :floor ORDER BY rank LIMIT :limit OFFSET :offset"
            f") f CROSS JOIN posts p ON p.id = f.rowid WHERE {_VISIBLE} ORDER BY f.rank",
            params,
        )
        return Slice(total, [_summary(r) for r in rows])

    async def tags(self, *, now: int) -> list[tuple[str, int]]:
        """Every tag with its number of visible posts, most used first."""
        rows = await self._rows(
            "SELECT min(t.tag) AS tag, count(*) AS n FROM post_tags t "
            f"JOIN posts p ON p.id = t.post_id WHERE {_VISIBLE} "
            "GROUP BY t.tag_key ORDER BY n DESC, t.tag_key",
            {"now": now},
        )
        return [(row["tag"], row["n"]) for row in rows]

    async def get(self, post_id: int, *, now: int) -> PostRecord | None:
        return await self._record("p.id = :key", post_id, now)

    async def by_slug(self, slug: str, *, now: int) -> PostRecord | None:
        found = await self._record("p.slug = :key", slug, now)
        if found is None:
            found = await self._record("p.link_key = :key", slug, now)
        if found is None:  # slugs are matched case-insensitively as a courtesy
            found = await self._record("lower(p.slug) = lower(:key)", slug, now)
        return found

    async def _record(self, where: str, key: object, now: int) -> PostRecord | None:
        rows = await self._rows(
            f"SELECT {_SUMMARY_COLUMNS}, p.body, p.path, p.updated FROM posts p "
            f"WHERE {where} AND {_VISIBLE} LIMIT 1",
            {"key": key, "now": now},
        )
        if not rows:
            return None
        row = rows[0]
        updated = datetime.fromtimestamp(row["updated"], UTC) if row["updated"] else None
        return PostRecord(_summary(row), row["body"], row["path"], updated)

    async def save_query(self, kind: str, text: str) -> str:
        """A short stable key for a query or tag, so a button can refer to it in 64 bytes."""
        digest = hashlib.sha256(f"{kind}\0{text}".encode()).digest()
        key = base64.b32encode(digest).decode("ascii")[:10].lower()
        if key in self._saved:  # searching must not cost a write every time
            return key
        self._saved.add(key)
        async with self._database.transaction() as db:
            await db.execute(
                "INSERT OR IGNORE INTO saved_queries (key, kind, text) VALUES (?, ?, ?)",
                (key, kind, text),
            )
        return key

    async def load_query(self, key: str, kind: str) -> str | None:
        rows = await self._rows(
            "SELECT text FROM saved_queries WHERE key = :key AND kind = :kind",
            {"key": key, "kind": kind},
        )
        return rows[0]["text"] if rows else None

    async def _scalar(self, sql: str, params: dict[str, object]) -> int:
        async with self._db.execute(sql, params) as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def _rows(self, sql: str, params: dict[str, object]) -> list[aiosqlite.Row]:
        async with self._db.execute(sql, params) as cursor:
            return list(await cursor.fetchall())
