"""Snippets for one page of search results, cut from the text the index was built from.

As on SQLite (`herald.store.sqlite.snippets`, which says why not the index's own
`ts_headline`: it shows tokens, and cannot highlight CJK): the page's few bodies are read
by primary key, their searchable text made again (`herald.content.searchable`) and the
hits found in it (`herald.core.search`).  Long bodies are cut off the event loop.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

from herald.content.searchable import searchable_text
from herald.core.records import PostSummary
from herald.core.search import find_snippet
from herald.indexing.tokens import QueryTerm, query_terms
from herald.limits import SEARCH_SNIPPET_INLINE_CHARS
from herald.store.postgres.database import Connection, tuples


async def with_snippets(
    conn: Connection, query: str, summaries: list[PostSummary]
) -> list[PostSummary]:
    """`summaries`, each with the snippet of its best hit in the body (if it has one)."""
    terms = query_terms(query)
    if not summaries or not terms:
        return summaries
    rows = await tuples(
        conn, "SELECT id, body FROM posts WHERE id = ANY(%s)", ([s.id for s in summaries],)
    )
    bodies: dict[int, str] = {row[0]: row[1] for row in rows}
    if sum(len(body) for body in bodies.values()) > SEARCH_SNIPPET_INLINE_CHARS:
        return await asyncio.to_thread(_snipped, summaries, bodies, terms)
    return _snipped(summaries, bodies, terms)


def _snipped(
    summaries: list[PostSummary], bodies: dict[int, str], terms: list[QueryTerm]
) -> list[PostSummary]:
    found = []
    for summary in summaries:
        body = bodies.get(summary.id)
        snippet = find_snippet(searchable_text(body), terms) if body else None
        found.append(replace(summary, snippet=snippet) if snippet else summary)
    return found
