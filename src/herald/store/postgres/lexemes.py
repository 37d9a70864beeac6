"""Herald's search tokens as PostgreSQL `tsvector`s and `tsquery` literals.

The index text is what SQLite's FTS5 indexes (`herald.indexing.tokens.index_text`: CJK
runs already cut into bigrams).  PostgreSQL's own parser would cut it differently
(`arxiv.org/abs/x` is a host and a path, `3.14` a version, `FlashAttention-2` has a `-2`,
and what is a letter or its lower case depends on the database's locale), so the tokens
are made here, the way FTS5's `unicode61 remove_diacritics 2` tokenizer makes them: runs
of letters, digits and marks, diacritics removed, lower case.  The server is then handed
only those tokens, one space apart (`words`), which its parser with the `simple`
configuration takes exactly as they are: parsing there costs a fraction of building the
vector in Python (0.1 ms a post instead of 1.2).  A body too large for that (the server
refuses a vector past 1 MB) has its vector built here (`tsvector`), within every limit.

Positions run on across title (weight A), tags (B) and body (C); a phrase stays within
one field because the query asks for it field by field (`tsquery`), as FTS5's phrases
stay within a column.

PostgreSQL's limits, kept here so a long post is indexed rather than refused: positions
stop at 16,383 (later tokens share the last one: found as words, not as phrases), a
lexeme keeps its first 256 positions, a lexeme is at most 2,046 bytes, and a tsvector at
most 1 MB (a body past that is indexed up to where it fits).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

import regex

from herald.indexing.tokens import QueryTerm

_WORD = regex.compile(r"[\p{L}\p{N}\p{M}\p{Co}]+")
_NOT_WORD = regex.compile(r"[^\p{L}\p{N}\p{M}\p{Co}]+")
_ASCII_WORD = re.compile(r"[a-z0-9]+")
_ASCII_NOT_WORD = re.compile(r"[^a-z0-9]+")
_MARKS = regex.compile(r"\p{Mn}+")
MAX_POSITION = 16383
MAX_POSITIONS = 256
MAX_LEXEME_BYTES = 2046
MAX_TSVECTOR_BYTES = 1_000_000
"""Below PostgreSQL's 1 MB (1,048,575 bytes), with room for its headers."""
SERVER_PARSED_BYTES = 200_000
"""Words up to this size are parsed by the server; a vector of them cannot reach 1 MB
(each word of n bytes costs at most n + 8 bytes in it)."""


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


def tsvector(fields: Sequence[tuple[str, str]]) -> str:
    """A tsvector literal of (index text, weight letter) fields, positions run on (what
    the server makes of their `words`, within its limits)."""
    positions: dict[str, list[str]] = {}
    position = 0
    size = 0
    for text, weight in fields:
        for word in lexemes(text):
            position = min(position + 1, MAX_POSITION)
            found = positions.get(word)
            if found is None:
                size += len(word.encode()) + 8
                if size > MAX_TSVECTOR_BYTES:
                    break
                positions[word] = [f"{position}{weight}"]
            elif len(found) < MAX_POSITIONS:
                mark = f"{position}{weight}"
                if found[-1] != mark:  # past the last position, every token shares it
                    found.append(mark)
                    size += 3
    return " ".join(f"'{word}':{','.join(marks)}" for word, marks in positions.items())


def words(text: str) -> str:
    """The tokens of index text, folded, one space apart: what the server's parser takes
    as they are (a word too long for a lexeme it leaves out, as `lexemes` does)."""
    if text.isascii():
        return _ASCII_NOT_WORD.sub(" ", text.lower()).strip()
    return str(_NOT_WORD.sub(" ", fold(text))).strip()


SearchRow = tuple[int, str, str, str, str | None]
"""(post id, title words, tags words, body words, the whole vector when too large for the
server to parse): the parameters of `INSERT_SEARCH`."""
SEARCH_VECTORS = (
    "SELECT v.id, v.tt, coalesce(v.whole, v.tt || setweight(to_tsvector('simple', v.body), "
    "'C')) FROM (SELECT id, setweight(to_tsvector('simple', title), 'A') || "
    "setweight(to_tsvector('simple', tags), 'B') AS tt, body, whole FROM {rows}) AS v"
)
"""(post id, tt, tsv) of search rows: title and tags alone (for the tiers), and all."""
INSERT_SEARCH = (
    "INSERT INTO post_search (post_id, tt, tsv) "
    + SEARCH_VECTORS.format(
        rows="(SELECT %s::bigint AS id, %s::text AS title, %s::text AS tags, "
        "%s::text AS body, %s::tsvector AS whole) AS r"
    )
    + " ON CONFLICT (post_id) DO NOTHING"
)


def search_row(post_id: int, fts: tuple[str, str, str]) -> SearchRow:
    """A post's search row from its (title, tags, body) index text."""
    title, tags, body = (words(text) for text in fts)
    if len(body) <= SERVER_PARSED_BYTES:  # characters: at most 4 bytes each
        return post_id, title, tags, body, None
    return post_id, title, tags, "", tsvector([(title, "A"), (tags, "B"), (body, "C")])


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
