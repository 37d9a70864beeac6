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

from typing import Any

from herald.indexing.tokens import QueryTerm, phrase_of, query_terms
from herald.store.postgres.database import Connection, tuples
from herald.store.postgres.lexemes import tsquery

RANKED_CANDIDATES = 500
_LONG = "SELECT post_id FROM post_search WHERE part = 1"
"""Posts whose body is cut into several search rows (`lexemes.search_rows`): few."""


async def ranked_matches(
    conn: Connection, query: str, *, offset: int, limit: int
) -> tuple[int, list[int]] | None:
    """(total, ids of one page), best first; None when nothing is searchable.

    One walk down the newest matching rows answers every question per row (a long post's
    rows are then put together: a question is answered yes when each of its terms is in
    one of them); only a long post whose terms are spread over its rows needs a second
    look."""
    terms = query_terms(query)
    if not terms:
        return None
    expression, whole = tsquery(terms), tsquery(terms, prefixes=False)
    if expression is None or whole is None:  # only diacritics: nothing in the index
        return 0, []
    prefixes = whole != expression
    extra = int((await tuples(conn, "SELECT count(*) FROM post_search WHERE part > 0"))[0][0])
    if prefixes and await _found_whole_often(conn, whole, extra):
        expression, prefixes = whole, False  # found whole often enough: no prefixes
    questions = _questions(terms, prefixes=prefixes)
    columns = ", ".join(question for group in questions for question in group)
    matched = ["true"] * len(questions[0])  # a row the walk finds has every term
    in_walk = ", ".join([*matched, *(question for group in questions[1:] for question in group)])
    rows = await tuples(
        conn,
        f"SELECT post_id, date, {in_walk} FROM post_search WHERE tsv @@ %s::tsquery "
        "ORDER BY post_id DESC LIMIT %s",
        (expression, RANKED_CANDIDATES + extra),  # a long post's rows may each match
        prepare=False,
    )
    if len(terms) > 1 and extra:  # terms spread over a long post's rows
        rows += await tuples(
            conn,
            f"SELECT post_id, date, {columns} FROM post_search WHERE post_id IN "
            f"({_spread(terms, prefixes=prefixes)})",
            prepare=False,
        )
    ranked = _answers(rows, [len(group) for group in questions])
    candidates = sorted(ranked, key=lambda post: -post[0])[:RANKED_CANDIDATES]  # newest
    candidates.sort(key=lambda post: (*(not answer for answer in post[2:]), -post[1], -post[0]))
    return len(candidates), [post[0] for post in candidates[offset : offset + limit]]


async def _found_whole_often(conn: Connection, whole: str, extra: int) -> bool:
    rows = await tuples(
        conn,
        "SELECT count(DISTINCT post_id) FROM (SELECT post_id FROM post_search "
        "WHERE tsv @@ %s::tsquery ORDER BY post_id DESC LIMIT %s) AS newest",
        (whole, RANKED_CANDIDATES + extra),
        prepare=False,
    )
    return int(rows[0][0]) >= RANKED_CANDIDATES


def _answers(rows: list[tuple[Any, ...]], sizes: list[int]) -> list[tuple[Any, ...]]:
    """(post id, date, an answer per question) per post, from its rows' answers per term:
    a question is yes when each of its terms is yes in one of the post's rows."""
    by_post: dict[int, tuple[int, list[bool]]] = {}
    for post_id, date, *answers in rows:
        _, known = by_post.setdefault(post_id, (date, [False] * len(answers)))
        known[:] = [old or bool(new) for old, new in zip(known, answers, strict=True)]
    posts = []
    for post_id, (date, answers) in by_post.items():
        found, start = [], 0
        for size in sizes:
            found.append(all(answers[start : start + size]))
            start += size
        if found[0]:  # the first group is the match itself: every term somewhere
            posts.append((post_id, date, *found[1:]))
    return posts


def _questions(terms: list[QueryTerm], *, prefixes: bool) -> list[list[str]]:
    """Per question, one SQL boolean per term: the match itself (every term, as searched),
    then SQLite's rank questions (`rank_questions`), most important first — every word
    whole (when prefixes are searched), all terms in the title, all in the tags, the terms
    together as one phrase."""
    expression = tsquery(terms, prefixes=prefixes)
    whole = tsquery(terms, prefixes=False)
    questions = [_per_term("tsv", terms, prefixes=prefixes)]
    if whole != expression:
        questions.append(_per_term("tsv", terms, prefixes=False))
    for weight in "AB":  # all terms in the title, then in the tags (the first row's)
        questions.append(_per_term("tt", terms, weight=weight, prefixes=prefixes))
    phrase = phrase_of(terms) if len(terms) > 1 else None
    together = tsquery([phrase], prefixes=prefixes) if phrase is not None else None
    if together is not None:
        questions.append([f"tsv @@ {_literal(together)}"])
    return questions


def _per_term(
    column: str, terms: list[QueryTerm], *, weight: str = "", prefixes: bool = True
) -> list[str]:
    found = [tsquery([term], weight, prefixes=prefixes) for term in terms]
    return [f"{column} @@ {_literal(query)}" for query in found if query] or ["true"]


def _spread(terms: list[QueryTerm], *, prefixes: bool) -> str:
    """Long posts with every term in some row of theirs."""
    found = (tsquery([term], prefixes=prefixes) for term in terms)
    each = " AND ".join(f"bool_or(tsv @@ {_literal(query)})" for query in found if query)
    return (
        f"SELECT post_id FROM post_search WHERE post_id IN ({_LONG}) GROUP BY post_id "
        f"HAVING {each or 'true'}"
    )


def _literal(query: str | None) -> str:
    """A tsquery constant; its lexemes are letters, digits and marks only (`lexemes`), so
    no quote can be in them, and the quotes around each are Herald's own."""
    assert query is not None and "\\" not in query
    return "'" + query.replace("'", "''") + "'::tsquery"
