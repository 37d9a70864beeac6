"""Full-text search on PostgreSQL: what readers typed, as a safe tsquery, ranked as on SQLite.

The index (`post_search`) holds only published posts, so no join decides visibility.  The
query is built from `herald.indexing.tokens.query_terms` (letters and digits only: nothing
a reader types reaches tsquery syntax) as a literal of already folded lexemes.

The rule is SQLite's (`herald.store.sqlite.search`): a query found in more than
RANKED_CANDIDATES posts is searched among its most recently added that many matches and
its count is capped there, ordered title matches first, then tag matches, then newest.
Fewer matches are all ranked: title matches, then tag matches, then by `ts_rank_cd`
(title 1, tags 0.5, body 0.1), newest first among equals.  The newest matches are one
walk down the primary key (or, for a rare query, one GIN lookup and a sort), and the
title and tag tiers read the small `tt` vector, never the whole post's.
"""

from __future__ import annotations

from herald.indexing.tokens import QueryTerm, query_terms
from herald.store.postgres.database import Connection, tuples
from herald.store.postgres.lexemes import tsquery

RANKED_CANDIDATES = 500
RANK_WEIGHTS = "{0, 0.1, 0.5, 1}"
"""`ts_rank_cd` weights of D, C (body), B (tags), A (title)."""


async def ranked_matches(
    conn: Connection, query: str, *, offset: int, limit: int
) -> tuple[int, list[int]] | None:
    """(total, ids of one page), best first; None when nothing is searchable."""
    terms = query_terms(query)
    if not terms:
        return None
    return await ranked_terms(conn, terms_query(terms), offset=offset, limit=limit)


def terms_query(terms: list[QueryTerm]) -> tuple[str, str, str] | None:
    """The tsquery literals of the terms: anywhere, in the title, in the tags."""
    anywhere = tsquery(terms)
    if anywhere is None:
        return None
    title, tags = tsquery(terms, "A"), tsquery(terms, "B")
    assert title is not None and tags is not None
    return anywhere, title, tags


async def ranked_terms(
    conn: Connection, queries: tuple[str, str, str] | None, *, offset: int, limit: int
) -> tuple[int, list[int]]:
    if queries is None:  # only diacritics: searchable in form, nothing in the index
        return 0, []
    anywhere, title, tags = queries
    rows = await tuples(
        conn,
        "SELECT post_id, tt @@ %(title)s::tsquery, tt @@ %(tags)s::tsquery FROM post_search "
        "WHERE tsv @@ %(q)s::tsquery ORDER BY post_id DESC LIMIT %(n)s",
        {"q": anywhere, "title": title, "tags": tags, "n": RANKED_CANDIDATES + 1},
        prepare=False,
    )
    if len(rows) > RANKED_CANDIDATES:
        candidates = rows[:RANKED_CANDIDATES]
        candidates.sort(key=lambda row: (not row[1], not row[2], -row[0]))
        return RANKED_CANDIDATES, [row[0] for row in candidates[offset : offset + limit]]
    ranks: dict[int, float] = {}
    if len(rows) > 1:
        ranked = await tuples(
            conn,
            f"SELECT post_id, ts_rank_cd('{RANK_WEIGHTS}', tsv, %(q)s::tsquery) "
            "FROM post_search WHERE post_id = ANY(%(ids)s)",
            {"q": anywhere, "ids": [row[0] for row in rows]},
        )
        ranks = {row[0]: row[1] for row in ranked}
    rows.sort(key=lambda row: (not row[1], not row[2], -ranks.get(row[0], 0.0), -row[0]))
    return len(rows), [row[0] for row in rows[offset : offset + limit]]
