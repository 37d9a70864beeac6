"""Where a search matched: the snippet a result card shows instead of the post's opening.

A snippet is an exact slice of the text the index was built from (the post's searchable
text, `herald.content.searchable`), so what a reader sees is what was matched, character
for character; the renderers only escape it and emphasise its hits.  Hits are found the
way the index matches (`herald.indexing.tokens`), ignoring case: a Latin word whole or,
for a prefix term, as a word's beginning (the whole word is emphasised), CJK characters
side by side, units of other scripts with anything but letters and digits between them.
(Accents are not ignored here: `cafe` finds `café` in the index, and the card then shows
the post's excerpt.)  Every backend
can use `find_snippet` on its stored text; none has to re-create FTS5's `snippet()`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

from herald.indexing.tokens import QueryTerm, is_cjk
from herald.limits import SEARCH_SNIPPET_CHARS, SEARCH_SNIPPET_LEAD

_CJK = r"\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}"
_LETTER = rf"(?:(?![{_CJK}])[\p{{L}}\p{{M}}])"
_GAP = r"[^\p{L}\p{N}]*"
_HITS_PER_TERM = 64
"""Enough to find the best window in a long post without scanning all of a common word."""
_WORD_EDGE = regex.compile(rf"{_LETTER}+|\p{{N}}+")


@dataclass(frozen=True, slots=True)
class Snippet:
    """A slice of a post's text around its best hit, with the hits in it."""

    text: str
    hits: tuple[tuple[int, int], ...]
    """(start, end) of each hit within `text`, in order, not overlapping."""
    cut_before: bool = False
    cut_after: bool = False

    def pieces(self) -> list[tuple[str, bool]]:
        """The text as (piece, is a hit), in order, joined losslessly."""
        pieces: list[tuple[str, bool]] = []
        last = 0
        for start, end in self.hits:
            if start > last:
                pieces.append((self.text[last:start], False))
            pieces.append((self.text[start:end], True))
            last = end
        if last < len(self.text):
            pieces.append((self.text[last:], False))
        return pieces

    def shortened(self, chars: int) -> Snippet:
        """At most `chars` characters, cut between graphemes; hits past the cut are dropped
        and a hit the cut goes through is kept whole (the first is always kept)."""
        if len(self.text) <= chars:
            return self
        end = max(chars, self.hits[0][1] if self.hits else 0)
        kept = tuple(hit for hit in self.hits if hit[0] < end)
        end = max([end, *(hit_end for _, hit_end in kept)])
        clusters = regex.finditer(r"\X", self.text)
        cut = next((m.start() for m in clusters if m.start() >= end), len(self.text))
        return Snippet(self.text[:cut].rstrip(), kept, self.cut_before, cut < len(self.text))


def _unit_pattern(unit: str) -> str:
    if is_cjk(unit):
        return str(regex.escape(unit))
    if unit[0].isdigit():
        return rf"(?<!\p{{N}}){regex.escape(unit)}"
    return rf"(?<!{_LETTER}){regex.escape(unit)}"


@functools.lru_cache(maxsize=256)
def term_pattern(term: QueryTerm) -> regex.Pattern[str]:
    """Where `term` stands in a text, as the index would match it (kept for the next
    search, as a reader pages through one)."""
    pattern = ""
    for index, unit in enumerate(term.units):
        if index:
            both_cjk = is_cjk(unit) and is_cjk(term.units[index - 1])
            pattern += "" if both_cjk else _GAP
        pattern += _unit_pattern(unit)
    last = term.units[-1]
    if not is_cjk(last):
        if last[0].isdigit():
            pattern += r"(?!\p{N})"
        else:
            pattern += f"{_LETTER}*" if term.prefix else f"(?!{_LETTER})"
    return regex.compile(pattern, regex.IGNORECASE | regex.FULLCASE)


def _hits(text: str, terms: list[QueryTerm]) -> list[tuple[int, int, int]]:
    found = []
    for number, term in enumerate(terms):
        if not term.units:
            continue
        for count, match in enumerate(term_pattern(term).finditer(text)):
            if count == _HITS_PER_TERM:
                break
            found.append((match.start(), match.end(), number))
    return sorted(found)


def _best_start(hits: list[tuple[int, int, int]]) -> int:
    """The first hit of the window of SEARCH_SNIPPET_CHARS with the most distinct terms
    (earliest wins a tie)."""
    best, best_terms, right = 0, 0, 0
    for left, (start, _, _) in enumerate(hits):
        right = max(right, left)
        while right + 1 < len(hits) and hits[right + 1][1] - start <= SEARCH_SNIPPET_CHARS:
            right += 1
        distinct = len({number for _, _, number in hits[left : right + 1]})
        if distinct > best_terms:
            best, best_terms = left, distinct
    return best


def _back_to_boundary(text: str, position: int) -> int:
    """`position`, moved forward out of a word or digit run it falls inside."""
    if 0 < position < len(text):
        inside = _WORD_EDGE.match(text, position - 1)
        if inside and inside.end() > position:
            return int(inside.end())
    return position


def find_snippet(text: str, terms: list[QueryTerm]) -> Snippet | None:
    """The slice of `text` around its best hit, or None when no term is found in it."""
    hits = _hits(text, terms)
    if not hits:
        return None
    first = _best_start(hits)
    anchor = hits[first][0]
    start = _back_to_boundary(text, max(0, anchor - SEARCH_SNIPPET_LEAD))
    start = min(start, anchor)
    while start < anchor and text[start].isspace():
        start += 1
    end = max(anchor + SEARCH_SNIPPET_CHARS - SEARCH_SNIPPET_LEAD, hits[first][1])
    end = min(len(text), end)
    if end < len(text):
        inside = _WORD_EDGE.match(text, end - 1)
        if inside and inside.end() > end:  # do not cut a word: end where it ends
            end = inside.end()
    kept: list[tuple[int, int]] = []
    for hit_start, hit_end, _ in hits:
        if hit_start < start or hit_end > end:
            continue
        if kept and hit_start - start <= kept[-1][1]:  # touching or overlapping: one hit
            kept[-1] = (kept[-1][0], max(kept[-1][1], hit_end - start))
        else:
            kept.append((hit_start - start, hit_end - start))
    body = text[start:end]
    trimmed = body.rstrip()
    kept = [(a, min(b, len(trimmed))) for a, b in kept if a < len(trimmed)]
    return Snippet(trimmed, tuple(kept), start > 0, end < len(text))
