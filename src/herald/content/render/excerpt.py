"""The card text: plain, whitespace-collapsed, placeholders for what prose cannot show.

Matches the reference feed (`[代码]` for code, `[公式]` for display math, Unicode or
`[Math]` for inline math, headings and list numbers kept as text, ~350 characters, `...`)
but loses no character the author wrote: hyphens, `<`, `>`, `*` and URLs survive.
"""

from __future__ import annotations

import regex

from herald.content.document import (
    Block,
    CodeBlock,
    Document,
    Footnote,
    Heading,
    HtmlBlock,
    Image,
    ListBlock,
    MathBlock,
    Paragraph,
    Quote,
    Rule,
    Table,
)
from herald.content.render.text import inline_text, math_unicode

PLACEHOLDERS = {
    "zh": {"code": "[代码]", "formula": "[公式]", "math": "[Math]"},
    "en": {"code": "[code]", "formula": "[formula]", "math": "[math]"},
}
ELLIPSIS = "..."
_GRAPHEME = regex.compile(r"\X")


def _placeholders(lang: str) -> dict[str, str]:
    return PLACEHOLDERS.get(lang, PLACEHOLDERS["en"])


def _no_image(image: Image) -> str:
    return " "


def _block_text(block: Block, marks: dict[str, str]) -> str:
    def inline(children: tuple) -> str:  # type: ignore[type-arg]
        return inline_text(
            children, math=lambda tex: math_unicode(tex) or marks["math"], image=_no_image
        )

    if isinstance(block, Heading | Paragraph):
        return inline(block.children)
    if isinstance(block, CodeBlock):
        return marks["code"]
    if isinstance(block, MathBlock):
        return marks["formula"]
    if isinstance(block, ListBlock):
        items = []
        for index, item in enumerate(block.items):
            text = " ".join(_block_text(child, marks) for child in item)
            items.append(f"{block.start + index}. {text}" if block.ordered else text)
        return " ".join(items)
    if isinstance(block, Quote | Footnote):
        return " ".join(_block_text(child, marks) for child in block.children)
    if isinstance(block, Table):
        rows = [block.header, *block.rows]
        return " ".join(inline(cell) for row in rows for cell in row)
    if isinstance(block, HtmlBlock):
        return block.text
    if isinstance(block, Rule):
        return ""
    return ""


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _cut(text: str, limit: int, marks: dict[str, str]) -> str:
    """At most `limit` graphemes, never inside a placeholder; `...` (not counted) if cut."""
    if len(text) <= limit and len(_GRAPHEME.findall(text)) <= limit:
        return text
    tokens = regex.compile(
        "|".join(regex.escape(mark) for mark in marks.values()) + r"|\X"
    ).findall(text)
    kept: list[str] = []
    count = 0
    for token in tokens:
        size = len(token) if token in marks.values() else 1
        if count + size > limit:
            break
        kept.append(token)
        count += size
    if len(kept) == len(tokens):
        return text
    return "".join(kept).rstrip() + ELLIPSIS


def excerpt(document: Document, *, lang: str = "zh", limit: int = 350) -> str:
    marks = _placeholders(lang)
    pieces = []
    size = 0
    for block in document.blocks:
        if isinstance(block, ListBlock) and block.items and isinstance(block.items[0][0], Footnote):
            continue  # footnotes are not part of the lead
        piece = _collapse(_block_text(block, marks))
        if piece:
            pieces.append(piece)
            size += len(piece) + 1
        if size > limit * 4:  # enough text to cut from; the rest cannot show
            break
    return _cut(" ".join(pieces), limit, marks)


def excerpt_text(text: str, *, lang: str = "zh", limit: int = 350) -> str:
    """A frontmatter summary: the same collapsing and cut, no Markdown interpretation."""
    return _cut(_collapse(text), limit, _placeholders(lang))
