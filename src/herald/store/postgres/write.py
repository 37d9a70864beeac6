"""Write on PostgreSQL: parsed files become stored posts, a few statements per batch.

The decisions are SQLite's, rule for rule (`herald.store.sqlite.write` explains them):
ids are never reused, a file that no longer loads stops being served, a second file with
a slug is that file's error unless it has a free alias (then it is served under it, with a
warning), and removal is not forgetting — a file that comes back takes its old row, so it
keeps its id and is not announced twice.  Only the statements differ: lists travel as
arrays (`= ANY`, `unnest`), and search entries are `tsvector`s made in Python
(`herald.store.postgres.lexemes`) from the index text the worker made.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace
from typing import Any

from herald.content.links import link_key
from herald.content.sites.common import DUPLICATE, taken_slug_warning
from herald.core.actions import tag_ref
from herald.core.records import Prepared, SyncReport
from herald.store.identity import Kind, claimed_row, slug_holder
from herald.store.names import alias_keys
from herald.store.postgres.database import Connection, scalar, tuples
from herald.store.postgres.lexemes import INSERT_SEARCH, search_rows
from herald.store.postgres.tombstones import REMOVED, Row, bury, placeholder, rows_by, rows_by_path

_UPSERT_POST = (
    "INSERT INTO posts (id, path, slug, link_key, title, date, updated, tags, summary, "
    "excerpt, lang, draft, body, published_at) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
    "ON CONFLICT (id) DO UPDATE SET path = excluded.path, slug = excluded.slug, "
    "link_key = excluded.link_key, title = excluded.title, date = excluded.date, "
    "updated = excluded.updated, tags = excluded.tags, summary = excluded.summary, "
    "excerpt = excluded.excerpt, lang = excluded.lang, draft = excluded.draft, "
    "body = excluded.body"
)
_UPSERT_SOURCE = (
    "INSERT INTO sources (path, size, mtime_ns, sha256, error, warning) "
    "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (path) DO UPDATE SET size = excluded.size, "
    "mtime_ns = excluded.mtime_ns, sha256 = excluded.sha256, error = excluded.error, "
    "warning = excluded.warning"
)


async def _many(conn: Connection, sql: str, rows: Sequence[Sequence[Any]]) -> None:
    if rows:
        async with conn.cursor() as cursor:
            await cursor.executemany(sql, rows)  # type: ignore[arg-type]


class BatchWriter:
    """Writes parsed batches with a few statements each, not several per post."""

    def __init__(
        self,
        conn: Connection,
        report: SyncReport,
        *,
        now: int,
        reading: Collection[str],
        targeted: bool,
    ) -> None:
        self.conn = conn
        self.reading = reading
        """Paths this sync writes: the slugs they hold are theirs to keep or give up."""
        self.leaving: set[str] = set()
        """Paths gone from the folder: their slugs are free, their posts may be moved."""
        self.report = report
        self.now = now
        self.indexed: set[int] = set()
        """Posts this sync put in the search index (the visible ones)."""
        self.published: list[tuple[int, int]] = []
        """(date, id) of new posts inserted already published (written once, not twice)."""
        self.slug_owner: dict[str, str] = {}
        self.targeted = targeted
        self.next_id = 0
        """0 until the first batch: then the next unused id."""
        self.claimed: set[int] = set()
        """Rows a file of this sync took: no other file may take them, nor their names."""
        self.may_collide = False
        """Whether any row could stand in a file's way (a tombstone, a leaving post)."""

    async def _start(self) -> None:
        """Who owns each slug (the served posts not read again nor leaving), the next id."""
        if not self.targeted:
            rows = await tuples(self.conn, f"SELECT slug, path FROM posts WHERE draft < {REMOVED}")
            free = set(self.reading) | self.leaving
            self.slug_owner = {row[0]: row[1] for row in rows if row[1] not in free}
        row = (
            await tuples(
                self.conn,
                "SELECT greatest(coalesce((SELECT max(id) FROM posts), 0), "
                "coalesce((SELECT value::bigint FROM meta WHERE key = 'max_post_id'), 0)), "
                f"EXISTS (SELECT 1 FROM posts WHERE draft = {REMOVED})",
            )
        )[0]
        self.next_id = int(row[0]) + 1  # ids are never reused: old buttons stay wrong-proof
        self.may_collide = bool(self.leaving or row[1])

    async def write(self, batch: Sequence[Prepared]) -> None:
        if not self.next_id:
            await self._start()
        report = self.report
        unchanged = [item for item in batch if item.unchanged]
        changed = [item for item in batch if not item.unchanged]
        report.unchanged += len(unchanged)
        report.parsed += len(changed)
        await _many(
            self.conn,
            "UPDATE sources SET size = %s, mtime_ns = %s WHERE path = %s",
            [(item.size, item.mtime_ns, item.path) for item in unchanged],
        )
        if not changed:
            return
        existing = await rows_by_path(self.conn, [item.path for item in changed])
        errors: dict[str, str | None] = {}
        for index, item in enumerate(changed):  # first who has which slug, in path order
            errors[item.path] = item.error
            if item.error is None and item.post is not None:
                claimed = await self._claim(item)
                if isinstance(claimed, str):
                    errors[item.path] = claimed
                elif claimed.post is not None:
                    changed[index] = claimed
                    self.slug_owner[claimed.post.slug] = claimed.path
        holders = await self._holders(changed)
        serve: list[tuple[Prepared, int, Kind]] = []
        stale: list[int] = []
        for item in changed:
            row = existing.get(item.path)
            if errors[item.path] is None and item.post is not None:
                post_id, kind = await self._target(item, row, holders)
                serve.append((item, post_id, kind))
            elif row is not None and not row.removed:  # it used to load; now it does not
                report.removed.append(item.path)
                stale.append(row.id)
        await bury(self.conn, stale)
        await self._upsert(serve)
        await _many(
            self.conn,
            _UPSERT_SOURCE,
            [
                (
                    i.path,
                    i.size,
                    i.mtime_ns,
                    i.sha256,
                    errors[i.path],
                    None if errors[i.path] else i.warning,
                )
                for i in changed
            ],
        )
        await self.conn.execute(
            "INSERT INTO meta (key, value) VALUES ('max_post_id', %s) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (str(self.next_id - 1),),
        )

    async def _claim(self, item: Prepared) -> Prepared | str:
        """The file with the slug it may have: its own, else its first alias nobody holds
        (with a warning saying so); or, with none free, the duplicate's error."""
        post = item.post
        assert post is not None
        owner = await self._owner(post.slug)
        if owner is None or owner == item.path:
            return item
        for alias in post.aliases:
            holder = await self._owner(alias)
            if holder is None or holder == item.path:
                note = taken_slug_warning(post.slug, owner, alias)
                others = tuple(a for a in post.aliases if a != alias)
                return replace(
                    item,
                    post=replace(post, slug=alias, aliases=others),
                    warning="; ".join(w for w in (item.warning, note) if w),
                )
        return f"{DUPLICATE} '{post.slug}' (already used by {owner})"

    async def _owner(self, slug: str) -> str | None:
        if slug not in self.slug_owner and self.targeted:  # one indexed lookup per slug
            path = await scalar(
                self.conn,
                f"SELECT path FROM posts WHERE slug = %s AND draft < {REMOVED}",
                (slug,),
            )
            if path is not None and path not in self.leaving:
                self.slug_owner[slug] = str(path)
        return self.slug_owner.get(slug)

    async def _holders(self, batch: Sequence[Prepared]) -> dict[str, Row]:
        """Tombstones and leaving posts that hold the slugs (or deep-link keys) of these
        files, which may take them back or must let go of those names."""
        if not self.may_collide:
            return {}
        slugs = sorted({item.post.slug for item in batch if item.post is not None})
        by_key = await rows_by(self.conn, "link_key", [link_key(slug) for slug in slugs])
        holders = {row.slug: row for row in by_key.values()}
        holders.update(await rows_by(self.conn, "slug", slugs))
        return {
            slug: row for slug, row in holders.items() if row.removed or row.path in self.leaving
        }

    async def _target(
        self, item: Prepared, row: Row | None, holders: dict[str, Row]
    ) -> tuple[int, Kind]:
        """Whose row a file that loads takes, and what that means for the report."""
        assert item.post is not None
        holder = slug_holder(item.post.slug, holders, self.claimed)
        found, kind = claimed_row(row, holder, self.claimed)
        post_id = self._new_id() if found is None else found
        self.claimed.add(post_id)
        if holder is not None and holder.id != post_id:
            await self._release_slug(holder)
        if row is not None and row.id != post_id:  # a tombstone at this path stays one
            await self.conn.execute(
                "UPDATE posts SET path = %s WHERE id = %s", (placeholder(row.id), row.id)
            )
        return post_id, kind

    async def _release_slug(self, holder: Row) -> None:
        """A file took this row's slug: a leaving post is replaced (a tombstone now), a
        tombstone keeps only its path to come back by."""
        if not holder.removed:
            await bury(self.conn, [holder.id])
        await self.conn.execute(
            "UPDATE posts SET slug = %s, link_key = %s WHERE id = %s",
            (placeholder(holder.id), placeholder(holder.id), holder.id),
        )

    def _new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    async def _upsert(self, serve: list[tuple[Prepared, int, Kind]]) -> None:
        if not serve:
            return
        known = [post_id for _, post_id, kind in serve if kind != "new"]
        if known:
            for table in ("post_tags", "post_search", "post_aliases"):
                await self.conn.execute(f"DELETE FROM {table} WHERE post_id = ANY(%s)", (known,))
        rows = []
        tag_rows = []
        alias_rows = []
        visible = []
        for item, post_id, kind in serve:
            post = item.post
            assert post is not None
            tag_rows += [(post_id, tag, tag.casefold(), tag_ref(tag)) for tag in post.tags]
            alias_rows += [(alias, post_id) for alias in alias_keys(post.slug, post.aliases)]
            date = int(post.date.timestamp())  # as stored, and as readers' queries compare it
            published_at = None
            if not post.draft and date <= self.now:
                visible += search_rows(post_id, date, item.fts)
                if kind == "new":
                    published_at = self.now
                    self.published.append((date, post_id))
            rows.append(
                (
                    post_id,
                    item.path,
                    post.slug,
                    link_key(post.slug),
                    post.title,
                    date,
                    int(post.updated.timestamp()) if post.updated else None,
                    list(post.tags),
                    post.summary,
                    item.excerpt,
                    post.lang,
                    int(post.draft),
                    post.body,
                    published_at,
                )
            )
            (self.report.updated if kind == "updated" else self.report.added).append(item.path)
        # A row taken back keeps its id, `published_at` and `revision`: never announced twice.
        await _many(self.conn, _UPSERT_POST, rows)
        self.indexed.update(row[0] for row in visible)
        await _many(
            self.conn,
            "INSERT INTO post_tags (post_id, tag, tag_key, tag_ref) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT DO NOTHING",
            tag_rows,
        )
        # First come, first served: an alias another post holds stays that post's.
        await _many(
            self.conn,
            "INSERT INTO post_aliases (alias, post_id) VALUES (%s, %s) ON CONFLICT DO NOTHING",
            alias_rows,
        )
        await _many(self.conn, INSERT_SEARCH, visible)
