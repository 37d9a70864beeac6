"""Write: parsed files become stored posts, a few statements per batch, not per post.

Decides what a batch means for the store: a file that loads is inserted or updated under
its id (ids are never reused, so an old button can never open another post), one that no
longer loads stops being served, and a slug claimed by a second file is that file's error.

A Jekyll or Hugo post also answers to its aliases (migration V11): the slug Herald gave it
before it read the site, its URL path, the site's redirects.  When its own slug is taken
by a post earlier in path order (two posts whose URLs end alike), it is served under its
first free alias instead, with a warning, not lost; a plain folder's second file with a
slug is still that file's error.  An alias belongs to the first post that claims it.

Removal is not forgetting: a post that stops being served keeps its row as a tombstone
(`draft = REMOVED`, see migration V9), and a file that comes back takes its row again —
first a post this sync is removing whose slug it has (the file was moved), then the row
of its own path, then a tombstone with its slug (renamed while it was away) — so it keeps
its id, and its `published_at` keeps it from being announced twice.  A tombstone never
blocks a file: one that would hold a path or slug a served post takes is given a
placeholder for it instead (`:removed:<id>`, which no file's path or slug can be).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import replace

import aiosqlite

from herald.content.links import link_key
from herald.content.sites.common import DUPLICATE, taken_slug_warning
from herald.core.actions import tag_ref
from herald.core.records import Prepared, SyncReport
from herald.store.identity import Kind, claimed_row, slug_holder
from herald.store.names import alias_keys
from herald.store.sqlite.tombstones import REMOVED, Row, bury, placeholder, rows_by, rows_by_path

__all__ = ["DUPLICATE", "REMOVED", "BatchWriter", "Kind", "bury", "placeholder", "rows_by_path"]

_tags_json = json.JSONEncoder(ensure_ascii=False).encode
"""`json.dumps(tags, ensure_ascii=False)` without a new encoder for each post."""


class BatchWriter:
    """Writes parsed batches with a few `executemany` calls each, not several per post."""

    def __init__(
        self,
        connection: aiosqlite.Connection,
        report: SyncReport,
        *,
        now: int,
        reading: Collection[str],
        targeted: bool,
    ) -> None:
        self.db = connection
        self.reading = reading
        """Paths this sync writes: the slugs they hold are theirs to keep or give up."""
        self.leaving: set[str] = set()
        """Paths gone from the folder: their slugs are free, their posts may be moved."""
        self.report = report
        self.now = now
        self.indexed: set[int] = set()
        """Posts this sync put in the search index (the visible ones)."""
        self.published: list[tuple[int, int]] = []
        """(date, id) of new posts inserted already published: visible from the start, they
        are written once, not inserted and then updated (a cold sync of 100k posts would
        otherwise rewrite every row, body and all, at its end)."""
        self.slug_owner: dict[str, str] = {}
        self.targeted = targeted
        self.next_id = 0
        """0 until the first batch: then the next unused id."""
        self.claimed: set[int] = set()
        """Rows a file of this sync took: no other file may take them, nor their names."""
        self.may_collide = False
        """Whether any row could stand in a file's way (a tombstone, a leaving post)."""

    async def _start(self) -> None:
        """Who owns each slug, so a second file claiming one is reported, not served: the
        served posts, except those this sync reads again or that are leaving."""
        if not self.targeted:
            async with self.db.execute(
                f"SELECT slug, path FROM posts WHERE draft < {REMOVED}"
            ) as cursor:
                rows = await cursor.fetchall()
            free = set(self.reading) | self.leaving
            self.slug_owner = {row[0]: row[1] for row in rows if row[1] not in free}
        async with self.db.execute(
            "SELECT max(coalesce((SELECT max(id) FROM posts), 0), "
            "coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'max_post_id'), 0)), "
            f"EXISTS (SELECT 1 FROM posts WHERE draft = {REMOVED})"
        ) as cursor:
            row = await cursor.fetchone()
        # ids are never reused: old buttons stay wrong-proof
        self.next_id = int(row[0] if row else 0) + 1
        self.may_collide = bool(self.leaving or (row and row[1]))

    async def write(self, batch: Sequence[Prepared]) -> None:
        if not self.next_id:
            await self._start()
        report = self.report
        unchanged = [item for item in batch if item.unchanged]
        changed = [item for item in batch if not item.unchanged]
        report.unchanged += len(unchanged)
        report.parsed += len(changed)
        await self.db.executemany(
            "UPDATE sources SET size = ?, mtime_ns = ? WHERE path = ?",
            [(item.size, item.mtime_ns, item.path) for item in unchanged],
        )
        if not changed:
            return
        existing = await rows_by_path(self.db, [item.path for item in changed])
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
        await bury(self.db, stale)
        await self._upsert(serve)
        await self.db.executemany(
            "INSERT INTO sources (path, size, mtime_ns, sha256, error, warning) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET size = excluded.size, "
            "mtime_ns = excluded.mtime_ns, sha256 = excluded.sha256, error = excluded.error, "
            "warning = excluded.warning",
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
        await self.db.execute(
            "INSERT INTO meta (key, value) VALUES ('max_post_id', ?) "
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
            async with self.db.execute(
                f"SELECT path FROM posts WHERE slug = ? AND draft < {REMOVED}", (slug,)
            ) as cursor:
                row = await cursor.fetchone()
            if row is not None and row[0] not in self.leaving:
                self.slug_owner[slug] = row[0]
        return self.slug_owner.get(slug)

    async def _holders(self, batch: Sequence[Prepared]) -> dict[str, Row]:
        """Tombstones and leaving posts that hold the slugs (or deep-link keys) of these
        files, which may take them back or must let go of those names."""
        if not self.may_collide:
            return {}
        slugs = sorted({item.post.slug for item in batch if item.post is not None})
        by_key = await rows_by(self.db, "link_key", [link_key(slug) for slug in slugs])
        holders = {row.slug: row for row in by_key.values()}
        holders.update(await rows_by(self.db, "slug", slugs))
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
            await self.db.execute(
                "UPDATE posts SET path = ? WHERE id = ?", (placeholder(row.id), row.id)
            )
        return post_id, kind

    async def _release_slug(self, holder: Row) -> None:
        """A file took this row's slug: a leaving post is replaced (a tombstone now), a
        tombstone keeps only its path to come back by."""
        if not holder.removed:
            await bury(self.db, [holder.id])
        await self.db.execute(
            "UPDATE posts SET slug = ?, link_key = ? WHERE id = ?",
            (placeholder(holder.id), placeholder(holder.id), holder.id),
        )

    def _new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    async def _upsert(self, serve: list[tuple[Prepared, int, Kind]]) -> None:
        if not serve:
            return
        known = [(post_id,) for _, post_id, kind in serve if kind != "new"]
        await self.db.executemany("DELETE FROM post_tags WHERE post_id = ?", known)
        await self.db.executemany("DELETE FROM posts_fts WHERE rowid = ?", known)
        await self.db.executemany("DELETE FROM post_aliases WHERE post_id = ?", known)
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
                visible.append((post_id, *item.fts))
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
                    _tags_json(list(post.tags)),
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
        await self.db.executemany(
            "INSERT INTO posts (id, path, slug, link_key, title, date, updated, tags, summary, "
            "excerpt, lang, draft, body, published_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET path = excluded.path, slug = excluded.slug, "
            "link_key = excluded.link_key, title = excluded.title, date = excluded.date, "
            "updated = excluded.updated, tags = excluded.tags, summary = excluded.summary, "
            "excerpt = excluded.excerpt, lang = excluded.lang, draft = excluded.draft, "
            "body = excluded.body",
            rows,
        )
        self.indexed.update(row[0] for row in visible)
        await self.db.executemany(
            "INSERT OR IGNORE INTO post_tags (post_id, tag, tag_key, tag_ref) VALUES (?, ?, ?, ?)",
            tag_rows,
        )
        # First come, first served: an alias another post holds stays that post's.
        await self.db.executemany(
            "INSERT OR IGNORE INTO post_aliases (alias, post_id) VALUES (?, ?)", alias_rows
        )
        await self.db.executemany(
            "INSERT INTO posts_fts (rowid, title, tags, body) VALUES (?, ?, ?, ?)",
            visible,
        )
