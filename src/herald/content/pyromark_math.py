"""Find math the way Herald's markdown-it front end does, for the pyromark (pulldown-cmark) one.

pulldown-cmark's `ENABLE_MATH` follows GitHub's `$` rules (no space just inside the
delimiters, `$$…$$` only ever inline, no blank line inside) and knows neither `\\(…\\)`
nor `\\[…\\]`.  Herald's markdown-it front end (`dollarmath` with `double_inline=True,
allow_digits=False`, `texmath` with `delimiters="brackets"`) reads math differently in
many small ways: `$ x $` is math, `$a$5` is not, `$$…$$` on its own lines is a block
that may hold blank lines or lines that look like list items.

The rules, shared by two entry points that `herald.content.pyromark_document` uses:

- `expected_math(source)` (`herald.content.pyromark_expected`): the math markdown-it
  would find, judged without a parse (fenced code, HTML blocks and indented code guessed
  from the lines).  The caller parses with `ENABLE_MATH` and keeps pulldown-cmark's
  reading only if its math events are exactly these spans; most posts end there.
- `find_math(source)` (`herald.content.pyromark_placeholders`): exact.  A first parse
  (math off, with source ranges) says where inline content is; math is found there with
  markdown-it's rules, and each span is replaced by a placeholder that pulldown-cmark
  reads as plain text: `$`, one private-use character (the span's number), any `|` the
  span held (so a line that was not a table row does not become one), `$`.  The `$` on
  each side keep the delimiter's effect on emphasis flanking (`$` is ASCII punctuation
  to both parsers).

Rules reproduced (markdown-it-py 4.x, mdit-py-plugins 0.7, as Herald configures them):

- inline, left to right as markdown-it's inline rules run (`_INLINE`): `\\(…\\)` up to
  the first `\\)`; a backslash escapes the next character; a backtick run opens a code
  span if a run of the same length follows, else is text; `<…>` is skipped when it is an
  autolink or an HTML tag; an inline link's destination and title are skipped (exact
  path only); `$…$` / `$$…$$`: not after a digit, closed by the next unescaped `$`
  (`$$`), not followed by a digit, not empty, spaces inside allowed;
- blocks, where a block may start: `$$` … a line ending in `$$` (blank lines allowed;
  `$$ … $$ (label)` too) and `\\[` … `\\]` (optionally `(label)`), bounded by the
  enclosing blockquote; the rest of `\\]`'s line is dropped, as markdown-it drops it
  (`herald.content.pyromark_block_math`);
- markdown-it-py quirks kept on purpose, so both front ends give the same Document: the
  digit and escape checks before a `$` at the very start of a paragraph read its *last*
  character (Python's `src[-1]`), so `$x$ costs 5` has no math; `str.strip()` (all
  Unicode whitespace) bounds paragraphs and lines.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from typing import Final

INLINE: Final = 0
"""`$…$` or `\\(…\\)` in running text."""
DOUBLE: Final = 1
"""`$$…$$` in running text (markdown-it's `math_inline_double`)."""
BLOCK: Final = 2
"""`$$…$$` or `\\[…\\]` as a block of its own (markdown-it's `math_block*`)."""

MAYBE_NOT: Final = 0
"""`$$…$$` that cannot be a block (not at a line start, or the block rule fails there)."""
MAYBE_SAME: Final = 1
"""`$$…$$` at a line start whose block reading has the same extent: a block exactly when
the parser says a block starts there."""
MAYBE_DIFFERENT: Final = 2
"""`$$…$$` at a line start whose block reading differs: undecidable without the parser."""

PLACEHOLDER_BASE: Final = 0xF0000
"""Placeholders use Supplementary Private Use Area-A, one code point per span."""
PLACEHOLDER_LIMIT: Final = 0xFFFFD - PLACEHOLDER_BASE
PLACEHOLDER: Final = re.compile("\\$([\U000f0000-\U000ffffd])\\|*\\$")
_PRIVATE: Final = re.compile("[\U000f0000-\U000ffffd]")


def has_private(source: str) -> bool:
    """Whether the source already holds a placeholder character (then math is left alone).

    Only a string stored four bytes a character (CPython's PEP 393 layout: one with a
    character past U+FFFF, such as an emoji) can hold one, and `sys.getsizeof` tells
    that in O(1); searching a CJK text for the range costs about 15 µs a post.
    """
    if sys.getsizeof(source) < 4 * len(source) + 60:
        return False
    return bool(_PRIVATE.search(source))


@dataclass(frozen=True, slots=True)
class MathSpan:
    """One math span found in the source."""

    tex: str
    """Its content as markdown-it's token would hold it (not yet stripped or collapsed)."""
    kind: int
    """INLINE, DOUBLE or BLOCK."""
    source: str
    """The source text it replaced, for a placeholder that lands outside text."""


_DIGIT_RANGES: Final = (
    (0x30, 0x39),
    (0xB2, 0xB3),
    (0xB9, 0xB9),
    (0x660, 0x669),
    (0x6F0, 0x6F9),
    (0x7C0, 0x7C9),
    (0x966, 0x96F),
    (0x9E6, 0x9EF),
    (0xA66, 0xA6F),
    (0xAE6, 0xAEF),
    (0xB66, 0xB6F),
    (0xBE6, 0xBEF),
    (0xC66, 0xC6F),
    (0xCE6, 0xCEF),
    (0xD66, 0xD6F),
    (0xDE6, 0xDEF),
    (0xE50, 0xE59),
    (0xED0, 0xED9),
    (0xF20, 0xF29),
    (0x1040, 0x1049),
    (0x1090, 0x1099),
    (0x1369, 0x1371),
    (0x17E0, 0x17E9),
    (0x1810, 0x1819),
    (0x1946, 0x194F),
    (0x19D0, 0x19DA),
    (0x1A80, 0x1A89),
    (0x1A90, 0x1A99),
    (0x1B50, 0x1B59),
    (0x1BB0, 0x1BB9),
    (0x1C40, 0x1C49),
    (0x1C50, 0x1C59),
    (0x2070, 0x2070),
    (0x2074, 0x2079),
    (0x2080, 0x2089),
    (0x2460, 0x2468),
    (0x2474, 0x247C),
    (0x2488, 0x2490),
    (0x24EA, 0x24EA),
    (0x24F5, 0x24FD),
    (0x24FF, 0x24FF),
    (0x2776, 0x277E),
    (0x2780, 0x2788),
    (0x278A, 0x2792),
    (0xA620, 0xA629),
    (0xA8D0, 0xA8D9),
    (0xA900, 0xA909),
    (0xA9D0, 0xA9D9),
    (0xA9F0, 0xA9F9),
    (0xAA50, 0xAA59),
    (0xABF0, 0xABF9),
    (0xFF10, 0xFF19),
    (0x104A0, 0x104A9),
    (0x10A40, 0x10A43),
    (0x10D30, 0x10D39),
    (0x10E60, 0x10E68),
    (0x11052, 0x1105A),
    (0x11066, 0x1106F),
    (0x110F0, 0x110F9),
    (0x11136, 0x1113F),
    (0x111D0, 0x111D9),
    (0x112F0, 0x112F9),
    (0x11450, 0x11459),
    (0x114D0, 0x114D9),
    (0x11650, 0x11659),
    (0x116C0, 0x116C9),
    (0x11730, 0x11739),
    (0x118E0, 0x118E9),
    (0x11950, 0x11959),
    (0x11C50, 0x11C59),
    (0x11D50, 0x11D59),
    (0x11DA0, 0x11DA9),
    (0x16A60, 0x16A69),
    (0x16AC0, 0x16AC9),
    (0x16B50, 0x16B59),
    (0x1D7CE, 0x1D7FF),
    (0x1E140, 0x1E149),
    (0x1E2F0, 0x1E2F9),
    (0x1E950, 0x1E959),
    (0x1F100, 0x1F10A),
    (0x1FBF0, 0x1FBF9),
)
"""Every character `str.isdigit()` accepts (`²`, `１`, `٣`…) as ranges, for Python
3.11's Unicode; `tests/content/test_front_ends_agree.py` checks them."""


def _digit_class() -> str:
    """A regex class of every character `str.isdigit()` accepts."""
    return "[" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in _DIGIT_RANGES) + "]"


_D: Final = _digit_class()
HTML_ATTRIBUTE: Final = (
    r"""(?:\s+[a-zA-Z_:][a-zA-Z0-9:._-]*(?:\s*=\s*(?:[^"'=<>`\x00-\x20]+|'[^']*'|"[^"]*"))?)"""
)
_HTML_TAG: Final = (
    r"<[A-Za-z][A-Za-z0-9\-]*" + HTML_ATTRIBUTE + r"*\s*/?>|</[A-Za-z][A-Za-z0-9\-]*\s*>"
    r"|<!---?>|<!--(?:[^-]|-[^-]|--[^>])*-->|<[?][\s\S]*?[?]>|<![A-Za-z][^>]*>"
    r"|<!\[CDATA\[[\s\S]*?\]\]>"
)
"""markdown-it's HTML_TAG_RE."""
_AUTOLINK: Final = (
    r"<[a-zA-Z][a-zA-Z0-9+.\-]{1,31}:[^<>\x00-\x20]*>"
    r"|<[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
    r"(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*>"
)
_CHAR: Final = r"(?:[^\\$\n]++|\n(?![ \t]*\n)|\\[\s\S])"
"""One character of math content: a `$` only escaped, never a blank line (a paragraph
ends there, so markdown-it's inline source never holds one)."""
_INLINE: Final = re.compile(
    r"\\(?:(?P<bracket>\((?P<btex>(?:(?!\n[ \t]*\n)[\s\S])+?)\\\))|[\s\S])"
    r"|(?>(?P<ticks>`+))(?:(?:(?!\n[ \t]*\n)[\s\S])*?(?<!`)(?P=ticks)(?!`))?"
    rf"|\$(?<!{_D}\$)(?:(?P<double>\$(?P<ddtex>(?:{_CHAR}|\$(?!\$))++)\$\$)"
    rf"|(?!\$)(?P<single>(?P<dtex>{_CHAR}++)\$))(?!{_D})"
    rf"|{_AUTOLINK}|{_HTML_TAG}"
)
"""markdown-it's inline rules that can hide or make math, in their order at a position:
bracket math, escape, code span (or a backtick run that opens none), dollar math,
autolink, HTML tag.  Everything else is text, scanned past one character at a time."""
LINE_PREFIX: Final = re.compile(r"(?:[ \t>]*(?:[-*+]|\d{1,9}[.)])[ \t]+)*[ \t>]*")

Found = tuple[int, int, int, str]
"""A span found: start, end, kind, content (offsets into the source text)."""


# -- the inline scan -------------------------------------------------------------------------


def inline_spans(
    text: str, start: int, end: int, skips: list[tuple[int, int]], found: list[Found]
) -> None:
    """markdown-it's inline math over the inline source `text[start:end]`, left to right.

    `skips`: ranges inside it where markdown-it never looks (link destinations), sorted.
    Jumps from one `$`, backtick, backslash or `<` to the next with `str.find` (a regex
    scan is slow over CJK text) and reads what starts there with `_INLINE`.
    """
    last = text[end - 1] if end > start else ""
    position = start
    if last.isdigit() or last == "\\":  # markdown-it-py's `src[pos - 1]` at pos 0: src[-1]
        first = _INLINE.match(text, start, end)
        if first is not None and (first["single"] or first["double"]):
            position = start + 1  # the rule fails at the first `$`: it is text
    find = text.find
    marks = [find(mark, position, end) for mark in _MARKS]
    marks = [end if at == -1 else at for at in marks]
    skip = 0
    match_at = _INLINE.match
    while True:
        at = min(marks)
        if at >= end:
            return
        while skip < len(skips) and skips[skip][1] <= at:
            skip += 1
        if skip < len(skips) and skips[skip][0] <= at:
            position = skips[skip][1]
        else:
            match = match_at(text, at, end)
            if match is None:
                position = at + 1
            else:
                position = match.end()
                if match["single"]:
                    found.append((at, position, INLINE, match["dtex"]))
                elif match["double"]:
                    found.append((at, position, DOUBLE, match["ddtex"]))
                elif match["bracket"]:
                    found.append((at, position, INLINE, match["btex"]))
        for index in range(4):
            if marks[index] < position:
                next_at = find(_MARKS[index], position, end)
                marks[index] = end if next_at == -1 else next_at


_MARKS: Final = ("$", "`", "\\", "<")


# -- exact: regions from a first parse ---------------------------------------------------------
