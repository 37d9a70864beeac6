"""Full-text search on PostgreSQL: what readers typed, as a safe tsquery, ranked as on SQLite.

The index (`post_search`) holds only published posts, so no join decides visibility.  The
query is built from `herald.indexing.tokens.query_terms` (letters and digits only: nothing
a reader types reaches tsquery syntax) as a literal of already folded lexemes.

The rule is SQLite's (`herald.store.sqlite.search.rank_questions`): only the
RANKED_CANDIDATES most recently added matches are ranked (the count is capped there), a
word found whole that often is not searched as a prefix too, and the candidates are
ordered by the same yes/no questions in the same order — every word whole (when prefixes
were searched), all terms in the title, all in the tags, the terms together as one phrase —
then newest first.  The candidates are one walk down the primary key (or, for a rare
query, one GIN lookup and a sort); the title and tag questions read the small `tt` vector.
"""

from __future__ import annotations

from herald.indexing.tokens import QueryTerm, query_terms
from herald.store.postgres.database import Connection, tuples
from herald.store.postgres.lexemes import tsquery

RANKED_CANDIDATES = 500
_NEWEST = "SELECT post_id FROM post_search WHERE tsv @@ %s::tsquery ORDER BY post_id DESC"
_LONG = "SELECT post_id FROM post_search WHERE part = 1"
"""Posts whose body is cut into several search rows (`lexemes.search_rows`): few."""


async def ranked_matches(
    conn: Connection, query: str, *, offset: int, limit: int
) -> tuple[int, list[int]] | None:
    """(total, ids of one page), best first; None when nothing is searchable."""
    terms = query_terms(query)
    if not terms:
        return None
    expression, whole = tsquery(terms), tsquery(terms, prefixes=False)
    if expression is None or whole is None:  # only diacritics: nothing in the index
        return 0, []
    prefixes = whole != expression
    if prefixes and len(await _newest(conn, terms, whole)) >= RANKED_CANDIDATES:
        expression, prefixes = whole, False  # found whole often enough: no prefixes
    candidates = await _newest(conn, terms, expression)
    if not candidates:
        return 0, []
    questions = ", ".join(_questions(terms, prefixes=prefixes))
    answers = await tuples(
        conn,
        f"SELECT s.post_id, {questions}, max(p.date) FROM post_search s "
        "JOIN posts p ON p.id = s.post_id WHERE s.post_id = ANY(%s) GROUP BY s.post_id",
        (candidates,),
        prepare=False,
    )
    answers.sort(key=lambda row: (*(not answer for answer in row[1:-1]), -row[-1], -row[0]))
    return len(candidates), [row[0] for row in answers[offset : offset + limit]]


async def _newest(conn: Connection, terms: list[QueryTerm], expression: str) -> list[int]:
    """The newest RANKED_CANDIDATES posts that match: in one search row (every post but a
    long one), or, with several terms, term by term across a long post's rows."""
    extra = (await tuples(conn, "SELECT count(*) FROM post_search WHERE part > 0"))[0][0]
    rows = await tuples(
        conn, f"{_NEWEST} LIMIT %s", (expression, RANKED_CANDIDATES + extra), prepare=False
    )  # a long post's rows may each match: as many more rows as there are such rows
    found = {row[0] for row in rows}
    if len(terms) > 1 and extra:
        found |= {row[0] for row in await tuples(conn, _across_parts(terms), prepare=False)}
    return sorted(found, reverse=True)[:RANKED_CANDIDATES]


def _every_term(
    column: str, terms: list[QueryTerm], *, weight: str = "", prefixes: bool = True
) -> str:
    """Each term found in some row of the post (rows of one post are grouped)."""
    found = [tsquery([term], weight, prefixes=prefixes) for term in terms]
    return " AND ".join(f"bool_or(s.{column} @@ {_literal(q)})" for q in found if q) or "true"


def _across_parts(terms: list[QueryTerm]) -> str:
    return (
        f"SELECT s.post_id FROM post_search s WHERE s.post_id IN ({_LONG}) GROUP BY s.post_id "
        f"HAVING {_every_term('tsv', terms)}"
    )


def _questions(terms: list[QueryTerm], *, prefixes: bool) -> list[str]:
    """SQLite's rank questions (`rank_questions`), most important first, as SQL booleans
    over a post's search rows."""
    expression = tsquery(terms, prefixes=prefixes)
    whole = tsquery(terms, prefixes=False)
    questions = [_every_term("tsv", terms, prefixes=False)] if whole != expression else []
    for weight in "AB":  # all terms in the title, then in the tags (the first row's)
        questions.append(_every_term("tt", terms, weight=weight, prefixes=prefixes))
    if len(terms) > 1:
        tokens = tuple(token for term in terms for token in term.tokens)
        together = tsquery([QueryTerm(tokens, terms[-1].prefix)], prefixes=prefixes)
        questions.append(f"bool_or(s.tsv @@ {_literal(together)})")
    return questions


def _literal(query: str | None) -> str:
    """A tsquery constant; its lexemes are letters, digits and marks only (`lexemes`), so
    no quote can be in them, and the quotes around each are Herald's own."""
    assert query is not None and "\\" not in query
    return "'" + query.replace("'", "''") + "'::tsquery"
