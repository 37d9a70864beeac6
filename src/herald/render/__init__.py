"""Renderers: pure functions from a Document to each surface Herald writes on.

`excerpt` / `card_text` for cards, `telegram_messages` / `discord_messages` for articles
split to each platform's limit, `plain_text` for the terminal, `search_text` for the words
a reader sees (the index reads them from the source instead, `herald.content.searchable`,
and is tested against this), plus two lookups the store and adapters need
(`first_heading`, `images`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from herald.content.document import (
    Block,
    CodeBlock,
    Document,
    Emph,
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
    Strike,
    Strong,
    Table,
)
from herald.render.discord_md import discord_messages
from herald.render.excerpt import card_text, excerpt, excerpt_text
from herald.render.plain import plain_text
from herald.render.telegram_html import telegram_messages
from herald.render.text import inline_text

__all__ = [
    "card_text",
    "discord_messages",
    "excerpt",
    "excerpt_text",
    "first_heading",
    "images",
    "plain_text",
    "search_text",
    "telegram_messages",
]


_Leaf = CodeBlock | MathBlock | HtmlBlock


def _inline_groups(blocks: Iterable[Block]) -> Iterator[tuple[Inline, ...] | _Leaf]:
    """Every block's inline content in reading order; leaf blocks (code, math, HTML)
    are yielded themselves."""
    for block in blocks:
        if isinstance(block, Heading | Paragraph):
            yield block.children
        elif isinstance(block, Quote):
            yield from _inline_groups(block.children)
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield from _inline_groups(item)
        elif isinstance(block, Table):
            for row in (block.header, *block.rows):
                yield from row
        elif isinstance(block, Footnotes):
            for note in block.notes:
                yield from _inline_groups(note.children)
        elif isinstance(block, CodeBlock | MathBlock | HtmlBlock):
            yield block


def search_text(doc: Document) -> str:
    """All the words a reader sees, in one whitespace-collapsed line: what search must find.

    Code and math are included as written (LaTeX source, so `\\theta` finds `$\\theta$`),
    image alt texts too; markup, placeholders and URLs of links are not.
    """
    parts: list[str] = []
    for group in _inline_groups(doc.blocks):
        if isinstance(group, CodeBlock):
            parts.append(group.code)
        elif isinstance(group, MathBlock):
            parts.append(group.tex)
        elif isinstance(group, HtmlBlock):
            parts.append(group.text)
        else:
            parts.append(inline_text(group, math=lambda node: f" {node.tex} ", footnote=_none))
    return " ".join(" ".join(parts).split())


def _none(_: object) -> str:
    return ""


def first_heading(doc: Document) -> str | None:
    """Plain text of the first heading anywhere at the top level: the title fallback."""
    for block in doc.blocks:
        if isinstance(block, Heading):
            text = " ".join(inline_text(block.children, footnote=_none).split())
            if text:
                return text
    return None


def images(doc: Document) -> list[Image]:
    """Every image (Markdown, Liquid figure or raw `<img>`), in reading order."""
    found: list[Image] = []

    def walk(nodes: Iterable[Inline]) -> None:
        for node in nodes:
            if isinstance(node, Image):
                found.append(node)
            elif isinstance(node, Link | Strong | Strike | Emph):
                walk(node.children)

    for group in _inline_groups(doc.blocks):
        if isinstance(group, tuple):
            walk(group)
    return found
