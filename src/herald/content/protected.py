"""The parts of a Markdown source that the pre-passes must never touch: code and math.

Herald rewrites the source twice before parsing it, as Jekyll does: Liquid first
(`herald.content.liquid`), then kramdown's reader-invisible syntax
(`herald.content.kramdown`).  Both must leave code and math exactly as written — a
chat-template note's `{% for m in messages %}` in a fence, `` `{:toc}` `` in a code span,
`$\\{:x\\}$` — so both scanners start with these same alternatives, matched before
anything of theirs, and hand a match of them back verbatim.

The patterns approximate CommonMark's own rules closely enough for this job, within one
block: fenced code (also inside `>` quotes, unclosed to the end of the text), code spans
of any backtick length, `$$…$$`, `$…$`, `\\(…\\)` and `\\[…\\]`.  Indented code is not
protected; the kramdown block rules need at most three spaces of indentation instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

PROTECTED = r"""
      (?P<fence>^[ \t>]*(?P<ticks>`{3,}|~{3,})[^\n]*
        (?:\n.*?)??(?:\n[ \t>]*(?P=ticks)[`~]*[ \t]*(?=\n|\Z)|\Z))
    | (?P<span>(?P<bt>`+)(?:[^`\n]|\n(?![ \t]*\n)|(?!(?P=bt))`+)+?(?P=bt)(?!`))
    | (?P<math>^[ \t]{0,3}\$\$(?:(?!\n[ \t]*\n).)*?\$\$[ \t]*$
        |\$\$(?:(?!\n[ \t]*\n)[^$]|\$(?!\$))+?\$\$|\$(?:[^$\n]|\n(?![ \t]*\n))+?\$
        |\\\((?:(?!\n[ \t]*\n).)+?\\\)|\\\[(?:(?!\n[ \t]*\n).)+?\\\])
"""
"""Alternatives for a scanner compiled with `re.S | re.M | re.X`; its groups are `fence`,
`ticks`, `span`, `bt` and `math`, so a scanner must not use those names itself.  Inline
`$…$` may go on over a line break, as markdown-it's dollar math does in a paragraph, and a
line that opens with `$$` is math up to the first line that ends with `$$`, as its math
block is, whatever `$$` stand between."""

KEPT = frozenset({"fence", "span", "math", "line_math", "dollar_math", "bracket_math"})
"""`match.lastgroup` of a protected region: returned as it is."""

PROTECTED_AFTER_NEWLINE = r"""
      \n(?:(?P<fence>[ \t>]*(?P<ticks>`{3,}|~{3,})[^\n]*
          (?:\n.*?)??(?:\n[ \t>]*(?P=ticks)[`~]*[ \t]*(?=\n|\Z)|\Z))
        | (?P<line_math>[ \t]{0,3}\$\$(?:(?!\n[ \t]*\n).)*?\$\$[ \t]*(?=\n|\Z)))
    | `(?P<span>(?P<bt>`*)(?:[^`\n]|\n(?![ \t]*\n)|(?!`(?P=bt))`+)+?`(?P=bt)(?!`))
    | \$(?P<dollar_math>\$(?:(?!\n[ \t]*\n)[^$]|\$(?!\$))+?\$\$|(?:[^$\n]|\n(?![ \t]*\n))+?\$)
    | \\(?P<bracket_math>\((?:(?!\n[ \t]*\n).)+?\\\)|\[(?:(?!\n[ \t]*\n).)+?\\\])
"""
"""`PROTECTED` as CPython's `re` reads fast: each alternative opens with a literal outside
any group (a newline where `PROTECTED` has `^`), so the engine jumps from one candidate
character to the next; a pattern opening with a lookahead or a group, or with `^`, is
tried at every character (about 25 ns each: a millisecond for a long post, per scan).
Scanned over the text with a newline in front (`protected_regions`); `fence` and
`line_math` then start one character after the match, every other group one before."""


def outside_protected(
    scanner: re.Pattern[str], replace: Callable[[re.Match[str]], str], text: str
) -> str:
    """`scanner.sub(replace, text)` for a scanner whose protected matches (`KEPT`) stay as
    they are, without a call for each of them: a long post has hundreds of code and math
    regions, and only its few tags change."""
    pieces: list[str] = []
    last = 0
    for match in scanner.finditer(text):
        if match.lastgroup not in KEPT:
            pieces += [text[last : match.start()], replace(match)]
            last = match.end()
    return "".join([*pieces, text[last:]]) if pieces else text


_REGIONS = re.compile(PROTECTED_AFTER_NEWLINE, re.S | re.X)
_KINDS = {"fence": "fence", "line_math": "math", "span": "span"}


def protected_regions(text: str) -> Iterator[tuple[int, int, str]]:
    """`(start, end, kind)` of each protected region of `text`, in order: exactly the
    matches a scanner of `PROTECTED` alone finds (`kind` its `lastgroup`: `fence`,
    `span` or `math`), found about three times as fast."""
    for found in _REGIONS.finditer("\n" + text):
        group = found.lastgroup
        kind = _KINDS.get(group or "", "math")
        start = found.start() if group == "fence" or group == "line_math" else found.start() - 1
        yield start, found.end() - 1, kind
