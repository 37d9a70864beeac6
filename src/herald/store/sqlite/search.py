"""Full-text search on SQLite's FTS5: what readers typed, as a safe MATCH, ranked.

The index (`posts_fts`) holds only published posts, tokenised by `herald.indexing.tokens`,
so no join decides visibility.  Ranking is a short list of yes/no questions asked in order
(`ranked_matches`), the same a second backend asks, so readers get the same order anywhere.
"""

from __future__ import annotations

import aiosqlite

from herald.indexing.tokens import QueryTerm, phrase_of, query_terms

RANKED_CANDIDATES = 500


def _phrase(tokens: tuple[str, ...], prefix: bool) -> str:
    return f'"{" ".join(tokens)}"' + ("*" if prefix else "")


def match_expression(query: str) -> str | None:
    """A safe FTS5 MATCH expression for what the user typed, or None if nothing is searchable.

    Every term becomes a quoted phrase built only from letter/digit tokens, so no operator,
    quote, column filter or wildcard the user types reaches the FTS5 query syntax.  Terms
    are ANDed.  A Latin word's last token, and a lone CJK character, are prefixes.
    """
    return _expression(query_terms(query)) or None


def _expression(terms: list[QueryTerm], *, prefixes: bool = True) -> str:
    """The terms ANDed; without `prefixes`, Latin words whole (a lone CJK character stays
    a prefix: as a token of its own it exists only at a run's end)."""
    phrases = [
        _phrase(term.tokens, term.prefix and (prefixes or len(term.tokens[-1]) == 1))
        for term in terms
    ]
    return " AND ".join(phrases)


def rank_questions(terms: list[QueryTerm], *, prefixes: bool) -> list[str]:
    """What decides the order, most important first, each a MATCH a post passes or not
    (documented in the README, the same on every backend):

    1. every word matched whole (`flash` before `FlashAttention` for `/search flash`),
       when words are also matched as `prefixes`;
    2. all terms in the title; 3. all terms in the tags;
    4. the terms standing together as one phrase (`flash attention` before a post that
       has both words apart).
    Ties go to the newest post (its date, then the newest stored).
    """
    expression = _expression(terms, prefixes=prefixes)
    whole = _expression(terms, prefixes=False)
    questions = [whole] if whole != expression else []
    questions += [f"{{title}} : ({expression})", f"{{tags}} : ({expression})"]
    phrase = phrase_of(terms) if len(terms) > 1 else None
    if phrase is not None:
        questions.append(_expression([phrase], prefixes=prefixes))
    return questions


async def ranked_matches(
    db: aiosqlite.Connection, query: str, *, offset: int, limit: int
) -> tuple[int, list[int]] | None:
    """(total, ids of one page), best first (`rank_questions`); None when nothing is
    searchable.

    Only the RANKED_CANDIDATES most recently added matches are ranked, and the count is
    capped there: FTS5 walks a word's rowids backwards and stops after that many, while
    counting or ranking (BM25) a word found in 60k of 100k posts reads every position
    list (13–25 ms).  A word found whole that often is not searched as a prefix too: its
    prefix matches would rank below all of those.  Each rank question is one MATCH over
    the candidates' rowid range (FTS5 seeks there; a prefix's matches are gathered once
    per MATCH, so each is asked once), then the candidates are sorted by primary key.
    """
    terms = query_terms(query)
    if not terms:
        return None
    expression = _expression(terms)
    whole = _expression(terms, prefixes=False)
    prefixes = whole != expression
    if prefixes and await _ids(db, _NEWEST + " OFFSET :cap", whole, cap=RANKED_CANDIDATES - 1):
        expression, prefixes = whole, False  # found whole often enough: no prefixes
    candidates = await _ids(db, _NEWEST, expression, cap=RANKED_CANDIDATES)
    if not candidates:
        return 0, []
    params: dict[str, object] = {"floor": candidates[-1], "limit": limit, "offset": offset}
    questions = rank_questions(terms, prefixes=prefixes)
    order = ""
    for number, question in enumerate(questions):
        params[f"q{number}"] = question
        order += (
            f"p.id IN (SELECT rowid FROM posts_fts WHERE posts_fts MATCH :q{number} "
            "AND rowid >= :floor) DESC, "
        )
    marks = ",".join(str(int(post_id)) for post_id in candidates)
    sql = (
        f"SELECT p.id FROM posts p WHERE p.id IN ({marks}) "
        f"ORDER BY {order}p.date DESC, p.id DESC LIMIT :limit OFFSET :offset"
    )
    async with db.execute(sql, params) as cursor:
        ranked = [row[0] for row in await cursor.fetchall()]
    return len(candidates), ranked


_NEWEST = "SELECT rowid FROM posts_fts WHERE posts_fts MATCH :match ORDER BY rowid DESC LIMIT :cap"


async def _ids(db: aiosqlite.Connection, sql: str, match: str, **params: int) -> list[int]:
    async with db.execute(sql, {"match": match, **params}) as cursor:
        return [row[0] for row in await cursor.fetchall()]
