"""Snippets for one page of search results, cut from the text the index was built from.

No backend's own snippet function will do: FTS5's `snippet()` and PostgreSQL's
`ts_headline` show the indexed tokens (bigrams, a `lora 微调` for `LoRA微调`), not what a
reader sees, and `ts_headline` cannot highlight CJK.  So the page's few bodies are read
by primary key (each backend's one query), their searchable text is made again
(`herald.content.searchable`, the one place that knows it, and cheap next to a parse)
and `herald.core.search` finds the hits in it; long bodies are cut off the event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import replace

from herald.content.searchable import searchable_text
from herald.core.records import PostSummary
from herald.core.search import find_snippet
from herald.indexing.tokens import QueryTerm, query_terms
from herald.limits import SEARCH_SNIPPET_INLINE_CHARS

ReadBodies = Callable[[list[int]], Awaitable[dict[int, str]]]
"""A backend's query for the Markdown bodies of these post ids."""


async def with_snippets(
    query: str, summaries: list[PostSummary], read_bodies: ReadBodies
) -> list[PostSummary]:
    """`summaries`, each with the snippet of its best hit in the body (if it has one)."""
    terms = query_terms(query)
    if not summaries or not terms:
        return summaries
    bodies = await read_bodies([summary.id for summary in summaries])
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
