"""Emphasis next to CJK text: `这是**前1%**的人` is bold, as kramdown and readers expect.

CommonMark's flanking rule refuses a closing `**` with punctuation inside (`%`, `。`, `）`)
and a letter outside, which is how Chinese is written: there is no space to put there.
113 of 343 posts on one real Chinese blog kept literal `**` because of it.  The
"CommonMark CJK-friendly amendments" (tats-u/markdown-cjk-friendly; the JS
`markdown-it-cjk-friendly` plugin, markdig's and GitLab's option) relax the rule only
where a CJK character touches the delimiter run; Latin text parses exactly as before.

For `*` and `~` (delimiters that may split a word), a run not next to whitespace is both
left- and right-flanking as soon as either neighbour is a CJK character.  `_` keeps
CommonMark's rule (it needs punctuation on the outside anyway), and so does every run
next to whitespace.  This is the amended definitions worked out clause by clause, with the
spec's variation-selector refinements.  All 652 CommonMark spec examples render exactly as
without the rule (`tests/content/test_cjk_emphasis.py`).

The rule itself is `run_flags`, a pure function of the run's neighbouring characters, so
a second Markdown front end (pyromark, issue #18: a sentinel re-parse fed by these flags)
applies the very same decision.  `cjk_friendly_plugin` wires it into markdown-it-py.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import regex
from markdown_it import MarkdownIt
from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.parser_inline import ParserInline
from markdown_it.rules_inline.state_inline import Scanned, StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType

_EMOJI = regex.compile(r"\p{Emoji_Presentation}")
_HANGUL = regex.compile(r"\p{Script=Hangul}")
_QUOTES = frozenset("\u2018\u2019\u201c\u201d")
"""Ambiguous-width quotation marks that a U+FE01 selector makes full-width (CJK)."""


@lru_cache(maxsize=4096)
def cjk_kind(char: str) -> bool | None:
    """Whether `char` is a CJK character in the amendment's sense: East Asian Width W, F
    or H and not an emoji, or Hangul.  None when the width is ambiguous (A): then a
    following variation selector decides."""
    if ord(char) < 0x1100:  # nothing below Hangul Jamo is CJK
        return False
    width = unicodedata.east_asian_width(char)
    if width in ("F", "H"):
        return True
    if width == "W":
        return _EMOJI.match(char) is None
    if width == "A":
        return None
    if width == "N":
        return _HANGUL.match(char) is not None
    return False  # "Na"


def is_cjk(char: str) -> bool:
    return cjk_kind(char) is True


def _general_selector(char: str) -> bool:
    """U+FE00–U+FE0E: a variation selector that is not the emoji one (U+FE0F)."""
    return "\ufe00" <= char <= "\ufe0e"


def _ideographic_selector(char: str) -> bool:
    return "\U000e0100" <= char <= "\U000e01ef"


def _punct(char: str) -> bool:
    return isMdAsciiPunct(ord(char)) or isPunctChar(char)


def run_flags(before: str, earlier: str, after: str, can_split_word: bool) -> tuple[bool, bool]:
    """(can open, can close) of a delimiter run, CommonMark's rule with the CJK amendment.

    `before` is the character right before the run, `earlier` the one before that, and
    `after` the character right after it; a line's start or end counts as a space.
    `can_split_word` is true for `*` and `~`, false for `_`.
    """
    last = before
    base: str | None = None  # the character a variation selector after it modifies
    if _general_selector(before):
        base = earlier
        if unicodedata.category(earlier) != "Zs":
            last = earlier
    last_space = isWhiteSpace(ord(last))
    next_space = isWhiteSpace(ord(after))
    if last_space or next_space:  # as in CommonMark: flanking only away from the space
        return not next_space, not last_space
    last_punct = _punct(last)
    next_punct = _punct(after)
    if not can_split_word:  # `_`: CommonMark's rule, which the amendment leaves as it is
        return last_punct, next_punct
    if base is not None:
        kind = cjk_kind(base)
        previous_cjk = kind if kind is not None else before == "\ufe01" and base in _QUOTES
    else:
        kind = cjk_kind(before)
        previous_cjk = kind if kind is not None else _ideographic_selector(before)
    either_cjk = previous_cjk or is_cjk(after)
    left_flanking = last_punct or either_cjk or not next_punct
    right_flanking = next_punct or either_cjk or not last_punct
    return left_flanking, right_flanking


class CjkStateInline(StateInline):
    """markdown-it's inline state whose `scanDelims` applies `run_flags`: emphasis,
    strikethrough and any plugin rule that scans delimiters see the amended rule."""

    def scanDelims(self, start: int, canSplitWord: bool) -> Scanned:
        src = self.src
        marker = src[start]
        end = start
        while end < self.posMax and src[end] == marker:
            end += 1
        before = src[start - 1] if start > 0 else " "
        earlier = src[start - 2] if start > 1 else " "
        after = src[end] if end < self.posMax else " "
        can_open, can_close = run_flags(before, earlier, after, canSplitWord)
        return Scanned(can_open, can_close, end - start)


class _CjkParserInline(ParserInline):
    """`ParserInline.parse` with the state class above; everything else inherited."""

    def parse(self, src: str, md: MarkdownIt, env: EnvType, tokens: list[Token]) -> list[Token]:
        state = CjkStateInline(src, md, env, tokens)
        self.tokenize(state)
        for rule in self.ruler2.getRules(""):
            rule(state)
        return state.tokens


def cjk_friendly_plugin(md: MarkdownIt) -> None:
    """`MarkdownIt("commonmark").use(cjk_friendly_plugin)`, for that instance only.

    markdown-it-py hard-codes `StateInline(...)` in `ParserInline.parse`; swapping the
    instance's class keeps every ruler (and the other plugins' rules) as they are, where
    the PyPI `mdit-py-cjk-friendly` patches `StateInline` globally at import.
    """
    if type(md.inline) is not ParserInline and not isinstance(md.inline, _CjkParserInline):
        raise TypeError(f"another plugin replaced the inline parser ({type(md.inline)!r})")
    md.inline.__class__ = _CjkParserInline
