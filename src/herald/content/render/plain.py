"""Document → plain text for the terminal: readable with no markup at all."""

from __future__ import annotations

import textwrap

from herald.content.document import (
    Block,
    CodeBlock,
    Document,
    Footnote,
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
from herald.content.render.text import aligned_table, display_width, inline_text


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


def _wrap(text: str, width: int | None, indent: str = "") -> str:
    if width is None:
        return "\n".join(indent + line for line in text.splitlines())
    return "\n".join(
        textwrap.fill(line, width, initial_indent=indent, subsequent_indent=indent) or indent
        for line in text.splitlines()
    )


def _block(block: Block, width: int | None, depth: int = 0) -> str:
    if isinstance(block, Heading):
        title = _inline(block.children)
        underline = ("=" if block.level == 1 else "-") * max(display_width(title), 3)
        return f"{title}\n{underline}"
    if isinstance(block, Paragraph):
        return _wrap(_inline(block.children), width)
    if isinstance(block, CodeBlock):
        label = f"    [{block.lang}]\n" if block.lang else ""
        return label + "\n".join("    " + line for line in block.code.splitlines())
    if isinstance(block, MathBlock):
        return "\n".join("    " + line for line in block.tex.splitlines())
    if isinstance(block, ListBlock):
        lines = []
        for index, item in enumerate(block.items):
            marker = f"{block.start + index}. " if block.ordered else "• "
            body = "\n".join(_block(child, width, depth + 1) for child in item)
            pad = " " * len(marker)
            lines.append(marker + body.replace("\n", "\n" + pad))
        return "\n".join(lines)
    if isinstance(block, Footnote):
        return f"[{block.label}] " + "\n".join(_block(c, width) for c in block.children)
    if isinstance(block, Quote):
        inner = "\n\n".join(_block(child, width) for child in block.children)
        return "\n".join("│ " + line for line in inner.splitlines())
    if isinstance(block, Table):
        rows = [[inline_text(cell) for cell in row] for row in (block.header, *block.rows)]
        return aligned_table(rows)
    if isinstance(block, Rule):
        return "─" * 20
    if isinstance(block, HtmlBlock):
        return _wrap(block.text, width)
    return ""


def plain_text(document: Document, *, width: int | None = None) -> str:
    return "\n\n".join(text for text in (_block(b, width) for b in document.blocks) if text)
