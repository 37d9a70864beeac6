"""Document → plain text for the terminal: readable with no markup at all.

Headings are underlined, lists keep their markers, code and display math are indented
four spaces (never wrapped), tables aligned by display width, links read `text <url>`.
With `width`, prose is wrapped by display width, so Chinese lines (two cells a
character, breakable anywhere) come out as wide as English ones.
"""

from __future__ import annotations

import regex

from herald.content.document import (
    Block,
    CodeBlock,
    Document,
    Footnotes,
    Heading,
    HtmlBlock,
    Image,
    Inline,
    Link,
    ListBlock,
    MathBlock,
    Paragraph,
    Quote,
    Rule,
    Table,
)
from herald.render.text import aligned_table, display_width, inline_text

_WIDE = r"\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}"
_PIECES = regex.compile(rf"\s+|[{_WIDE}]|[^\s{_WIDE}]+")
_GRAPHEME = regex.compile(r"\X")


def _image(image: Image) -> str:
    return f"[image: {image.alt or image.src}]"


def _inline(nodes: tuple[Inline, ...]) -> str:
    parts = []
    for node in nodes:
        if isinstance(node, Link) and node.href.startswith(("http://", "https://", "mailto:")):
            label = inline_text(node.children, image=_image)
            parts.append(node.href if label in ("", node.href) else f"{label} <{node.href}>")
        else:
            parts.append(inline_text((node,), image=_image))
    return "".join(parts)


def wrap_line(line: str, width: int) -> list[str]:
    """Greedy wrap by display width: at spaces, between CJK characters, or mid-word
    (by grapheme) when a word alone is wider than the line."""
    lines: list[str] = []
    current, used = "", 0
    for piece in _PIECES.findall(line):
        size = display_width(piece)
        if piece.isspace():
            if used and used + size <= width:
                current, used = current + piece, used + size
            elif used:
                lines.append(current.rstrip())
                current, used = "", 0
            continue
        if used + size > width and used:
            lines.append(current.rstrip())
            current, used = "", 0
        if size > width:
            for grapheme in _GRAPHEME.findall(piece):
                cells = display_width(grapheme)
                if used + cells > width and used:
                    lines.append(current)
                    current, used = "", 0
                current, used = current + grapheme, used + cells
            continue
        current, used = current + piece, used + size
    if current.strip() or not lines:
        lines.append(current.rstrip())
    return lines


def _wrap(text: str, width: int | None, indent: str = "") -> str:
    room = None if width is None else max(width - display_width(indent), 10)
    out = []
    for line in text.splitlines() or [""]:
        for wrapped in [line] if room is None else wrap_line(line, room):
            out.append(indent + wrapped)
    return "\n".join(out)


def _indent(text: str, first: str, rest: str) -> str:
    lines = text.splitlines() or [""]
    return "\n".join([first + lines[0], *(rest + line if line else line for line in lines[1:])])


def _code(text: str) -> str:
    return "\n".join(("    " + line).rstrip() for line in text.splitlines())


def _block(block: Block, width: int | None) -> str:
    inner = None if width is None else max(width - 3, 10)
    if isinstance(block, Heading):
        title = _inline(block.children).replace("\n", " ")
        underline = ("=" if block.level == 1 else "-") * max(display_width(title), 3)
        return f"{title}\n{underline}"
    if isinstance(block, Paragraph):
        return _wrap(_inline(block.children), width)
    if isinstance(block, CodeBlock):
        label = f"    [{block.lang}]\n" if block.lang else ""
        return label + _code(block.code)
    if isinstance(block, MathBlock):
        return _code(block.tex)
    if isinstance(block, ListBlock):
        items = []
        for index, item in enumerate(block.items):
            marker = f"{block.start + index}. " if block.ordered else "• "
            pad = " " * len(marker)
            room = None if width is None else max(width - len(marker), 10)
            body = "\n".join(_block(child, room) for child in item)
            items.append(_indent(body, marker, pad))
        return "\n".join(items)
    if isinstance(block, Quote):
        body = "\n\n".join(_block(child, inner) for child in block.children)
        return "\n".join(("│ " + line).rstrip() for line in body.splitlines())
    if isinstance(block, Table):
        rows = [[inline_text(cell) for cell in row] for row in (block.header, *block.rows)]
        return aligned_table(rows, has_header=bool(block.header))
    if isinstance(block, Rule):
        return "─" * 20
    if isinstance(block, HtmlBlock):
        return _wrap(block.text, width)
    if isinstance(block, Footnotes):
        notes = []
        for note in block.notes:
            marker = f"[{note.label}] "
            body = "\n".join(_block(child, inner) for child in note.children)
            notes.append(_indent(body, marker, " " * len(marker)))
        return "─" * 10 + "\n" + "\n".join(notes)
    return ""


def plain_text(doc: Document, *, width: int | None = None) -> str:
    """The article for a terminal; `width` wraps prose (code and tables are never wrapped)."""
    return "\n\n".join(text for text in (_block(b, width) for b in doc.blocks) if text)
