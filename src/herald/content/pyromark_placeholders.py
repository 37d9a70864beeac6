"""Math found exactly as markdown-it finds it, handed to pulldown-cmark as placeholders.

The exact path of `herald.content.pyromark_document`: a first parse (math off, with
source ranges) says where inline content is; markdown-it's rules
(`herald.content.pyromark_math`) find the math there, and each span is replaced by a
placeholder that pulldown-cmark reads as plain text: `$`, one private-use character (the
span's number), any `|` the span held (so a line that was not a table row does not
become one), `$`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import pyromark

from herald.content.pyromark_block_math import (
    QUOTE_MARKER,
    math_block_at,
    next_line,
    trimmed,
)
from herald.content.pyromark_math import (
    BLOCK,
    PLACEHOLDER_BASE,
    PLACEHOLDER_LIMIT,
    Found,
    MathSpan,
    has_private,
    inline_spans,
)

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
    if has_private(source):
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
                block = math_block_at(source, start, region.limit, region.depth)
                if block is not None:
                    end, tex = block
                    found.append((start, end, BLOCK, tex))
                    consumed = end
                    start = next_line(source, end, region.depth)
                    continue  # the next line starts a new block
            first = len(found)
            begin, end = trimmed(source, start, region.end)
            inline_spans(source, begin, end, region.skips, found)
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
            marker = QUOTE_MARKER.match(line)
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
