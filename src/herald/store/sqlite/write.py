"""Write: parsed files become stored posts, a few statements per batch, not per post.

Decides what a batch means for the store: a file that loads is inserted or updated under
its id (ids are never reused, so an old button can never open another post), one that no
longer loads stops being served, and a slug claimed by a second file is that file's error.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence

import aiosqlite

from herald.content.links import link_key
from herald.core.actions import tag_ref
from herald.core.records import Prepared, SyncReport
from herald.store.sqlite.publish import in_chunks

DUPLICATE = "duplicate slug"


async def ids_by_path(connection: aiosqlite.Connection, paths: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk, marks in in_chunks(paths):
        async with connection.execute(
            f"SELECT path, id FROM posts WHERE path IN ({marks})", chunk
        ) as cursor:
            found.update({row[0]: row[1] for row in await cursor.fetchall()})
    return found


async def delete_posts(connection: aiosqlite.Connection, ids: list[int]) -> None:
    if ids:
        rows = [(post_id,) for post_id in ids]
        await connection.executemany("DELETE FROM posts_fts WHERE rowid = ?", rows)
        await connection.executemany("DELETE FROM post_tags WHERE post_id = ?", rows)
        await connection.executemany("DELETE FROM posts WHERE id = ?", rows)


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

    async def _load_slug_owners(self) -> None:
        """Who owns each slug, so a second file claiming one is reported, not served.
        Loaded at the first batch, after the removals: a removed file owns nothing."""
        if not self.targeted:
            async with self.db.execute("SELECT slug, path FROM posts") as cursor:
                rows = await cursor.fetchall()
            reread = set(self.reading)
            self.slug_owner = {row[0]: row[1] for row in rows if row[1] not in reread}
        async with self.db.execute(
            "SELECT max(coalesce((SELECT max(id) FROM posts), 0), "
            "coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'max_post_id'), 0))"
        ) as cursor:
            row = await cursor.fetchone()
        self.next_id = (
            int(row[0] if row else 0) + 1
        )  # ids are never reused: old buttons stay wrong-proof

    async def write(self, batch: Sequence[Prepared]) -> None:
        if not self.next_id:
            await self._load_slug_owners()
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
        existing = await ids_by_path(self.db, [item.path for item in changed])
        errors: dict[str, str | None] = {}
        serve: list[tuple[Prepared, int, bool]] = []
        for item in changed:
            error = item.error
            if error is None and item.post is not None:
                owner = await self._owner(item.post.slug)
                if owner is not None and owner != item.path:
                    error = f"{DUPLICATE} '{item.post.slug}' (already used by {owner})"
            errors[item.path] = error
            if error is None and item.post is not None:
                self.slug_owner[item.post.slug] = item.path
                post_id = existing.get(item.path)
                serve.append((item, post_id or self._new_id(), post_id is not None))
            elif item.path in existing:  # it used to load; now it fails: stop serving it
                report.removed.append(item.path)
        stale = [existing[path] for path, error in errors.items() if error and path in existing]
        await delete_posts(self.db, stale)
        await self._upsert(serve)
        await self.db.executemany(
            "INSERT INTO sources (path, size, mtime_ns, sha256, error) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (path) DO UPDATE SET size = excluded.size, "
            "mtime_ns = excluded.mtime_ns, sha256 = excluded.sha256, error = excluded.error",
            [(i.path, i.size, i.mtime_ns, i.sha256, errors[i.path]) for i in changed],
        )
        await self.db.execute(
            "INSERT INTO meta (key, value) VALUES ('max_post_id', ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (str(self.next_id - 1),),
        )

    async def _owner(self, slug: str) -> str | None:
        if slug not in self.slug_owner and self.targeted:  # one indexed lookup per slug
            async with self.db.execute("SELECT path FROM posts WHERE slug = ?", (slug,)) as cursor:
                row = await cursor.fetchone()
            if row is not None:
                self.slug_owner[slug] = row[0]
        return self.slug_owner.get(slug)

    def _new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    async def _upsert(self, serve: list[tuple[Prepared, int, bool]]) -> None:
        if not serve:
            return
        updated_ids = [(post_id,) for _, post_id, existed in serve if existed]
        await self.db.executemany("DELETE FROM post_tags WHERE post_id = ?", updated_ids)
        await self.db.executemany("DELETE FROM posts_fts WHERE rowid = ?", updated_ids)
        rows = []
        tag_rows = []
        visible = []
        for item, post_id, existed in serve:
            post = item.post
            assert post is not None
            tag_rows += [(post_id, tag, tag.casefold(), tag_ref(tag)) for tag in post.tags]
            date = int(post.date.timestamp())  # as stored, and as readers' queries compare it
            published_at = None
            if not post.draft and date <= self.now:
                visible.append((post_id, *item.fts))
                if not existed:
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
                    json.dumps(list(post.tags), ensure_ascii=False),
                    post.summary,
                    item.excerpt,
                    post.lang,
                    int(post.draft),
                    post.body,
                    published_at,
                )
            )
            (self.report.updated if existed else self.report.added).append(item.path)
        await self.db.executemany(
            "INSERT INTO posts (id, path, slug, link_key, title, date, updated, tags, summary, "
            "excerpt, lang, draft, body, published_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET slug = excluded.slug, link_key = excluded.link_key, "
            "title = excluded.title, date = excluded.date, updated = excluded.updated, "
            "tags = excluded.tags, summary = excluded.summary, excerpt = excluded.excerpt, "
            "lang = excluded.lang, draft = excluded.draft, body = excluded.body",
            rows,
        )
        self.indexed.update(row[0] for row in visible)
        await self.db.executemany(
            "INSERT OR IGNORE INTO post_tags (post_id, tag, tag_key, tag_ref) VALUES (?, ?, ?, ?)",
            tag_rows,
        )
        await self.db.executemany(
            "INSERT INTO posts_fts (rowid, title, tags, body) VALUES (?, ?, ?, ?)",
            visible,
        )
