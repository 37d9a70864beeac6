"""Find math the way Herald's markdown-it front end does, for the pyromark (pulldown-cmark) one.

pulldown-cmark's `ENABLE_MATH` follows GitHub's `$` rules (no space just inside the
delimiters, `$$…$$` only ever inline, no blank line inside) and knows neither `\\(…\\)`
nor `\\[…\\]`.  Herald's markdown-it front end (`dollarmath` with `double_inline=True,
allow_digits=False`, `texmath` with `delimiters="brackets"`) reads math differently in
many small ways: `$ x $` is math, `$a$5` is not, `$$…$$` on its own lines is a block
that may hold blank lines or lines that look like list items.

Two entry points, used by `herald.content.pyromark_document.pyromark_document`:

- `expected_math(source)`: the math markdown-it would find, judged without a parse
  (fenced code, HTML blocks and indented code guessed from the lines).  The caller
  parses with `ENABLE_MATH` and keeps pulldown-cmark's reading only if its math events
  are exactly these spans; most posts end there, after one parse.
- `find_math(source)`: exact.  A first parse (math off, with source ranges) says where
  inline content is; math is found there with markdown-it's rules, and each span is
  replaced by a placeholder that pulldown-cmark reads as plain text: `$`, one
  private-use character (the span's number), any `|` the span held (so a line that was
  not a table row does not become one), `$`.  The `$` on each side keep the delimiter's
  effect on emphasis flanking (`$` is ASCII punctuation to both parsers).

Rules reproduced (markdown-it-py 4.x, mdit-py-plugins 0.7, as Herald configures them):

- inline, left to right as markdown-it's inline rules run (`_INLINE`): `\\(…\\)` up to
  the first `\\)`; a backslash escapes the next character; a backtick run opens a code
  span if a run of the same length follows, else is text; `<…>` is skipped when it is an
  autolink or an HTML tag; an inline link's destination and title are skipped (exact
  path only); `$…$` / `$$…$$`: not after a digit, closed by the next unescaped `$`
  (`$$`), not followed by a digit, not empty, spaces inside allowed;
- blocks, where a block may start: `$$` … a line ending in `$$` (blank lines allowed;
  `$$ … $$ (label)` too) and `\\[` … `\\]` (optionally `(label)`), bounded by the
  enclosing blockquote; the rest of `\\]`'s line is dropped, as markdown-it drops it;
- markdown-it-py quirks kept on purpose, so both front ends give the same Document: the
  digit and escape checks before a `$` at the very start of a paragraph read its *last*
  character (Python's `src[-1]`), so `$x$ costs 5` has no math; `str.strip()` (all
  Unicode whitespace) bounds paragraphs and lines.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

import pyromark

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


def _has_private(source: str) -> bool:
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
_ATTRIBUTE: Final = (
    r"""(?:\s+[a-zA-Z_:][a-zA-Z0-9:._-]*(?:\s*=\s*(?:[^"'=<>`\x00-\x20]+|'[^']*'|"[^"]*"))?)"""
)
_HTML_TAG: Final = (
    r"<[A-Za-z][A-Za-z0-9\-]*" + _ATTRIBUTE + r"*\s*/?>|</[A-Za-z][A-Za-z0-9\-]*\s*>"
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
_BRACKET_EQNO: Final = re.compile(r"\\\[(((?!\\\]|\\\[)[\s\S])+?)\\\]\s*?\(([^)$\r\n]+?)\)")
_BRACKET_BLOCK: Final = re.compile(r"\\\[([\s\S]+?)\\\]")
_DOLLAR_EQNO_REV: Final = re.compile(r"^\s*\)([^)$\r\n]+?)\(\s*\${2}")
_QUOTE_MARKER: Final = re.compile(r" {0,3}> ?")
_LINE_PREFIX: Final = re.compile(r"(?:[ \t>]*(?:[-*+]|\d{1,9}[.)])[ \t]+)*[ \t>]*")

Found = tuple[int, int, int, str]
"""A span found: start, end, kind, content (offsets into the source text)."""


# -- the inline scan -------------------------------------------------------------------------


def _inline_spans(
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


# -- block rules -------------------------------------------------------------------------


def _lines(text: str, start: int, limit: int, depth: int) -> Iterator[tuple[int, int, int]]:
    """(line start after `depth` quote markers, first non-space, line end) of each line
    from `start`'s to `limit`, lazily; the first line starts at `start` itself."""
    position = start
    first = True
    while position < limit:
        newline = text.find("\n", position, limit)
        end = limit if newline == -1 else newline
        begin = position
        if not first:
            for _ in range(depth):
                marker = _QUOTE_MARKER.match(text, begin, end)
                if marker is None:
                    break
                begin = marker.end()
        content = begin
        while content < end and text[content] in " \t":
            content += 1
        yield begin, content, end
        if newline == -1:
            return
        first = False
        position = newline + 1


def _dollar_block(text: str, start: int, limit: int, depth: int) -> tuple[int, str] | None:
    """dollarmath's `math_block` rule (labels and blank lines allowed) at `start`:
    (end of its last line, content), or None."""
    lines: list[tuple[int, int, int]] = []
    close: int | None = None
    for index, (begin, first, end) in enumerate(_lines(text, start, limit, depth)):
        lines.append((begin, first, end))
        line = text[first:end]
        stripped = line.strip()
        if index == 0 and len(stripped) <= 3:
            continue
        if not stripped.endswith("$$"):
            label = _DOLLAR_EQNO_REV.match(line[::-1])
            if label:
                close = end - label.end()
                break
            if index == 0 and "$$" in line[2:]:
                return None
            continue
        # markdown-it: end - 2 - (len(line) - len(line.strip())), leading spaces included
        close = first + max(len(stripped) - 2, 0)
        break
    if close is None:
        return None
    last = len(lines) - 1
    if last == 0:
        return lines[0][2], text[start + 2 : close]
    parts = [text[start + 2 : lines[0][2]]]
    parts.extend(text[begin:end] for begin, _, end in lines[1:last])
    parts.append(text[lines[last][0] : close])
    return lines[last][2], "\n".join(parts)


def _bracket_block(text: str, start: int, limit: int) -> tuple[int, str] | None:
    """texmath's `math_block_eqno` then `math_block` rule (brackets) at `start`."""
    for rule in (_BRACKET_EQNO, _BRACKET_BLOCK):
        match = rule.match(text, start)
        if match is None:
            continue
        if match.end() > limit:
            return None  # the closing bracket lies outside this block's container
        newline = text.find("\n", match.end() - 1)
        return min(len(text) if newline == -1 else newline, limit), match[1]
    return None


def _math_block(text: str, start: int, limit: int, depth: int) -> tuple[int, str] | None:
    if text.startswith("$$", start):
        return _dollar_block(text, start, limit, depth)
    if text.startswith("\\[", start):
        return _bracket_block(text, start, limit)
    return None


def _next_line(text: str, position: int, depth: int) -> int:
    """The first content character of the line after `position` (past quote markers)."""
    newline = text.find("\n", position)
    if newline == -1:
        return len(text)
    position = newline + 1
    for _ in range(depth):
        marker = _QUOTE_MARKER.match(text, position)
        if marker is None:
            break
        position = marker.end()
    while position < len(text) and text[position] in " \t":
        position += 1
    return position


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """`text[start:end]` less whitespace as `str.strip()` sees it (pulldown-cmark trims
    ASCII only; markdown-it-py also an NBSP or U+3000, which moves `src[-1]`)."""
    while end > start and text[end - 1].isspace():
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return start, end


# -- exact: regions from a first parse ---------------------------------------------------------

_OPTIONS: Final = (
    pyromark.Options.ENABLE_TABLES
    | pyromark.Options.ENABLE_FOOTNOTES
    | pyromark.Options.ENABLE_STRIKETHROUGH
)
_SCOUT: Final = pyromark.Markdown(options=_OPTIONS)
_BLOCK_TAGS: Final = frozenset(
    "Paragraph Heading BlockQuote CodeBlock List Item FootnoteDefinition Table TableHead "
    "TableRow TableCell HtmlBlock DefinitionList DefinitionListTitle "
    "DefinitionListDefinition MetadataBlock".split()
)
_STARTS_BLOCK: Final = frozenset({"Paragraph", "Heading", "Item"})
"""Where the first inline content is also the first line of a markdown-it block."""


@dataclass(slots=True)
class _Region:
    """A run of inline content in the source: one markdown-it inline source."""

    start: int
    end: int
    block_start: bool
    """Its first line starts a block, so `$$`/`\\[` there may open a math block."""
    depth: int
    """Blockquotes around it."""
    limit: int
    """Where the enclosing blockquote (or the document) ends: a math block stops there."""
    skips: list[tuple[int, int]]
    """Inline link destinations and titles inside it, where math is never looked for."""
    cell: bool
    """A table cell's content: markdown-it reads `\\|` there as `|`, math included."""


def find_math(source: str) -> tuple[str, list[MathSpan]]:
    """The source with every math span replaced by a placeholder, and the spans.

    Returns the source unchanged (and no spans) when it has no math delimiter at all,
    or when it already holds placeholder characters.
    """
    if "$" not in source and "\\(" not in source and "\\[" not in source:
        return source, []
    if _has_private(source):
        return source, []
    found: list[Found] = []
    consumed = 0
    for region in _regions(source):
        if region.end <= consumed:
            continue
        start = max(region.start, consumed)
        block_start = region.block_start and start == region.start
        while start < region.end:
            if block_start:
                block = _math_block(source, start, region.limit, region.depth)
                if block is not None:
                    end, tex = block
                    found.append((start, end, BLOCK, tex))
                    consumed = end
                    start = _next_line(source, end, region.depth)
                    continue  # the next line starts a new block
            first = len(found)
            begin, end = _trimmed(source, start, region.end)
            _inline_spans(source, begin, end, region.skips, found)
            if region.cell or region.depth:
                for index in range(first, len(found)):
                    a, b, kind, tex = found[index]
                    if region.cell:
                        tex = tex.replace("\\|", "|")
                    if region.depth and "\n" in tex:  # markdown-it's source has no `>`s
                        tex = _strip_quote_markers(tex, region.depth)
                    found[index] = (a, b, kind, tex)
            break
    if not found or len(found) > PLACEHOLDER_LIMIT:
        return source, []
    spans: list[MathSpan] = []
    pieces: list[str] = []
    position = 0
    quoted = {start for start, _, kind, _ in found if kind == BLOCK and _in_quote(source, start)}
    for index, (start, end, kind, tex) in enumerate(found):
        pieces.append(source[position:start])
        written = source[start:end]
        mark = chr(PLACEHOLDER_BASE + index)
        if kind == BLOCK:
            # Outside a blockquote a blank line ends the block, as markdown-it ends it.
            pieces.append(f"${mark}$" if start in quoted else f"${mark}$\n")
        else:
            pipes = written.count("|") - written.count("\\|")
            pieces.append(f"${mark}{'|' * pipes}$")
        spans.append(MathSpan(tex, kind, written))
        position = end
    pieces.append(source[position:])
    return "".join(pieces), spans


def _in_quote(source: str, position: int) -> bool:
    line_start = source.rfind("\n", 0, position) + 1
    return ">" in source[line_start:position]


def _strip_quote_markers(tex: str, depth: int) -> str:
    lines = tex.split("\n")
    for index in range(1, len(lines)):
        line = lines[index]
        for _ in range(depth):
            marker = _QUOTE_MARKER.match(line)
            if marker is None:
                break
            line = line[marker.end() :]
        lines[index] = line
    return "\n".join(lines)


def _regions(source: str) -> list[_Region]:
    """The inline content runs of a pulldown-cmark parse (math off), in source order."""
    data = source.encode()
    regions: list[_Region] = []
    current: _Region | None = None
    quotes: list[int] = []  # end offsets of the open blockquotes
    links: list[list[int]] = []  # per open link: [label end so far, 1 if inline else 0]
    in_code = 0
    in_cell = False
    block_start = False

    def extend(start: int, end: int) -> None:
        nonlocal current, block_start
        if current is None:
            if start and data[start - 1] == 0x5C:  # an escaped first character: `\\(`
                start -= 1
            limit = quotes[-1] if quotes else len(data)
            current = _Region(start, end, block_start, len(quotes), limit, [], in_cell)
            regions.append(current)
            block_start = False
        elif end > current.end:
            current.end = end
        if links and end > links[-1][0]:
            links[-1][0] = end

    for event, span in _SCOUT.events_with_range(source):
        if event.__class__ is str:  # SoftBreak, HardBreak, Rule
            if event == "Rule":
                current, block_start = None, False
            else:
                extend(span["start"], span["end"])
            continue
        for key in event:  # type: ignore[attr-defined]
            value = event[key]  # type: ignore[index,literal-required]
        if key == "Start" or key == "End":
            tag = value if value.__class__ is str else next(iter(value))
            if tag in _BLOCK_TAGS:
                current = None
                opening = key == "Start"
                if tag == "BlockQuote":
                    if opening:
                        quotes.append(span["end"])
                    else:
                        quotes.pop()
                elif tag == "CodeBlock":
                    in_code += 1 if opening else -1
                elif tag == "TableCell":
                    in_cell = opening
                block_start = opening and tag in _STARTS_BLOCK
                continue
            if tag == "Link" or tag == "Image":
                if key == "Start":
                    extend(span["start"], span["end"])
                    inline = value[tag]["link_type"] == "Inline"  # type: ignore[index]
                    links.append([span["start"] + (2 if tag == "Image" else 1), int(inline)])
                else:
                    label_end, inline = links.pop()
                    if inline and current is not None:
                        current.skips.append((label_end, span["end"]))
                    if links and span["end"] > links[-1][0]:
                        links[-1][0] = span["end"]
                continue
        elif key == "Html" or (in_code and key == "Text"):
            continue
        extend(span["start"], span["end"])
    if not source.isascii():
        _to_characters(data, regions)
    return regions


def _to_characters(data: bytes, regions: list[_Region]) -> None:
    """Turn the regions' UTF-8 byte offsets into character offsets, in one pass."""
    offsets = sorted(
        {
            offset
            for region in regions
            for offset in (
                region.start,
                region.end,
                region.limit,
                *(bound for skip in region.skips for bound in skip),
            )
        }
    )
    characters: dict[int, int] = {}
    previous = count = 0
    for offset in offsets:
        count += len(data[previous:offset].decode(errors="replace"))
        characters[offset] = count
        previous = offset
    for region in regions:
        region.start, region.end = characters[region.start], characters[region.end]
        region.limit = characters[region.limit]
        region.skips = [(characters[a], characters[b]) for a, b in region.skips]


# -- guessed: regions from the lines -----------------------------------------------------------

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
    r"(?:<[A-Za-z][A-Za-z0-9\-]*" + _ATTRIBUTE + r"*\s*/?>|</[A-Za-z][A-Za-z0-9\-]*\s*>)[ \t]*$",
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
    if "\\(" in source or "\\[" in source or _has_private(source):
        return None
    holes = _fences(source) if "```" in source or "~~~" in source else []
    found: list[Found] = []
    position = 0
    for hole_start, hole_end in [*holes, (len(source), len(source))]:
        if position < hole_start and source.find("$", position, hole_start) != -1:
            spans: list[Found] = []
            _inline_spans(source, position, hole_start, [], spans)
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
                block = _dollar_block(source, position, len(source), 0)
            if block is None:
                begin, finish = _trimmed(source, position, chunk_end)
                _inline_spans(source, begin, finish, [], found)
                break
            found.append((position, block[0], BLOCK, block[1]))
            consumed = block[0]
            if block[0] >= chunk_end:
                break  # over blank lines: the paragraphs it covers are math
            position = _next_line(source, block[0], 0)  # the next line starts a new block
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
    if _LINE_PREFIX.fullmatch(prefix) is None:
        return MAYBE_NOT
    block = _dollar_block(source, start, len(source), prefix.count(">"))
    if block is None:
        return MAYBE_NOT
    block_end, block_tex = block
    line_end = source.find("\n", end)
    line_end = len(source) if line_end == -1 else line_end
    same = block_tex == tex and block_end == line_end and not source[end:line_end].strip()
    return MAYBE_SAME if same else MAYBE_DIFFERENT
