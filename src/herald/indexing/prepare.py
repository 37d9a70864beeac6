"""Turn one file on disk into everything the store keeps about it, in a worker if need be.

This is the CPU-heavy step of a sync (read, hash, parse the frontmatter, take the search
text from the source, make CJK bigrams and, unless deferred, render the card's excerpt),
so it is a pure module-level function that a process pool can run on every core.

The excerpt is the one part that needs the Markdown parsed, and parsing is most of a
post's cost; a large sync defers it (`with_excerpt=False`) to `herald.indexing.excerpts`,
which renders it once the posts are stored and searchable.
"""

from __future__ import annotations

import gc
import hashlib
from pathlib import Path

from herald.content.loader import read_post
from herald.content.post import LoadError
from herald.content.searchable import searchable_text
from herald.core.records import Prepared
from herald.indexing.tokens import index_text
from herald.render import card_text


def prepare(
    root: Path,
    relpath: str,
    known_sha256: str | None,
    excerpt_chars: int,
    *,
    with_excerpt: bool = True,
) -> Prepared:
    file = root / relpath
    try:
        stat = file.stat()
        data = file.read_bytes()
    except OSError as exc:
        return Prepared(relpath, 0, 0, "", error=f"cannot read: {exc.strerror}")
    digest = hashlib.sha256(data).hexdigest()
    if digest == known_sha256:
        return Prepared(relpath, stat.st_size, stat.st_mtime_ns, digest, unchanged=True)
    loaded = read_post(root, file, data=data, mtime=stat.st_mtime)
    if isinstance(loaded, LoadError):
        return Prepared(relpath, stat.st_size, stat.st_mtime_ns, digest, error=loaded.reason)
    try:
        # A summary is one line, cheap to cut, so only a body's excerpt is ever deferred.
        card = (
            card_text(loaded.summary, loaded.body, lang=loaded.lang, limit=excerpt_chars)
            if with_excerpt or loaded.summary
            else None
        )
    except Exception as exc:  # a renderer bug must cost one post, never the whole sync
        return Prepared(
            relpath, stat.st_size, stat.st_mtime_ns, digest, error=f"cannot render: {exc!r}"
        )
    return Prepared(
        relpath,
        stat.st_size,
        stat.st_mtime_ns,
        digest,
        post=loaded,
        excerpt=card,
        fts=_fts(loaded.title, loaded.tags, searchable_text(loaded.body)),
    )


def _fts(title: str, tags: tuple[str, ...], body_text: str) -> tuple[str, str, str]:
    return index_text(title), index_text(" ".join(tags)), index_text(body_text)


def fts_columns(title: str, tags: list[str], body: str) -> tuple[str, str, str]:
    """The index columns of a stored post, for posts indexed when they publish."""
    return _fts(title, tuple(tags), searchable_text(body))


def prepare_batch(
    root: Path,
    jobs: list[tuple[str, str | None]],
    excerpt_chars: int,
    with_excerpts: bool = True,
) -> list[Prepared]:
    """Many files in one call, so a process pool pays its per-task overhead once per batch.

    Parsing allocates millions of short-lived, acyclic objects (tokens, tree nodes); the
    cyclic collector finds nothing among them, so it waits until the batch is done
    (about 5 % of a worker's time otherwise).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return [
            prepare(root, relpath, known, excerpt_chars, with_excerpt=with_excerpts)
            for relpath, known in jobs
        ]
    finally:
        if was_enabled:
            gc.enable()
