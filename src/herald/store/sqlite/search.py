"""Full-text search on SQLite's FTS5: what readers typed, as a safe MATCH, ranked.

The index (`posts_fts`) holds only published posts, tokenised by `herald.indexing.tokens`,
so no join decides visibility.  Ranking is a short list of yes/no questions asked in order
(`ranked_matches`), the same a second backend asks, so readers get the same order anywhere.
"""

from __future__ import annotations

import aiosqlite

from herald.indexing.tokens import QueryTerm, query_terms

RANKED_CANDIDATES = 500


def _phrase(tokens: tuple[str, ...], prefix: bool) -> str:
    return f'"{" ".join(tokens)}"' + ("*" if prefix else "")


def match_expression(query: str) -> str | None:
    """A safe FTS5 MATCH expression for what the user typed, or None if nothing is searchable.

    Every term becomes a quoted phrase built only from letter/digit tokens, so no operator,
    quote, column filter or wildcard the user types reaches the FTS5 query syntax.  Terms
    are ANDed.  A Latin word's last token, and a lone CJK character, are prefixes.
    """
    return _expression(query_terms(query))


def _expression(terms: list[QueryTerm], *, prefixes: bool = True) -> str | None:
    phrases = [_phrase(term.tokens, prefixes and term.prefix) for term in terms]
    return " AND ".join(phrases) if phrases else None


def _whole_words(terms: list[QueryTerm]) -> str:
    """The terms with their Latin words whole (a lone CJK character stays a prefix: as a
    token it exists only at a run's end)."""
    return " AND ".join(
        _phrase(term.tokens, term.prefix and len(term.tokens[-1]) == 1) for term in terms
    )


def rank_questions(terms: list[QueryTerm]) -> list[str]:
    """What decides the order, most important first; each a MATCH a post passes or not.

    1. every word matched whole (`flash` before `FlashAttention` for `/search flash`);
    2. all terms in the title; 3. all terms in the tags;
    4. the terms standing together as one phrase (`flash attention` before a post that
       has both words apart).
    Ties go to the newest post (its date, then the newest stored).
    """
    expression = _expression(terms)
    assert expression is not None
    questions = []
    if any(term.prefix for term in terms):
        questions.append(_whole_words(terms))
    questions += [f"{{title}} : ({expression})", f"{{tags}} : ({expression})"]
    if len(terms) > 1:
        tokens = tuple(token for term in terms for token in term.tokens)
        questions.append(_phrase(tokens, terms[-1].prefix))
    return questions


async def ranked_matches(
    db: aiosqlite.Connection, query: str, *, offset: int, limit: int
) -> tuple[int, list[int]] | None:
    """(total, ids of one page), best first (`rank_questions`); None when nothing is
    searchable.

    A word found in more than RANKED_CANDIDATES posts is searched among its most recently
    added that many matches (a rowid range FTS5 walks cheaply), and the count is capped
    there: counting or ranking a phrase found in 67k of 100k posts reads every position
    list (BM25 took 13–25 ms for it).  The rank questions are each one MATCH over the same
    rowid range, so a page costs a few index walks and as many primary-key reads as
    there are candidates.
    """
    terms = query_terms(query)
    expression = _expression(terms)
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
    else:
        total = await _scalar(
            db, "SELECT count(*) FROM posts_fts WHERE posts_fts MATCH :match", params
        )
        if total == 0:
            return 0, []
    params["floor"] = floor
    order = ""
    for number, question in enumerate(rank_questions(terms)):
        params[f"q{number}"] = question
        order += (
            f"f.rowid IN (SELECT rowid FROM posts_fts WHERE posts_fts MATCH :q{number} "
            "AND rowid >= :floor) DESC, "
        )
    sql = (
        "SELECT f.rowid FROM posts_fts f JOIN posts p ON p.id = f.rowid "
        "WHERE posts_fts MATCH :match AND f.rowid >= :floor "
        f"ORDER BY {order}p.date DESC, f.rowid DESC LIMIT :limit OFFSET :offset"
    )
    async with db.execute(sql, params) as cursor:
        ranked = [row[0] for row in await cursor.fetchall()]
    return total, ranked


async def _scalar(db: aiosqlite.Connection, sql: str, params: dict[str, object]) -> int:
    async with db.execute(sql, params) as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row and row[0] is not None else 0
