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

KEPT = frozenset({"fence", "span", "math"})
"""`match.lastgroup` of a protected region: returned as it is."""
