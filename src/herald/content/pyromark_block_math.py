"""markdown-it's math block rules, where a block may start, for the pyromark front end.

dollarmath's `$$` … `$$` (blank lines and a trailing `(label)` allowed) and texmath's
`\\[` … `\\]` (optionally `(label)`), each bounded by the blockquote it stands in
(`depth` quote markers per line), as `herald.content.pyromark_math` describes them; used
by both of its entry points (`herald.content.pyromark_expected`,
`herald.content.pyromark_placeholders`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

_BRACKET_EQNO: Final = re.compile(r"\\\[(((?!\\\]|\\\[)[\s\S])+?)\\\]\s*?\(([^)$\r\n]+?)\)")
_BRACKET_BLOCK: Final = re.compile(r"\\\[([\s\S]+?)\\\]")
_DOLLAR_EQNO_REV: Final = re.compile(r"^\s*\)([^)$\r\n]+?)\(\s*\${2}")
QUOTE_MARKER: Final = re.compile(r" {0,3}> ?")


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
                marker = QUOTE_MARKER.match(text, begin, end)
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


def dollar_block(text: str, start: int, limit: int, depth: int) -> tuple[int, str] | None:
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


def math_block_at(text: str, start: int, limit: int, depth: int) -> tuple[int, str] | None:
    if text.startswith("$$", start):
        return dollar_block(text, start, limit, depth)
    if text.startswith("\\[", start):
        return _bracket_block(text, start, limit)
    return None


def next_line(text: str, position: int, depth: int) -> int:
    """The first content character of the line after `position` (past quote markers)."""
    newline = text.find("\n", position)
    if newline == -1:
        return len(text)
    position = newline + 1
    for _ in range(depth):
        marker = QUOTE_MARKER.match(text, position)
        if marker is None:
            break
        position = marker.end()
    while position < len(text) and text[position] in " \t":
        position += 1
    return position


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """`text[start:end]` less whitespace as `str.strip()` sees it (pulldown-cmark trims
    ASCII only; markdown-it-py also an NBSP or U+3000, which moves `src[-1]`)."""
    while end > start and text[end - 1].isspace():
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return start, end
