"""Which front end reads a post: pyromark (compiled, fast) or markdown-it (the reference).

Both give the same Document (`tests/content/test_front_ends_agree.py`) except where
markdown-it does what pulldown-cmark cannot be told to do; a post that might meet one of
those is sent to markdown-it whole.  Each test is a substring or regex search, cheap next
to a parse, and errs towards markdown-it: a post sent there needlessly is only slower.

- CJK-friendly emphasis (`herald.content.cjk_emphasis`) differs from CommonMark only when
  a CJK character (anything from U+1100 on, conservatively) touches a `*`, `_` or `~`;
- kramdown's HTML blocks (`herald.content.html_blocks`) end where CommonMark's go on
  only when a line of Markdown follows an HTML line with no blank line between, or a
  comment holds a blank line; an HTML line holding a non-ASCII space may start a block
  in one and not the other;
- tilde runs of three or more: markdown-it pairs `~~~` as `~` + `~~`, GFM not at all;
  `~~` next to punctuation, where the two parsers' flanking rules differ; two single
  `~` on a line (a subscript to pulldown-cmark, text to markdown-it);
- backslashes then `$` opening a line: markdown-it-py's escape check before a `$` at a
  paragraph's start reads the paragraph's end (Python's `src[-1]`);
- a line of non-ASCII spaces only (NBSP, U+3000), which markdown-it-py strips away;
- a fence left open (an odd number of ```` ``` ````), a post with code ending in a line
  of spaces; a tab before a line break (markdown-it keeps it);
- HTML comments holding `--` or `<!--`, or `<!-->`: the CommonMark versions disagree;
- an empty list item (`-` alone): blank lines after it end the list in markdown-it, not
  in pulldown-cmark (the current spec);
- an equation label after display math (`$$…$$ (1)`);
- display math opened in a quote, or any math block followed at once by a line of text
  in a post with lists or quotes (lazy continuation lines end it differently);
- `^[inline footnotes]`, which pulldown-cmark does not know (rare, and full of edge cases);
- deep nesting (eight quotes or list levels on a line, runs of `[`, `*`, `_`):
  markdown-it stops nesting at its limit, pulldown-cmark does not;
- a footnote reference right before `[` or `(`, which pulldown-cmark may read as a link;
- footnote definitions nested in a list, a quote or another definition;
- tables: markdown-it ends a table at an indented line and reads a few odd rows its
  own way; a post with an empty cell (`||`), an indented line, a lone `|`, a backslash
  or a non-ASCII space (NBSP, U+3000) in a table goes to markdown-it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

_DELIMITER_BY_CJK: Final = re.compile(
    "[*_~](?:(?<=[\u1100-\U0010ffff][*_~])|(?=[\u1100-\U0010ffff]))"
)
"""A `*`, `_` or `~` with a character from U+1100 on (CJK, conservatively) either side."""
_HTML_LINE: Final = re.compile(r"\n[ \t>*+\-\d.)]*<")
_LINE_PREFIX: Final = re.compile(r"[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+[ \t>]*)*")
_COMMENT_BLANK: Final = re.compile(r"<!--(?:(?!-->)[\s\S])*?\n[ \t>]*\n")
_TABLE_RULE: Final = re.compile(r"\n([ \t>]*(?=[-|: \t]*\|)(?=[-|: \t]*-)[-|: \t]+)(?=\n|\Z)")
"""A table's delimiter row (group 1), after the newline before it."""
_INDENTED: Final = re.compile(r"\n(?: {4}|[ ]{0,3}\t)")
_UNICODE_SPACE: Final = re.compile(r"[^\S\x00-\x7f]")
_BLANK_LINE: Final = re.compile(r"\n[ \t]*(?:\n|$)")
_QUOTED_DISPLAY_MATH: Final = re.compile(
    r"\n[ \t]*(?:[-*+]|\d{1,9}[.)])?[ \t]*>[^\n]*(?:\$\$|\\\[)"
)
_TILDES_BY_PUNCTUATION: Final = re.compile(
    r"~~(?:(?<=[!-/:-@\[-`{-}\x80-\U0010ffff]~~)|(?=[!-/:-@\[-`{-}\x80-\U0010ffff]))"
)
_DEEP_NESTING: Final = re.compile(r"\n(?:[ \t]*(?:>|[-*+]|\d{1,9}[.)])){8}")
_NOTE_BEFORE_LINK: Final = re.compile(r"\[\^[^\]\n]*\][ \t]*[\[(]")
_BACKSLASHES_BEFORE_DOLLAR: Final = re.compile(r"\n[ \t>*+\-\d.)]*\\+\$")
_EMPTY_ITEM: Final = re.compile(r"\n[ \t>]*(?:[-*+]|\d{1,9}[.)])[ \t]*(?=\n|\Z)")
_TRAILING_SPACES: Final = re.compile(r"\n[ \t]+\n*\Z")
_FENCE_LINE: Final = re.compile(r"\n[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)*(`{3,})([^\n]*)")
"""A line with a backtick fence, after the newline before it."""
_ODD_COMMENT: Final = re.compile(r"<!---?>|<!--(?:(?!-->)[\s\S])*?(?:<!--|--(?!>))")
_MATH_THEN_TEXT: Final = re.compile(r"\$\$[ \t]*\n[ \t>]*\S|\\\][ \t]*\n[ \t>]*\S")
_CONTAINER_LINE: Final = re.compile(r"\n[ \t]*(?:>|[-*+][ \t]|\d{1,9}[.)][ \t])")
_UNICODE_BLANK_LINE: Final = re.compile(r"\n[^\S\n]*[^\S\x00-\x7f][^\S\n]*(?=\n|\Z)")
_SINGLE_TILDES: Final = re.compile(r"~(?<!~~)(?!~)[^\n]*?(?<!~)~(?!~)")
_EQUATION_LABEL: Final = re.compile(r"\$\$[ \t]*\(")
_NOTE_DEFINITION: Final = re.compile(r"\[\^[^\]\n]*\]:")


def needs_markdown_it(source: str) -> bool:
    """Whether a prepared body (`herald.content.prepass`) may read differently in
    pulldown-cmark than in Herald's markdown-it front end."""
    if "~~~" in source or "||" in source or "^[" in source or "\t\n" in source:
        return True  # (markdown-it keeps a tab before a line break, pulldown-cmark not)
    if "[[[[[[[[" in source or "********" in source or "________" in source:
        return True  # nesting markdown-it stops at its limit
    lines = "\n" + source  # each line starts after a `\n`: a literal the regexes look for
    if _DEEP_NESTING.search(lines) is not None or _EMPTY_ITEM.search(lines) is not None:
        return True
    if "\\$" in source and _BACKSLASHES_BEFORE_DOLLAR.search(lines) is not None:
        return True
    if ">" in source and _QUOTED_DISPLAY_MATH.search(lines) is not None:
        return True
    if "$$" in source and _EQUATION_LABEL.search(source) is not None:
        return True  # `$$…$$ (1)`: an equation label, read by markdown-it's block rule
    if "$$" in source or "\\]" in source:
        math_then_text = _MATH_THEN_TEXT.search(source)
        if math_then_text is not None and _CONTAINER_LINE.search(lines) is not None:
            return True  # a lazy line after a math block: the container ends or not
    if _cjk_next_to_delimiter(source):
        return True
    if not source.isascii() and _UNICODE_BLANK_LINE.search(lines) is not None:
        return True  # a line of NBSP or U+3000 only: blank to markdown-it-py's strip
    if "`" in source and _TRAILING_SPACES.search(source) is not None:
        return True  # code ending in a line of spaces: an open fence keeps it or not
    if "```" in source and (source.count("```") % 2 or _fence_left_open(source)):
        return True  # the two read an open fence's trailing blank lines differently
    if "<!--" in source and _ODD_COMMENT.search(source) is not None:
        return True
    if "[^" in source and _NOTE_BEFORE_LINK.search(source) is not None:
        return True
    if "]:" in source and _nested_footnote(source):
        return True
    if "~" in source:
        if "~~" in source and _TILDES_BY_PUNCTUATION.search(source) is not None:
            return True
        if _SINGLE_TILDES.search(source) is not None:
            return True  # pulldown-cmark's `~x~` subscript takes emphasis delimiters along
    if "|" in source and _odd_table(source):
        return True
    if "<" in source and _HTML_LINE.search(lines) is not None:
        return _html_runs_into_markdown(source)
    return False


def _cjk_next_to_delimiter(source: str) -> bool:
    """A `*`, `_` or `~` run touching a character from U+1100 on (CJK, conservatively)."""
    return not source.isascii() and _DELIMITER_BY_CJK.search(source) is not None


def _fence_left_open(source: str) -> bool:
    """Whether a backtick fence opened at a line's start is still open at the end (read
    without containers: a doubt is enough)."""
    opened = 0
    for found in _FENCE_LINE.finditer("\n" + source):
        run, rest = found.group(1), found.group(2)
        if not opened:
            if "`" not in rest:
                opened = len(run)
        elif len(run) >= opened and not rest.strip():
            opened = 0
    return opened > 0


def _odd_table(source: str) -> bool:
    """A table whose rows (up to the next blank line) hold an indented line or a row of
    one `|`: where markdown-it and GFM end or read a table differently."""
    for header, rows in _table_rules(source):
        if _INDENTED.search(rows) is not None or "\\" in rows:
            return True
        if (
            "\\" in header
            or _UNICODE_SPACE.search(header) is not None
            or _UNICODE_SPACE.search(rows) is not None
        ):
            return True  # markdown-it-py strips NBSP and U+3000 around cells and rows
        for line in rows.splitlines():
            if line.strip(" \t>") == "|":
                return True
    return False


def _table_rules(source: str) -> Iterator[tuple[str, str]]:
    """Each table's header line with its delimiter row, and the rows below it up to the
    next blank line (or what looks like one: a doubt is enough)."""
    for found in _TABLE_RULE.finditer("\n" + source):
        rule_start, rule_end = found.start(1) - 1, found.end(1) - 1  # offsets in `source`
        blank = _BLANK_LINE.search(source, rule_end)
        rows = source[rule_end : len(source) if blank is None else blank.start() + 1]
        yield source[source.rfind("\n", 0, max(rule_start - 1, 0)) + 1 : rule_end], rows


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
        if in_html and _UNICODE_SPACE.search(line) is not None:
            return True  # markdown-it-py's tag patterns take NBSP and U+3000 for spaces
    return False
