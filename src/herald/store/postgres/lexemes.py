"""Herald's search tokens as PostgreSQL `tsvector` and `tsquery` literals, made in Python.

The index text is what SQLite's FTS5 indexes (`herald.indexing.tokens.index_text`: CJK
runs already cut into bigrams).  PostgreSQL's own parser would cut it differently
(`arxiv.org/abs/x` is a host and a path, `FlashAttention-2` has a `-2`, and what is a
letter depends on the database's locale), so the lexemes are made here, the way FTS5's
`unicode61 remove_diacritics 2` tokenizer makes its tokens: runs of letters, digits and
marks, diacritics removed, lower case.  Literals are cast (`::tsvector`, `::tsquery`),
never parsed by a text search configuration, so the database's locale and configuration
do not matter.

Positions run on across title (weight A), tags (B) and body (C), with a gap between the
fields so a phrase never spans two of them (FTS5 phrases stay within a column).

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
_ASCII_WORD = re.compile(r"[a-z0-9]+")
_MARKS = regex.compile(r"\p{Mn}+")
MAX_POSITION = 16383
MAX_POSITIONS = 256
MAX_LEXEME_BYTES = 2046
MAX_TSVECTOR_BYTES = 1_000_000
"""Below PostgreSQL's 1 MB (1,048,575 bytes), with room for its headers."""


def fold(text: str) -> str:
    """Lower case without diacritics (`é` → `e`), as FTS5's unicode61 folds."""
    if text.isascii():
        return text.lower()
    stripped = _MARKS.sub("", unicodedata.normalize("NFD", text))
    return unicodedata.normalize("NFC", stripped).lower()


def lexemes(text: str) -> list[str]:
    """The tokens of index text, folded."""
    if text.isascii():
        return _ASCII_WORD.findall(text.lower())
    return [word for word in _WORD.findall(fold(text)) if len(word.encode()) <= MAX_LEXEME_BYTES]


def tsvector(fields: Sequence[tuple[str, str]]) -> str:
    """A tsvector literal of (index text, weight letter) fields, positions run on."""
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
        position = min(position + 1, MAX_POSITION)  # the gap: no phrase across fields
    return " ".join(f"'{word}':{','.join(marks)}" for word, marks in positions.items())


def post_vectors(fts: tuple[str, str, str]) -> tuple[str, str]:
    """(tt, tsv) of a post's (title, tags, body) index text: title and tags alone, and all."""
    title, tags, body = fts
    return tsvector([(title, "A"), (tags, "B")]), tsvector([(title, "A"), (tags, "B"), (body, "C")])


def tsquery(terms: Iterable[QueryTerm], weight: str = "") -> str | None:
    """Terms ANDed, each a phrase of its tokens (`<->`: next to each other), the last one a
    prefix when the term says so; `weight` restricts every lexeme to that field.  None
    when nothing searchable is left (a term of diacritics only)."""
    phrases = []
    for term in terms:
        words = [word for token in term.tokens for word in lexemes(token)]
        if not words:
            continue
        marks = [f"'{word}':{weight}" if weight else f"'{word}'" for word in words]
        if term.prefix:
            marks[-1] = f"'{words[-1]}':*{weight}"
        phrases.append(marks[0] if len(marks) == 1 else f"({' <-> '.join(marks)})")
    return " & ".join(phrases) if phrases else None
