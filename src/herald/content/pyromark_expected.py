"""The math markdown-it would find in a post, guessed without a parse.

The fast path of `herald.content.pyromark_document`: fenced code, HTML blocks and
indented code are guessed from the lines, markdown-it's rules
(`herald.content.pyromark_math`) run on the rest; the caller parses once with
pulldown-cmark's `ENABLE_MATH` and keeps its reading only if its math events are exactly
these spans, else takes the exact path (`herald.content.pyromark_placeholders`).
"""

from __future__ import annotations

import re
from typing import Final

from herald.content.pyromark_block_math import (
    dollar_block,
    next_line,
    trimmed,
)
from herald.content.pyromark_math import (
    BLOCK,
    DOUBLE,
    HTML_ATTRIBUTE,
    LINE_PREFIX,
    MAYBE_DIFFERENT,
    MAYBE_NOT,
    MAYBE_SAME,
    Found,
    has_private,
    inline_spans,
)

_BLANK: Final = re.compile(r"\n[ \t]*(?=\n)")
_NESTING: Final = re.compile(r"(?m)^[ \t>]*(?:[-*+]|\d{1,9}[.)]|\[\^)[ \t]")
_HTML_ENDS: Final = (
    (
        re.compile(r"<(?:script|pre|style|textarea)(?:[ \t>]|$)", re.I | re.M),
        r"</(?:script|pre|style|textarea)>",
    ),
    (re.compile(r"<!--"), r"-->"),
    (re.compile(r"<\?"), r"\?>"),
    (re.compile(r"<![A-Za-z]"), r">"),
    (re.compile(r"<!\[CDATA\["), r"\]\]>"),
)
_HTML_BLOCK_6: Final = re.compile(
    r"</?(?:address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|"
    r"dd|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|"
    r"frameset|h[1-6]|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|"
    r"noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|"
    r"thead|title|tr|track|ul)(?:[ \t/>]|$)",
    re.I | re.M,
)
_HTML_BLOCK_7: Final = re.compile(
    r"(?:<[A-Za-z][A-Za-z0-9\-]*"
    + HTML_ATTRIBUTE
    + r"*\s*/?>|</[A-Za-z][A-Za-z0-9\-]*\s*>)[ \t]*$",
    re.M,
)


def expected_math(source: str) -> tuple[list[tuple[int, str, int]], int] | None:
    """The math markdown-it would find, judged without a parse: (kind, content, maybe
    block) per span in order, and the number of fenced code blocks assumed; None when
    the source needs the exact path (bracket math, math-like text where a list item may
    continue, placeholder characters).

    Inline content is guessed: everything outside fenced code, a paragraph ending at a
    blank line; a paragraph that holds math is looked at more closely where it starts
    (`$$` may open a block there, the `src[-1]` quirk, raw HTML, indented code).  The
    caller checks the guess against pulldown-cmark's own math events (`ENABLE_MATH`)
    and fenced code blocks, and takes the exact path on any disagreement, so a wrong
    guess costs time, not fidelity.
    """
    if "\\(" in source or "\\[" in source or has_private(source):
        return None
    holes = _fences(source) if "```" in source or "~~~" in source else []
    found: list[Found] = []
    position = 0
    for hole_start, hole_end in [*holes, (len(source), len(source))]:
        if position < hole_start and source.find("$", position, hole_start) != -1:
            spans: list[Found] = []
            inline_spans(source, position, hole_start, [], spans)
            # `$$` opening a paragraph may be a block even where no inline math is seen
            # (`$$`, a blank line, `$$`): mark such places for `_settle` to look at.
            opening = _block_openings(source, position, hole_start)
            if opening:
                spans = sorted([*spans, *((at, at, _LOOK, "") for at in opening)])
            if spans and not _settle(source, position, hole_start, spans, found):
                return None
        position = hole_end
    out = []
    for start, end, kind, tex in found:
        maybe = _maybe_block(source, start, end, tex) if kind == DOUBLE else MAYBE_NOT
        out.append((kind, tex, maybe))
    return out, len(holes)


_LOOK: Final = -1
"""Not a span: a place `_settle` must look at (a paragraph may open with a block)."""


def _block_openings(source: str, start: int, stop: int) -> list[int]:
    """Where `$$` opens a paragraph in `source[start:stop]` (at its start, or after a
    blank line), found with `str.find`."""
    found = []
    at = source.find("$$", start, stop)
    while at != -1:
        line_start = source.rfind("\n", start, at) + 1 or start
        if not source[line_start:at].strip(" \t"):
            if line_start == start:
                found.append(at)
            else:
                previous = source.rfind("\n", start, line_start - 1) + 1 or start
                if not source[previous : line_start - 1].strip(" \t"):
                    found.append(at)
        end = source.find("\n", at, stop)
        at = -1 if end == -1 else source.find("$$", end, stop)
    return found


def _settle(source: str, segment: int, stop: int, spans: list[Found], found: list[Found]) -> bool:
    """Check the paragraphs that hold `spans` (from one scan of `source[segment:stop]`)
    where they start, appending the spans markdown-it would see to `found`."""
    consumed = segment  # past a math block, an HTML block of kinds 1–5
    index = 0
    while index < len(spans):
        start = spans[index][0]
        if start < consumed:
            index += 1
            continue
        blank = source.rfind("\n\n", segment, start)
        chunk = segment if blank == -1 else blank + 2
        blank = source.find("\n\n", start, stop)
        chunk_end = stop if blank == -1 else blank
        inside = [span for span in spans[index:] if span[0] < chunk_end]
        index += len(inside)
        first = chunk
        while first < chunk_end and source[first] in " \t\n":
            first += 1
        line_start = source.rfind("\n", 0, first) + 1
        if first - line_start >= 4 or "\t" in source[line_start:first]:  # indented code?
            if _NESTING.search(source, 0, line_start):
                return False  # a list item's or footnote's paragraph, perhaps
            continue
        if source.startswith("<", first):
            resume = _html_block(source, first, chunk_end)
            if resume is not None:
                consumed = resume
                continue
        if not source.startswith("$", first) or first < consumed:
            found.extend(span for span in inside if span[0] >= consumed and span[2] != _LOOK)
            continue
        position = first  # a paragraph that starts with math: read it again, closely
        while position < chunk_end:
            block = None
            if source.startswith("$$", position):
                block = dollar_block(source, position, len(source), 0)
            if block is None:
                begin, finish = trimmed(source, position, chunk_end)
                inline_spans(source, begin, finish, [], found)
                break
            found.append((position, block[0], BLOCK, block[1]))
            consumed = block[0]
            if block[0] >= chunk_end:
                break  # over blank lines: the paragraphs it covers are math
            position = next_line(source, block[0], 0)  # the next line starts a new block
    return True


def _fences(source: str) -> list[tuple[int, int]]:
    """Fenced code blocks, roughly: each fence line paired with the next that closes it."""
    lines: list[tuple[int, str, int, str]] = []  # start, mark, length, info string
    for mark in ("```", "~~~"):
        at = source.find(mark)
        while at != -1:
            line_start = source.rfind("\n", 0, at) + 1
            run_end = at
            while run_end < len(source) and source[run_end] == mark[0]:
                run_end += 1
            if not source[line_start:at].strip(" \t>"):
                line_end = source.find("\n", run_end)
                info = source[run_end : len(source) if line_end == -1 else line_end].strip()
                lines.append((line_start, mark[0], run_end - at, info))
            at = source.find(mark, run_end)
    lines.sort()
    holes: list[tuple[int, int]] = []
    opening: tuple[int, str, int, str] | None = None
    for line in lines:
        start, mark, length, info = line
        if opening is None:
            if mark == "`" and "`" in info:
                continue  # a backtick fence's info string has no backtick: inline code
            opening = line
        elif mark == opening[1] and length >= opening[2] and not info:
            line_end = source.find("\n", start)
            holes.append((opening[0], len(source) if line_end == -1 else line_end))
            opening = None
    if opening is not None:
        holes.append((opening[0], len(source)))  # unclosed: code to the end
    return holes


def _html_block(source: str, start: int, end: int) -> int | None:
    """If an HTML block (CommonMark's kinds 1–7) starts at `start`: where it ends."""
    for opener, closer in _HTML_ENDS:
        if opener.match(source, start):
            found = re.compile(closer, re.I).search(source, start)
            return max(len(source) if found is None else found.end(), end)
    if _HTML_BLOCK_6.match(source, start) or _HTML_BLOCK_7.match(source, start):
        return end
    return None


def _maybe_block(source: str, start: int, end: int, tex: str) -> int:
    """How `$$…$$` at `start` would read if a block started on its line."""
    line_start = source.rfind("\n", 0, start) + 1
    prefix = source[line_start:start]
    if LINE_PREFIX.fullmatch(prefix) is None:
        return MAYBE_NOT
    block = dollar_block(source, start, len(source), prefix.count(">"))
    if block is None:
        return MAYBE_NOT
    block_end, block_tex = block
    line_end = source.find("\n", end)
    line_end = len(source) if line_end == -1 else line_end
    same = block_tex == tex and block_end == line_end and not source[end:line_end].strip()
    return MAYBE_SAME if same else MAYBE_DIFFERENT
