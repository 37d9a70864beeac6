"""Read-side queries: what readers may see, newest first, by tag, or by relevance.

"Visible" is decided here and only here: not a draft, and dated no later than now.
"""

from __future__ import annotations

import base64
import hashlib
import json
from array import array
from collections import OrderedDict
from collections.abc import Sequence
from datetime import UTC, datetime

import aiosqlite

from herald.core.records import PostRecord, PostSummary, Slice
from herald.indexing.cards import render_cards_now
from herald.store.names import Lookup, slug_lookups
from herald.store.snippets import with_snippets
from herald.store.sqlite.database import Database
from herald.store.sqlite.search import ranked_matches

_VISIBLE = "p.draft = 0 AND p.date <= :now"
_VISIBLE_ROW = "+p.draft = 0 AND +p.date <= :now"
"""The same test for a post found by key: `+` keeps SQLite from scanning the date index
instead of using the primary key (10 ms instead of 0.1 ms at 100k posts)."""
FEED_CACHE_SIZE = 64
"""Feeds (latest, and one per tag) whose order is kept in memory: 8 bytes a post each."""
_SUMMARY_COLUMNS = (
    "p.id, p.slug, p.link_key, p.title, p.date, p.tags, p.excerpt, p.lang, p.summary, "
    "CASE WHEN p.excerpt IS NULL THEN p.body END AS unrendered_body"
)
"""A card's columns; the body only comes along when its excerpt is not rendered yet."""
_BY_NAME: dict[Lookup, str] = {
    "slug": "p.slug = :key",
    "link_key": "p.link_key = :key",
    "slug_ignoring_case": "lower(p.slug) = lower(:key)",  # ASCII case, on both backends
    "alias": "p.id = (SELECT post_id FROM post_aliases WHERE alias = :key)",
}


def _summary(row: aiosqlite.Row, excerpts: dict[int, str]) -> PostSummary:
    excerpt = row["excerpt"]
    if excerpt is None:  # a large sync stored it first (herald.indexing.excerpts)
        excerpt = excerpts[row["id"]]
    return PostSummary(
        id=row["id"],
        slug=row["slug"],
        link_key=row["link_key"],
        title=row["title"],
        date=datetime.fromtimestamp(row["date"], UTC),
        tags=tuple(json.loads(row["tags"])),
        excerpt=excerpt,
        lang=row["lang"],
    )


async def _unrendered(rows: list[aiosqlite.Row], excerpt_chars: int) -> dict[int, str]:
    """The excerpts these rows do not have yet, rendered now, in the parse pool (never on
    the event loop: one hostile post must not stall every reader)."""
    cards = [
        (row["id"], (row["summary"], row["unrendered_body"], row["lang"]))
        for row in rows
        if row["excerpt"] is None
    ]
    return await render_cards_now(cards, excerpt_chars)


class SqlitePosts:
    """`herald.core.ports.Posts` on SQLite."""

    def __init__(self, database: Database, *, excerpt_chars: int) -> None:
        self._database = database
        self._excerpt_chars = excerpt_chars
        self._db = database.connection
        self._saved: set[str] = set()
        self._feeds: OrderedDict[str, tuple[tuple[int, int], int, array[int]]] = OrderedDict()

    async def latest(self, *, now: int, offset: int, limit: int) -> Slice:
        ids = await self._ordered("", (), now)
        return Slice(len(ids), await self._by_ids(list(ids[offset : offset + limit]), now))

    async def by_tag(self, tag: str, *, now: int, offset: int, limit: int) -> Slice:
        ids = await self._ordered(tag.casefold(), (tag.casefold(),), now)
        return Slice(len(ids), await self._by_ids(list(ids[offset : offset + limit]), now))

    async def _ordered(self, key: str, args: tuple[object, ...], now: int) -> array[int]:
        """Ids of a feed (everything, or one tag), newest first, cached until anything
        changes or a scheduled post's time comes.  Paging is then a slice: page 20,000 of
        100k posts costs what page 1 does, where OFFSET would walk the whole index."""
        version = await self._database.version()
        cached = self._feeds.get(key)
        if cached is not None and cached[0] == version and now < cached[1]:
            self._feeds.move_to_end(key)
            return cached[2]
        if key:
            sql = (
                "SELECT p.id FROM post_tags t JOIN posts p ON p.id = t.post_id "
                f"WHERE t.tag_key = ? AND {_VISIBLE_ROW.replace(':now', '?')} "
                "ORDER BY p.date DESC, p.id DESC"
            )
        else:
            sql = (
                f"SELECT p.id FROM posts p WHERE {_VISIBLE.replace(':now', '?')} "
                "ORDER BY p.date DESC, p.id DESC"
            )
        async with self._db.execute(sql, (*args, now)) as cursor:
            ids = array("q", (row[0] for row in await cursor.fetchall()))
        async with self._db.execute(
            "SELECT min(date) FROM posts WHERE draft = 0 AND date > ?", (now,)
        ) as cursor:
            row = await cursor.fetchone()
        valid_until = int(row[0]) if row and row[0] is not None else 2**62
        self._feeds[key] = (version, valid_until, ids)
        while len(self._feeds) > FEED_CACHE_SIZE:
            self._feeds.popitem(last=False)
        return ids

    async def _by_ids(self, ids: list[int], now: int) -> list[PostSummary]:
        """Summaries of `ids`, in that order, by primary key."""
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = await self._rows(
            f"SELECT {_SUMMARY_COLUMNS} FROM posts p WHERE p.id IN ({marks}) "
            "AND +p.draft = 0 AND +p.date <= ?",
            [*ids, now],
        )
        excerpts = await _unrendered(rows, self._excerpt_chars)
        by_id = {row["id"]: _summary(row, excerpts) for row in rows}
        return [by_id[i] for i in ids if i in by_id]

    async def search(self, query: str, *, now: int, offset: int, limit: int) -> Slice | None:
        ranked = await ranked_matches(self._db, query, offset=offset, limit=limit)
        if ranked is None:
            return None
        total, ids = ranked
        return Slice(total, await with_snippets(query, await self._by_ids(ids, now), self._bodies))

    async def _bodies(self, ids: list[int]) -> dict[int, str]:
        marks = ",".join("?" * len(ids))
        rows = await self._rows(f"SELECT id, body FROM posts WHERE id IN ({marks})", ids)
        return {row["id"]: row["body"] for row in rows}

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
        """By every name a post answers to, in `herald.store.names.slug_lookups`' order."""
        for lookup, key in slug_lookups(slug):
            found = await self._record(_BY_NAME[lookup], key, now)
            if found is not None:
                return found
        return None

    async def _record(self, where: str, key: object, now: int) -> PostRecord | None:
        rows = await self._rows(
            f"SELECT {_SUMMARY_COLUMNS}, p.body, p.path, p.updated FROM posts p "
            f"WHERE {where} AND {_VISIBLE_ROW} LIMIT 1",
            {"key": key, "now": now},
        )
        if not rows:
            return None
        row = rows[0]
        updated = datetime.fromtimestamp(row["updated"], UTC) if row["updated"] else None
        summary = _summary(row, await _unrendered(rows[:1], self._excerpt_chars))
        return PostRecord(summary, row["body"], row["path"], updated)

    async def tag_for_ref(self, ref: str) -> str | None:
        rows = await self._rows(
            "SELECT tag FROM post_tags WHERE tag_ref = :ref LIMIT 1", {"ref": ref}
        )
        if rows:
            return str(rows[0]["tag"])
        # Buttons made before tag refs named a tag by a saved query.
        return await self._stored_query(ref, "tag")

    async def save_query(self, text: str) -> str:
        """A short stable key for a search, so a button can refer to it in 64 bytes."""
        kind = "search"
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

    async def load_query(self, key: str) -> str | None:
        return await self._stored_query(key, "search")

    async def _stored_query(self, key: str, kind: str) -> str | None:
        rows = await self._rows(
            "SELECT text FROM saved_queries WHERE key = :key AND kind = :kind",
            {"key": key, "kind": kind},
        )
        return rows[0]["text"] if rows else None

    async def _rows(
        self, sql: str, params: dict[str, object] | Sequence[object]
    ) -> list[aiosqlite.Row]:
        async with self._db.execute(sql, params) as cursor:
            return list(await cursor.fetchall())
