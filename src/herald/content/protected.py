"""The parts of a Markdown source that the pre-passes must never touch: code and math.

Herald rewrites the source twice before parsing it, as Jekyll does: Liquid first
(`herald.content.liquid`), then kramdown's reader-invisible syntax
(`herald.content.kramdown`).  Both must leave code and math exactly as written — a
chat-template note's `{% for m in messages %}` in a fence, `` `{:toc}` `` in a code span,
`$\\{:x\\}$` — so both scanners start with these same alternatives, matched before
anything of theirs, and hand a match of them back verbatim; the search text reads the
same regions (`herald.content.searchable`).

The patterns approximate CommonMark's own rules closely enough for this job, within one
block: fenced code (also inside `>` quotes, unclosed to the end of the text), code spans
of any backtick length, `$$…$$`, `$…$`, `\\(…\\)` and `\\[…\\]`.  Inline `$…$` may go on
over a line break, as markdown-it's dollar math does in a paragraph, and a line that
opens with `$$` is math up to the first line that ends with `$$`, as its math block is,
whatever `$$` stand between.  Indented code is not protected; the kramdown block rules
need at most three spaces of indentation instead.

Every alternative opens with a literal outside any group, and a line start is the
newline before it (the scanned text gets one in front): CPython's `re` then jumps from
one candidate character to the next, where a pattern opening with `^`, a lookahead or a
group is tried at every character (BENCHMARKS.md, "Openings and fast scans").
`tests/content/test_fast_scans.py` keeps the plain `^` form these replaced and checks
that both find the same regions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

PROTECTED_AFTER_NEWLINE = r"""
      \n(?:(?P<fence>[ \t>]*(?P<ticks>`{3,}|~{3,})[^\n]*
          (?:\n.*?)??(?:\n[ \t>]*(?P=ticks)[`~]*[ \t]*(?=\n|\Z)|\Z))
        | (?P<line_math>[ \t]{0,3}\$\$(?:(?!\n[ \t]*\n).)*?\$\$[ \t]*(?=\n|\Z)))
    | `(?P<span>(?P<bt>`*)(?:[^`\n]|\n(?![ \t]*\n)|(?!`(?P=bt))`+)+?`(?P=bt)(?!`))
    | \$(?P<dollar_math>\$(?:(?!\n[ \t]*\n)[^$]|\$(?!\$))+?\$\$|(?:[^$\n]|\n(?![ \t]*\n))+?\$)
    | \\(?P<bracket_math>\((?:(?!\n[ \t]*\n).)+?\\\)|\[(?:(?!\n[ \t]*\n).)+?\\\])
"""
"""Alternatives for a scanner compiled with `re.S | re.X` and run over the text with a
newline in front; its groups are `fence`, `ticks`, `line_math`, `span`, `bt`,
`dollar_math` and `bracket_math`, so a scanner must not use those names itself.  A
`fence` or `line_math` match starts with the newline before its line."""

KEPT = frozenset({"fence", "span", "line_math", "dollar_math", "bracket_math"})
"""`match.lastgroup` of a protected region: returned as it is."""


def outside_protected(
    scanner: re.Pattern[str], replace: Callable[[re.Match[str]], str], text: str
) -> str:
    """`scanner.sub(replace, …)` over the text with a newline in front, as a scanner built
    on `PROTECTED_AFTER_NEWLINE` reads it, that newline taken off again; its protected
    matches (`KEPT`) stay as they are without a call for each (a long post has hundreds
    of code and math regions, and only its few tags change)."""
    text = "\n" + text
    pieces: list[str] = []
    last = 0
    for match in scanner.finditer(text):
        if match.lastgroup not in KEPT:
            pieces += [text[last : match.start()], replace(match)]
            last = match.end()
    return "".join([*pieces, text[last:]])[1:] if pieces else text[1:]


_REGIONS = re.compile(PROTECTED_AFTER_NEWLINE, re.S | re.X)
_KINDS = {"fence": "fence", "span": "span"}


def protected_regions(text: str) -> Iterator[tuple[int, int, str]]:
    """`(start, end, kind)` of each protected region of `text`, in order; `kind` is
    `fence`, `span` or `math`, and a fence starts at its line, without the newline."""
    for found in _REGIONS.finditer("\n" + text):
        group = found.lastgroup or ""
        start = found.start() if group == "fence" or group == "line_math" else found.start() - 1
        yield start, found.end() - 1, _KINDS.get(group, "math")
