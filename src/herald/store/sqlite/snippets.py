"""Snippets for one page of search results, cut from the text the index was built from.

FTS5's own `snippet()` cannot be used: the indexed columns hold tokens (bigrams, a
`lora 微调` for `LoRA微调`), not what a reader sees.  So the page's few bodies are read
by primary key and their searchable text is made again (`herald.content.searchable`,
the one place that knows it, and cheap next to a parse); `herald.core.search` finds the
hits in it.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

import aiosqlite

from herald.content.searchable import searchable_text
from herald.core.records import PostSummary
from herald.core.search import find_snippet
from herald.indexing.tokens import QueryTerm, query_terms
from herald.limits import SEARCH_SNIPPET_INLINE_CHARS


async def with_snippets(
    db: aiosqlite.Connection, query: str, summaries: list[PostSummary]
) -> list[PostSummary]:
    """`summaries`, each with the snippet of its best hit in the body (if it has one)."""
    terms = query_terms(query)
    if not summaries or not terms:
        return summaries
    marks = ",".join("?" * len(summaries))
    async with db.execute(
        f"SELECT id, body FROM posts WHERE id IN ({marks})", [s.id for s in summaries]
    ) as cursor:
        bodies: dict[int, str] = {row[0]: row[1] for row in await cursor.fetchall()}
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
