"""Display math found where CommonMark sees a paragraph or raw HTML, as MathJax reads it.

Authors write `$$…$$` on its own lines inside a paragraph, and put display math inside
HTML (a `<div>` around an equation); the page shows a display block either way.  A block
that only defines macros (`\\newcommand`, `\\def`) shows nothing and is left out.
"""

from __future__ import annotations

import re

from herald.content.document import (
    Block,
    HtmlBlock,
    Image,
    Inline,
    LineBreak,
    Link,
    Math,
    MathBlock,
    Paragraph,
)

_PREAMBLE = re.compile(
    r"\s*\\(?:def|g?let|(?:re)?newcommand|providecommand|definecolor|DeclareMathOperator)\b"
)
_DISPLAY = re.compile(r"\s*(?:\$\$((?:(?!\$\$).)*)\$\$|\\\[((?:(?!\\\]).)*)\\\])\s*", re.S)


def math_block(tex: str) -> list[Block]:
    """Display math, unless it is a preamble of macro definitions, which shows nothing."""
    tex = tex.strip()
    return [MathBlock(tex)] if tex and not _PREAMBLE.match(tex) else []


def html_part(part: str | Image | Link) -> list[Block]:
    """A piece of raw HTML: an image, a player's link, display math (MathJax reads it in
    HTML too), text."""
    if not isinstance(part, str):
        return [Paragraph((part,))]
    display = _DISPLAY.fullmatch(part)
    if display:
        return math_block(display.group(1) or display.group(2) or "")
    return [HtmlBlock(part)]


def promote_display_math(inlines: tuple[Inline, ...]) -> list[Block]:
    """A paragraph, split where `$$…$$` stands on its own lines: that is a display block.

    Authors often write display math with no blank line around it, which CommonMark
    reads as one paragraph; mid-sentence `$$…$$` stays inline.
    """
    blocks: list[Block] = []
    current: list[Inline] = []
    for index, node in enumerate(inlines):
        before = inlines[index - 1] if index else None
        after = inlines[index + 1] if index + 1 < len(inlines) else None
        alone = (before is None or isinstance(before, LineBreak)) and (
            after is None or isinstance(after, LineBreak)
        )
        if isinstance(node, Math) and node.display and alone:
            _flush_paragraph(current, blocks)
            blocks.append(MathBlock(node.tex))
        elif isinstance(node, LineBreak) and not current and blocks:
            continue  # the break right after a promoted block
        else:
            current.append(node)
    _flush_paragraph(current, blocks)
    return blocks


def _flush_paragraph(current: list[Inline], blocks: list[Block]) -> None:
    while current and isinstance(current[-1], LineBreak):
        current.pop()
    if current:
        blocks.append(Paragraph(tuple(current)))
    current.clear()
