"""Renderers: pure functions from a Document to each surface Herald writes on."""

from __future__ import annotations

from herald.content.document import (
    Block,
    Document,
    Emph,
    Footnote,
    Heading,
    Image,
    Inline,
    Link,
    ListBlock,
    Paragraph,
    Quote,
    Strike,
    Strong,
    Table,
)
from herald.content.render.discord_md import discord_messages
from herald.content.render.excerpt import excerpt, excerpt_text
from herald.content.render.plain import plain_text
from herald.content.render.telegram_html import telegram_messages
from herald.content.render.text import inline_text

__all__ = [
    "discord_messages",
    "excerpt",
    "excerpt_text",
    "first_heading",
    "images",
    "plain_text",
    "search_text",
    "telegram_messages",
]


def search_text(document: Document) -> str:
    """Everything a reader might search for, code and math source included."""
    return " ".join(plain_text(document).split())


def first_heading(document: Document) -> str | None:
    for block in document.blocks:
        if isinstance(block, Heading):
            return inline_text(block.children).strip() or None
    return None


def images(document: Document) -> list[Image]:
    found: list[Image] = []

    def inlines(nodes: tuple[Inline, ...]) -> None:
        for node in nodes:
            if isinstance(node, Image):
                found.append(node)
            elif isinstance(node, Link | Strong | Strike | Emph):
                inlines(node.children)

    def blocks(nodes: tuple[Block, ...]) -> None:
        for block in nodes:
            if isinstance(block, Heading | Paragraph):
                inlines(block.children)
            elif isinstance(block, Quote | Footnote):
                blocks(block.children)
            elif isinstance(block, ListBlock):
                for item in block.items:
                    blocks(item)
            elif isinstance(block, Table):
                for row in (block.header, *block.rows):
                    for cell in row:
                        inlines(cell)

    blocks(document.blocks)
    return found
