"""Turn one file on disk into everything the store keeps about it, in a worker if need be.

This is the CPU-heavy step of a sync (read, hash, parse the frontmatter, take the search
text from the source, make CJK bigrams and the card's excerpt), so it is a pure
module-level function that a process pool can run on every core.

The excerpt is the one part that needs the Markdown parsed.  A large sync used to defer
it to a second pass (`herald.indexing.excerpts`); with the compiled front end
(`herald.content.pyromark_document`) and the one-pass LaTeX → Unicode the parse costs
less than a second pass over the store did, so every sync makes it here
(`with_excerpt=False` is left for callers that only want the index).
"""

from __future__ import annotations

import gc
import hashlib
import os
from pathlib import Path

from herald.content.budget import OverBudget, budget_for, over_budget_reason, time_budget
from herald.content.loader import load_post
from herald.content.post import LoadError, Post, Skipped
from herald.content.readable import unreadable
from herald.content.searchable import searchable_text
from herald.content.sites import Site, plain_site
from herald.content.source import Unreadable, read_source, real_root
from herald.core.records import Prepared
from herald.indexing.cards import plain_card
from herald.indexing.tokens import index_text
from herald.limits import MAX_POST_BYTES
from herald.render import card_text

_SLOW_FRONTMATTER = "took too long to read its frontmatter (a hostile file?)"


def prepare(
    root: Path,
    relpath: str,
    known_sha256: str | None,
    excerpt_chars: int,
    *,
    with_excerpt: bool = True,
    inside: str | None = None,
    site: Site | None = None,
) -> Prepared:
    """Read (confined, bounded: `herald.content.source`) and parse one file, within one
    time budget for the post (`herald.content.budget`): a hostile file costs seconds, and
    a post over budget is kept, served as its plain text, with a warning.  `inside`: the
    content folder's real path, if the caller resolved it already; `site`: the folder's
    profile (`herald.content.sites.find_site`), a plain folder if not given."""
    inside = inside or real_root(root)
    site = site or plain_site(root)
    source = read_source(os.path.join(root, relpath), inside, max_bytes=MAX_POST_BYTES)
    if isinstance(source, Unreadable):
        return Prepared(relpath, source.size, source.mtime_ns, "", error=source.reason)
    size, mtime_ns = source.size, source.mtime_ns
    digest = hashlib.sha256(source.data).hexdigest()
    if digest == known_sha256:
        return Prepared(relpath, size, mtime_ns, digest, unchanged=True)
    seconds = budget_for(len(source.data))
    loaded: Post | Skipped | LoadError | None = None
    card = warning = body_text = None
    try:
        with time_budget(seconds):
            loaded = load_post(site, relpath, data=source.data, mtime=source.mtime)
            if isinstance(loaded, Skipped):
                return Prepared(relpath, size, mtime_ns, digest, skipped=loaded.rule)
            if isinstance(loaded, LoadError):
                return Prepared(relpath, size, mtime_ns, digest, error=loaded.reason)
            body_text = searchable_text(loaded.body)
            empty = unreadable(loaded.body, body_text, loaded.summary)
            if empty is not None:
                return Prepared(relpath, size, mtime_ns, digest, error=empty)
            # A summary is one line, cheap to cut, so only a body's excerpt is ever deferred.
            if with_excerpt or loaded.summary:
                card = card_text(loaded.summary, loaded.body, lang=loaded.lang, limit=excerpt_chars)
    except OverBudget:
        if not isinstance(loaded, Post):
            return Prepared(relpath, size, mtime_ns, digest, error=_SLOW_FRONTMATTER)
        warning = over_budget_reason(seconds)
        if card is None and (with_excerpt or loaded.summary):
            card = plain_card((loaded.summary, loaded.body, loaded.lang), excerpt_chars)
        body_text = body_text if body_text is not None else loaded.body
    except Exception as exc:  # a renderer bug must cost one post, never the whole sync
        return Prepared(relpath, size, mtime_ns, digest, error=f"cannot render: {exc!r}")
    return Prepared(
        relpath,
        size,
        mtime_ns,
        digest,
        post=loaded,
        excerpt=card,
        fts=_fts(loaded.title, loaded.tags, body_text),
        warning="; ".join((*loaded.warnings, *([warning] if warning else []))) or None,
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
    site: Site | None = None,
) -> list[Prepared]:
    """Many files in one call, so a process pool pays its per-task overhead once per batch.

    Parsing allocates millions of short-lived, acyclic objects (tokens, tree nodes); the
    cyclic collector finds nothing among them, so it waits until the batch is done
    (about 5 % of a worker's time otherwise).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        inside = real_root(root)
        site = site or plain_site(root)
        return [
            prepare(
                root,
                relpath,
                known,
                excerpt_chars,
                with_excerpt=with_excerpts,
                inside=inside,
                site=site,
            )
            for relpath, known in jobs
        ]
    finally:
        if was_enabled:
            gc.enable()
