"""`herald migrate`: copy a SQLite store into an empty PostgreSQL one, all of it.

Posts (tombstones included, so removed posts keep their ids and are never announced
again), their tags, aliases, the sources with their hashes (the next sync reads only what
changed), saved queries, subscriptions with their options, preferences, reading lists,
the outbox with every state and the store's own notes (`meta`: the first sync, the
highest id given out).  Ids are kept, so buttons and deep links already sent keep opening
the same post.  The search index is made from the text SQLite indexed (its FTS5 table
stores it), not by parsing the files again.

The copy is one transaction on PostgreSQL: a copy that fails leaves the target empty.  The
source is only read (it is migrated to this Herald's schema first, as opening it would);
an entry in flight (`sending`) is copied as pending, as a restart would recover it.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiosqlite

from herald.core.actions import tag_ref
from herald.core.ports import StoreError
from herald.store import backend_of, sqlite_path
from herald.store.postgres.database import Connection, Database, scalar
from herald.store.postgres.lexemes import SEARCH_VECTORS, search_rows
from herald.store.sqlite.database import Database as SqliteDatabase

Row = tuple[Any, ...]
Convert = Callable[[Row], Row | list[Row]]
"""A source row as the target's row, or rows (a long post's search parts)."""
_BATCH = 2000


def _json_list(text: str | None) -> list[str]:
    found = json.loads(text) if text else []
    return [str(item) for item in found] if isinstance(found, list) else []


def _post(row: Row) -> Row:
    return (*row[:7], _json_list(row[7]), *row[8:])


def _tag(row: Row) -> Row:
    return (*row[:3], row[3] if row[3] is not None else tag_ref(row[1]))


def _subscription(row: Row) -> Row:
    id_, platform, chat_id, topic, tags, language, active, created_at, silent, mode, preview = row
    return (
        id_,
        platform,
        chat_id,
        topic,
        _json_list(tags),
        language,
        bool(active),
        created_at,
        bool(silent),
        mode,
        bool(preview),
    )


def _outbox(row: Row) -> Row:
    state = "pending" if row[4] == "sending" else row[4]  # as a restart would recover it
    return (*row[:4], state, *row[5:7], None if row[4] == "sending" else row[7], *row[8:])


def _search(row: Row) -> list[Row]:
    return list(search_rows(row[0], row[1], (row[2], row[3], row[4])))


@dataclass(frozen=True, slots=True)
class _Table:
    name: str
    columns: str
    source: str | None = None
    """The SELECT on SQLite, when it is not the same columns of the same table."""
    convert: Convert | None = None


TABLES: Sequence[_Table] = (
    _Table("sources", "path, size, mtime_ns, sha256, error, warning"),
    _Table(
        "posts",
        "id, path, slug, link_key, title, date, updated, tags, summary, excerpt, lang, "
        "draft, body, published_at, revision",
        convert=_post,
    ),
    _Table("post_tags", "post_id, tag, tag_key, tag_ref", convert=_tag),
    _Table("post_aliases", "alias, post_id"),
    _Table(
        "search_words",  # a staging table: the vectors are made by the server (`_index`)
        "id, part, date, title, tags, body",
        source="SELECT f.rowid, p.date, f.title, f.tags, f.body FROM posts_fts f "
        "JOIN posts p ON p.id = f.rowid",
        convert=_search,
    ),
    _Table("saved_queries", "key, kind, text"),
    _Table(
        "subscriptions",
        "id, platform, chat_id, topic, tags, language, active, created_at, silent, "
        "send_mode, link_preview",
        convert=_subscription,
    ),
    _Table(
        "outbox",
        "id, post_id, subscription_id, revision, state, attempts, not_before, claimed_at, "
        "sent_at, last_error, created_at",
        convert=_outbox,
    ),
    _Table("preferences", "platform, user_id, language"),
    _Table("reading_lists", "platform, chat_id, payload"),
    _Table("meta", "key, value"),
)
_IDENTITIES = ("subscriptions", "outbox")
"""Tables whose ids PostgreSQL gives out: they continue after the copied ones."""


async def _rows(db: aiosqlite.Connection, sql: str) -> AsyncIterator[list[Row]]:
    async with db.execute(sql) as cursor:
        while batch := await cursor.fetchmany(_BATCH):
            yield [tuple(row) for row in batch]


async def copy_store(source: str, target: str) -> dict[str, int]:
    """Copy the SQLite store `source` names into the empty PostgreSQL `target`; how many
    rows each table received."""
    if backend_of(source) != "sqlite" or backend_of(target) != "postgres":
        raise StoreError(
            "herald migrate copies a SQLite store into PostgreSQL: "
            "--from sqlite:///herald.db --to postgresql://user@host/database"
        )
    path = sqlite_path(source)
    if not path.is_file():
        raise StoreError(f"{path}: no SQLite store there to copy")
    sqlite = await SqliteDatabase.open(Path(path))
    try:
        postgres = await Database.open(target)
        try:
            return await postgres.run(lambda conn: _copy(sqlite.connection, conn, postgres.where))
        finally:
            await postgres.close()
    finally:
        await sqlite.close()


async def _copy(db: aiosqlite.Connection, conn: Connection, where: str) -> dict[str, int]:
    if await scalar(
        conn,
        "SELECT EXISTS (SELECT 1 FROM posts) OR EXISTS (SELECT 1 FROM subscriptions) "
        "OR EXISTS (SELECT 1 FROM outbox) OR EXISTS (SELECT 1 FROM preferences)",
    ):
        raise StoreError(f"{where}: not empty; herald migrate copies into an empty database")
    await conn.execute("DELETE FROM meta")
    await conn.execute(
        "CREATE TEMPORARY TABLE search_words (id bigint, part integer, date bigint, "
        "title text, tags text, body text) ON COMMIT DROP"
    )
    copied: dict[str, int] = {}
    for table in TABLES:
        count = 0
        async with conn.cursor() as cursor:
            copy_sql = f"COPY {table.name} ({table.columns}) FROM STDIN"
            async with cursor.copy(copy_sql.encode()) as copy:
                select = table.source or f"SELECT {table.columns} FROM {table.name}"
                async for batch in _rows(db, select):
                    for row in batch:
                        made = table.convert(row) if table.convert else row
                        for out in made if isinstance(made, list) else [made]:
                            await copy.write_row(out)
                            count += 1
        copied[table.name] = count
    await conn.execute(
        ("INSERT INTO post_search (post_id, part, date, tt, tsv) " + SEARCH_VECTORS).format(
            rows="search_words"
        )
    )
    copied["post_search"] = copied.pop("search_words")
    for name in _IDENTITIES:
        await conn.execute(
            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
            f"coalesce((SELECT max(id) FROM {name}), 0) + 1, false)".encode()
        )
    await conn.execute("UPDATE feed_version SET n = n + 1")
    await conn.execute("ANALYZE posts; ANALYZE post_tags; ANALYZE post_search; ANALYZE outbox")
    return copied
