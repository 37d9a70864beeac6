"""Herald's search tokens as PostgreSQL `tsvector`s and `tsquery` literals.

The index text is what SQLite's FTS5 indexes (`herald.indexing.tokens.index_text`: CJK
runs already cut into bigrams).  PostgreSQL's own parser would cut it differently
(`arxiv.org/abs/x` is a host and a path, `3.14` a version, `FlashAttention-2` has a `-2`,
and what is a letter or its lower case depends on the database's locale), so the tokens
are made here, the way FTS5's `unicode61 remove_diacritics 2` tokenizer makes them: runs
of letters, digits and marks, diacritics removed, lower case.  The server is then handed
only those tokens, one space apart (`words`), which its parser with the `simple`
configuration takes exactly as they are: parsing there costs a fraction of building the
vector in Python (0.1 ms a post instead of 1.2).

Positions run on across title (weight A), tags (B) and body (C); a phrase stays within
one field because the query asks for it field by field (`tsquery`), as FTS5's phrases
stay within a column.

PostgreSQL's limits are met by cutting a long body into parts, one search row each
(`search_rows`): a tsvector keeps positions up to 16,383 and 256 of them a word, and holds
at most 1 MB; a word past 2,046 bytes is no lexeme (left out, as the server leaves it).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import regex

from herald.indexing.tokens import QueryTerm

_WORD = regex.compile(r"[\p{L}\p{N}\p{M}\p{Co}]+")
_NOT_WORD = regex.compile(r"[^\p{L}\p{N}\p{M}\p{Co}]+")
_ASCII_WORD = re.compile(r"[a-z0-9]+")
_ASCII_NOT_WORD = re.compile(r"[^a-z0-9]+")
_MARKS = regex.compile(r"\p{Mn}+")
MAX_LEXEME_BYTES = 2046
"""PostgreSQL's limit for one lexeme (a longer word is left out, by the server too)."""
PART_WORDS = 4000
"""Words of a body in one search row: far below a tsvector's 16,383 positions, and few
enough that a word keeps all its positions (256 at most) unless it is every 16th word."""
PART_OVERLAP = 64
"""Words a part repeats of the one before: a phrase that long across a cut is found."""
PART_CHARS = 200_000
"""Characters of a part at most (4 bytes each at most): its vector stays under 1 MB."""


def fold(text: str) -> str:
    """Lower case without diacritics (`é` → `e`), as FTS5's unicode61 folds."""
    if text.isascii():
        return text.lower()
    stripped = _MARKS.sub("", unicodedata.normalize("NFD", text))
    return unicodedata.normalize("NFC", stripped).lower()


def lexemes(text: str) -> list[str]:
    """The tokens of index text, folded (a word too long to be a lexeme left out)."""
    if text.isascii():
        found: list[str] = _ASCII_WORD.findall(text.lower())
        return [word for word in found if len(word) <= MAX_LEXEME_BYTES]
    return [word for word in _WORD.findall(fold(text)) if len(word.encode()) <= MAX_LEXEME_BYTES]


def words(text: str) -> str:
    """The tokens of index text, folded, one space apart: what the server's parser takes
    as they are (a word too long for a lexeme it leaves out, as `lexemes` does)."""
    if text.isascii():
        return _ASCII_NOT_WORD.sub(" ", text.lower()).strip()
    return str(_NOT_WORD.sub(" ", fold(text))).strip()


SearchRow = tuple[int, int, int, str, str, str]
"""(post id, part, date, title words, tags words, body words): `INSERT_SEARCH`'s values."""
SEARCH_VECTORS = (
    "SELECT v.id, v.part, v.date, v.tt, v.tt || setweight(to_tsvector('simple', v.body), "
    "'C') FROM (SELECT id, part, date, setweight(to_tsvector('simple', title), 'A') || "
    "setweight(to_tsvector('simple', tags), 'B') AS tt, body FROM {rows}) AS v"
)
"""(post id, part, date, tt, tsv) of search rows: title and tags alone (for the tiers),
and all."""
INSERT_SEARCH = (
    "INSERT INTO post_search (post_id, part, date, tt, tsv) "
    + SEARCH_VECTORS.format(
        rows="(SELECT %s::bigint AS id, %s::integer AS part, %s::bigint AS date, "
        "%s::text AS title, %s::text AS tags, %s::text AS body) AS r"
    )
    + " ON CONFLICT (post_id, part) DO NOTHING"
)


def search_rows(post_id: int, date: int, fts: tuple[str, str, str]) -> list[SearchRow]:
    """A post's search rows from its (title, tags, body) index text: one, or for a long
    body one per `PART_WORDS` of it (each piece overlapping the last by `PART_OVERLAP`)."""
    title, tags, body = (words(text) for text in fts)
    if body.count(" ") < PART_WORDS and len(body) <= PART_CHARS:
        return [(post_id, 0, date, title, tags, body)]
    pieces = body.split(" ")
    rows: list[SearchRow] = []
    start = 0
    while start < len(pieces) or not rows:
        end = start + PART_WORDS
        while len(" ".join(pieces[start:end])) > PART_CHARS and end > start + 1:
            end = start + (end - start) // 2  # long words: fewer of them in a part
        names = (title, tags) if not rows else ("", "")
        rows.append((post_id, len(rows), date, *names, " ".join(pieces[start:end])))
        start = max(end - PART_OVERLAP, start + 1) if end < len(pieces) else len(pieces)
    return rows


def tsquery(terms: Iterable[QueryTerm], weight: str = "", *, prefixes: bool = True) -> str | None:
    """Terms ANDed, each a phrase of its tokens (`<->`: next to each other) within one
    field, the last one a prefix when the term says so (with `prefixes`; without, only a
    lone CJK character stays one: as a token of its own it exists only at a run's end);
    `weight` restricts every term to that field.  None when nothing searchable is left
    (a term of diacritics only)."""
    phrases = []
    for term in terms:
        found = [word for token in term.tokens for word in lexemes(token)]
        if not found:
            continue
        prefix = term.prefix and (prefixes or len(term.tokens[-1]) == 1)
        fields = weight or ("" if len(found) == 1 else "ABC")
        phrases.append(_phrase(found, prefix, fields))
    return " & ".join(phrases) if phrases else None


def _phrase(words: list[str], prefix: bool, fields: str) -> str:
    """The words next to each other (`<->`) in one of `fields` ("": anywhere)."""
    alternatives = []
    for field in fields or [""]:
        marks = [f"'{word}':{field}" if field else f"'{word}'" for word in words]
        if prefix:
            marks[-1] = f"'{words[-1]}':*{field}"
        alternatives.append(marks[0] if len(marks) == 1 else f"({' <-> '.join(marks)})")
    return alternatives[0] if len(alternatives) == 1 else f"({' | '.join(alternatives)})"
