"""Which front end reads a post: pyromark (compiled, fast) or markdown-it (the reference).

Both give the same Document (`tests/content/test_front_ends_agree.py`) except where
markdown-it does what pulldown-cmark cannot be told to do; a post that might meet one of
those is sent to markdown-it whole.  Each test is a substring or regex search, cheap next
to a parse, and errs towards markdown-it: a post sent there needlessly is only slower.

- CJK-friendly emphasis (`herald.content.cjk_emphasis`) differs from CommonMark only when
  a CJK character (anything from U+1100 on, conservatively) touches a `*`, `_` or `~`;
- kramdown's HTML blocks (`herald.content.html_blocks`) end where CommonMark's go on
  only when a line of Markdown follows an HTML line with no blank line between, or a
  comment holds a blank line;
- tilde runs of three or more: markdown-it pairs `~~~` as `~` + `~~`, GFM not at all;
  and `~~` next to punctuation, where the two parsers' flanking rules differ;
- display math opened in a quote (lazy continuation lines end it differently);
- `^[inline footnotes]`, which pulldown-cmark does not know (rare, and full of edge cases);
- deep nesting (eight quotes or list levels on a line, runs of `[`, `*`, `_`):
  markdown-it stops nesting at its limit, pulldown-cmark does not;
- a footnote reference right before `[` or `(`, which pulldown-cmark may read as a link;
- footnote definitions nested in a list, a quote or another definition;
- tables: markdown-it ends a table at an indented line and reads a few odd rows its
  own way; a post with an empty cell (`||`), an indented line or a lone `|` after a table's
  delimiter row goes to markdown-it.
"""

from __future__ import annotations

import re
from typing import Final

_CJK_DELIMITER: Final = re.compile(r"[^\x00-\u10ff][*_~]|[*_~][^\x00-\u10ff]")
_HTML_LINE: Final = re.compile(r"^[ \t>*+\-\d.)]*<", re.MULTILINE)
_LINE_PREFIX: Final = re.compile(r"[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+[ \t>]*)*")
_COMMENT_BLANK: Final = re.compile(r"<!--(?:(?!-->)[\s\S])*?\n[ \t>]*\n")
_TABLE_RULE: Final = re.compile(r"(?m)^[ \t>]*(?=[-|: \t]*\|)(?=[-|: \t]*-)[-|: \t]+$")
_INDENTED: Final = re.compile(r"\n(?: {4}|[ ]{0,3}\t)")
_LONE_PIPE: Final = re.compile(r"(?m)^[ \t>]*\|[\s]*$")
_QUOTED_DISPLAY_MATH: Final = re.compile(r"(?m)^[ \t]*(?:[-*+]|\d{1,9}[.)])?[ \t]*>.*(?:\$\$|\\\[)")
_TILDES_BY_PUNCTUATION: Final = re.compile(
    r"[!-/:-@\[-`{-}\x80-\U0010ffff]~~|~~[!-/:-@\[-`{-}\x80-\U0010ffff]"
)
_DEEP_NESTING: Final = re.compile(r"(?m)^(?:[ \t]*(?:>|[-*+]|\d{1,9}[.)])){8}|[\[*_]{8}")
_NOTE_BEFORE_LINK: Final = re.compile(r"\[\^[^\]\n]*\][ \t]*[\[(]")
_NOTE_DEFINITION: Final = re.compile(r"\[\^[^\]\n]*\]:")


def needs_markdown_it(source: str) -> bool:
    """Whether a prepared body (`herald.content.prepass`) may read differently in
    pulldown-cmark than in Herald's markdown-it front end."""
    if "~~~" in source or "||" in source or "^[" in source:
        return True
    if _CJK_DELIMITER.search(source) is not None:
        return True
    if _DEEP_NESTING.search(source) is not None:
        return True
    if "[^" in source and _NOTE_BEFORE_LINK.search(source) is not None:
        return True
    if "]:" in source and _nested_footnote(source):
        return True
    if "~~" in source and _TILDES_BY_PUNCTUATION.search(source) is not None:
        return True
    if ">" in source and _QUOTED_DISPLAY_MATH.search(source) is not None:
        return True
    if "|" in source and _odd_table(source):
        return True
    if "<" in source and _HTML_LINE.search(source) is not None:
        return _html_runs_into_markdown(source)
    return False


def _odd_table(source: str) -> bool:
    """A table with an indented line or a row of one `|` anywhere after its delimiter row."""
    rule = _TABLE_RULE.search(source)
    if rule is None:
        return False
    after = rule.end()
    return (
        _INDENTED.search(source, after) is not None or _LONE_PIPE.search(source, after) is not None
    )


def _nested_footnote(source: str) -> bool:
    """A footnote definition anywhere but at a line's start: inside a list, a quote,
    another definition (markdown-it-footnote may then fail and read no footnotes)."""
    for found in _NOTE_DEFINITION.finditer(source):
        line_start = source.rfind("\n", 0, found.start()) + 1
        indent = source[line_start : found.start()]
        if len(indent) > 3 or indent.strip(" "):
            return True
    return False


def _html_runs_into_markdown(source: str) -> bool:
    """A line of Markdown right below a line that starts with `<` (no blank line between),
    or a comment holding a blank line: where kramdown's HTML block ends sooner."""
    if "<!--" in source and _COMMENT_BLANK.search(source) is not None:
        return True
    in_html = False
    for line in source.splitlines():
        if not line.strip():
            in_html = False
            continue
        if in_html:
            # A following line goes on as HTML only if it starts with `<` itself; one in
            # a quote or list (`> <a>`) may be outside the block's container: doubt.
            if not line.lstrip().startswith("<"):
                return True
            continue
        prefix = _LINE_PREFIX.match(line)
        in_html = line[prefix.end() if prefix is not None else 0 :].startswith("<")
    return False
