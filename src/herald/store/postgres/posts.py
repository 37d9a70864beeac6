"""Read-side queries on PostgreSQL: what readers may see, newest first, by tag, or by relevance.

"Visible" is decided here and only here: not a draft (nor removed), dated no later than now.
"""

from __future__ import annotations

import base64
import hashlib
from array import array
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime

from herald.core.records import PostRecord, PostSummary, Slice
from herald.indexing.cards import render_cards_now
from herald.store.names import Lookup, slug_lookups
from herald.store.postgres.database import Database, fetch, scalar, tuples
from herald.store.postgres.search import ranked_matches
from herald.store.snippets import with_snippets

FEED_CACHE_SIZE = 64
"""Feeds (latest, and one per tag) whose order is kept in memory: 8 bytes a post each."""
_CARD = (
    "p.id, p.slug, p.link_key, p.title, p.date, p.tags, p.excerpt, p.lang, p.summary, "
    "CASE WHEN p.excerpt IS NULL THEN p.body END AS unrendered_body"
)
_VISIBLE = "p.draft = 0 AND p.date <= %(now)s"
_BY_NAME: dict[Lookup, str] = {
    "slug": "p.slug = %(key)s",
    "link_key": "p.link_key = %(key)s",
    "slug_ignoring_case": "lower(p.slug) = lower(%(key)s)",  # ASCII case, on both backends
    "alias": "p.id = (SELECT post_id FROM post_aliases WHERE alias = %(key)s)",
}


@dataclass(frozen=True, slots=True)
class CardRow:
    id: int
    slug: str
    link_key: str
    title: str
    date: int
    tags: list[str]
    excerpt: str | None
    lang: str
    summary: str | None
    unrendered_body: str | None


@dataclass(frozen=True, slots=True)
class RecordRow(CardRow):
    body: str
    path: str
    updated: int | None


def _summary(row: CardRow, excerpts: dict[int, str]) -> PostSummary:
    return PostSummary(
        id=row.id,
        slug=row.slug,
        link_key=row.link_key,
        title=row.title,
        date=datetime.fromtimestamp(row.date, UTC),
        tags=tuple(row.tags),
        excerpt=row.excerpt if row.excerpt is not None else excerpts[row.id],
        lang=row.lang,
    )


async def _unrendered(rows: list[CardRow], excerpt_chars: int) -> dict[int, str]:
    """The excerpts these rows do not have yet, rendered now in the parse pool."""
    cards = [
        (row.id, (row.summary, row.unrendered_body or "", row.lang))
        for row in rows
        if row.excerpt is None
    ]
    return await render_cards_now(cards, excerpt_chars)


class PostgresPosts:
    """`herald.core.ports.Posts` on PostgreSQL."""

    def __init__(self, database: Database, *, excerpt_chars: int) -> None:
        self._database = database
        self._excerpt_chars = excerpt_chars
        self._saved: set[str] = set()
        self._feeds: OrderedDict[str, tuple[int, int, array[int]]] = OrderedDict()

    async def latest(self, *, now: int, offset: int, limit: int) -> Slice:
        ids = await self._ordered("", now)
        return Slice(len(ids), await self._by_ids(list(ids[offset : offset + limit]), now))

    async def by_tag(self, tag: str, *, now: int, offset: int, limit: int) -> Slice:
        ids = await self._ordered(tag.casefold(), now)
        return Slice(len(ids), await self._by_ids(list(ids[offset : offset + limit]), now))

    async def _ordered(self, key: str, now: int) -> array[int]:
        """Ids of a feed (everything, or one tag), newest first, cached until any process
        changes what readers see (`feed_version`) or a scheduled post's time comes: paging
        is then a slice, page 20,000 costs what page 1 does."""
        version = await self._database.feed_version()
        cached = self._feeds.get(key)
        if cached is not None and cached[0] == version and now < cached[1]:
            self._feeds.move_to_end(key)
            return cached[2]
        if key:
            sql = (
                "SELECT p.id FROM post_tags t JOIN posts p ON p.id = t.post_id "
                f"WHERE t.tag_key = %(key)s AND {_VISIBLE} ORDER BY p.date DESC, p.id DESC"
            )
        else:
            sql = f"SELECT p.id FROM posts p WHERE {_VISIBLE} ORDER BY p.date DESC, p.id DESC"
        async with self._database.connection() as conn:
            cursor = await conn.execute(sql, {"key": key, "now": now})
            ids = array("q", (row[0] for row in await cursor.fetchall()))
            upcoming = await scalar(
                conn, "SELECT min(date) FROM posts WHERE draft = 0 AND date > %s", (now,)
            )
        valid_until = int(upcoming) if upcoming is not None else 2**62
        self._feeds[key] = (version, valid_until, ids)
        while len(self._feeds) > FEED_CACHE_SIZE:
            self._feeds.popitem(last=False)
        return ids

    async def _by_ids(self, ids: list[int], now: int) -> list[PostSummary]:
        """Summaries of `ids`, in that order, by primary key."""
        if not ids:
            return []
        async with self._database.connection() as conn:
            rows = await fetch(
                conn,
                CardRow,
                f"SELECT {_CARD} FROM posts p WHERE p.id = ANY(%(ids)s) AND {_VISIBLE}",
                {"ids": ids, "now": now},
            )
        excerpts = await _unrendered(rows, self._excerpt_chars)
        by_id = {row.id: _summary(row, excerpts) for row in rows}
        return [by_id[i] for i in ids if i in by_id]

    async def search(self, query: str, *, now: int, offset: int, limit: int) -> Slice | None:
        async with self._database.connection() as conn:
            ranked = await ranked_matches(conn, query, offset=offset, limit=limit)
        if ranked is None:
            return None
        total, ids = ranked
        return Slice(total, await with_snippets(query, await self._by_ids(ids, now), self._bodies))

    async def _bodies(self, ids: list[int]) -> dict[int, str]:
        async with self._database.connection() as conn:
            rows = await tuples(conn, "SELECT id, body FROM posts WHERE id = ANY(%s)", (ids,))
        return {row[0]: row[1] for row in rows}

    async def tags(self, *, now: int) -> list[tuple[str, int]]:
        async with self._database.connection() as conn:
            rows = await tuples(
                conn,
                'SELECT min(t.tag COLLATE "C"), count(*) AS n FROM post_tags t '
                f"JOIN posts p ON p.id = t.post_id WHERE {_VISIBLE} "
                'GROUP BY t.tag_key ORDER BY n DESC, t.tag_key COLLATE "C"',  # as SQLite: bytes
                {"now": now},
            )
        return [(row[0], row[1]) for row in rows]

    async def get(self, post_id: int, *, now: int) -> PostRecord | None:
        return await self._record("p.id = %(key)s", post_id, now)

    async def by_slug(self, slug: str, *, now: int) -> PostRecord | None:
        """By every name a post answers to, in `herald.store.names.slug_lookups`' order."""
        for lookup, key in slug_lookups(slug):
            found = await self._record(_BY_NAME[lookup], key, now)
            if found is not None:
                return found
        return None

    async def _record(self, where: str, key: object, now: int) -> PostRecord | None:
        async with self._database.connection() as conn:
            rows = await fetch(
                conn,
                RecordRow,
                f"SELECT {_CARD}, p.body, p.path, p.updated FROM posts p "
                f"WHERE {where} AND {_VISIBLE} ORDER BY p.id LIMIT 1",
                {"key": key, "now": now},
            )
        if not rows:
            return None
        row = rows[0]
        updated = datetime.fromtimestamp(row.updated, UTC) if row.updated else None
        summary = _summary(row, await _unrendered([row], self._excerpt_chars))
        return PostRecord(summary, row.body, row.path, updated)

    async def tag_for_ref(self, ref: str) -> str | None:
        async with self._database.connection() as conn:
            tag = await scalar(conn, "SELECT tag FROM post_tags WHERE tag_ref = %s LIMIT 1", (ref,))
        if tag is not None:
            return str(tag)
        return await self._stored_query(ref, "tag")  # buttons made before tag refs

    async def save_query(self, text: str) -> str:
        """A short stable key for a search, so a button can refer to it in 64 bytes."""
        kind = "search"
        digest = hashlib.sha256(f"{kind}\0{text}".encode()).digest()
        key = base64.b32encode(digest).decode("ascii")[:10].lower()
        if key in self._saved:  # searching must not cost a write every time
            return key
        async with self._database.transaction() as conn:
            await conn.execute(
                "INSERT INTO saved_queries (key, kind, text) VALUES (%s, %s, %s) "
                "ON CONFLICT (key) DO NOTHING",
                (key, kind, text),
            )
        self._saved.add(key)
        return key

    async def load_query(self, key: str) -> str | None:
        return await self._stored_query(key, "search")

    async def _stored_query(self, key: str, kind: str) -> str | None:
        async with self._database.connection() as conn:
            text = await scalar(
                conn, "SELECT text FROM saved_queries WHERE key = %s AND kind = %s", (key, kind)
            )
        return None if text is None else str(text)
