"""Full-text search on SQLite's FTS5: what readers typed, as a safe MATCH, ranked.

The index (`posts_fts`) holds only published posts, tokenised by `herald.indexing.tokens`,
so no join decides visibility.  Ranking is FTS5's weighted BM25 (title > tags > body).
"""

from __future__ import annotations

import aiosqlite

from herald.indexing.tokens import query_terms

RANKED_CANDIDATES = 500
_PREFERRED_COLUMNS = ("title", "tags")
"""Among capped candidates, a match in these columns (in this order) comes first."""


def match_expression(query: str) -> str | None:
    """A safe FTS5 MATCH expression for what the user typed, or None if nothing is searchable.

    Every term becomes a quoted phrase built only from letter/digit tokens, so no operator,
    quote, column filter or wildcard the user types reaches the FTS5 query syntax.  Terms
    are ANDed.  A lone CJK character becomes a prefix match on the bigrams it starts.
    """
    phrases = [
        f'"{" ".join(term.tokens)}"' + ("*" if term.prefix else "") for term in query_terms(query)
    ]
    return " AND ".join(phrases) if phrases else None


async def ranked_matches(
    db: aiosqlite.Connection, query: str, *, offset: int, limit: int
) -> tuple[int, list[int]] | None:
    """(total, ids of one page), best first; None when nothing is searchable.

    A word found in more than RANKED_CANDIDATES posts is searched among its most recently
    added that many matches (a rowid range FTS5 walks cheaply), and the count is capped
    there.  Those are not ranked by BM25: its weight for a word is computed from every post
    that contains it (13–25 ms for a phrase found in 67k of 100k posts), and for a word in
    most posts that weight is nil anyway.  Posts with the words in their title come first,
    then in their tags, then the rest, newest first (under 1 ms).
    """
    expression = match_expression(query)
    if expression is None:
        return None
    params: dict[str, object] = {
        "match": expression,
        "limit": limit,
        "offset": offset,
        "cap": RANKED_CANDIDATES - 1,
    }
    # The floor first: walking rowids backwards stops after RANKED_CANDIDATES matches,
    # while counting a phrase's 60k matches checks every position list (~10 ms).
    floor = await _scalar(
        db,
        "SELECT rowid FROM posts_fts WHERE posts_fts MATCH :match "
        "ORDER BY rowid DESC LIMIT 1 OFFSET :cap",
        params,
    )
    if floor:
        total = RANKED_CANDIDATES
        params["floor"] = floor
        found_in = ""
        for column in _PREFERRED_COLUMNS:  # title matches first, then tags
            params[column] = f"{{{column}}} : ({expression})"
            found_in += (
                f"rowid IN (SELECT rowid FROM posts_fts WHERE posts_fts MATCH :{column} "
                "AND rowid >= :floor) DESC, "
            )
        sql = (
            "SELECT rowid FROM posts_fts WHERE posts_fts MATCH :match AND rowid >= :floor "
            f"ORDER BY {found_in}rowid DESC LIMIT :limit OFFSET :offset"
        )
    else:
        total = await _scalar(
            db, "SELECT count(*) FROM posts_fts WHERE posts_fts MATCH :match", params
        )
        # Two steps: ranked ids from the index alone (as a subquery, SQLite would compute
        # the rank twice), then those few posts by primary key.
        sql = (
            "SELECT rowid FROM posts_fts WHERE posts_fts MATCH :match "
            "ORDER BY rank LIMIT :limit OFFSET :offset"
        )
    async with db.execute(sql, params) as cursor:
        ranked = [row[0] for row in await cursor.fetchall()]
    return total, ranked


async def _scalar(db: aiosqlite.Connection, sql: str, params: dict[str, object]) -> int:
    async with db.execute(sql, params) as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row else 0
