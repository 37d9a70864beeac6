"""Document → Discord Markdown, split into messages of at most 2000 characters.

Plain text is escaped so it renders literally (bare URLs are left alone so they still
link); a code fence cut across messages is closed and re-opened with its language.
"""

from __future__ import annotations

import re

import regex

from herald.content.document import (
    Block,
    Code,
    CodeBlock,
    Document,
    Emph,
    Footnote,
    FootnoteRef,
    Heading,
    HtmlBlock,
    Image,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    Math,
    MathBlock,
    Paragraph,
    Quote,
    Rule,
    Strike,
    Strong,
    Table,
    Text,
)
from herald.content.render.text import aligned_table, inline_text, math_unicode

_URL = re.compile(r"https?://\S+")
_SPECIAL = re.compile(r"([\\*_~`|])")
_LINE_START = re.compile(r"^(\s*)([>#-]|\d+\.)", re.M)
_GRAPHEME = regex.compile(r"\X")
_FENCE = "```"
_BROKEN_FENCE = "`\u200b``"
"""A fence inside code would end the block early; a zero-width space defuses it."""
_BROKEN_PAIR = "`\u200b`"


def escape(text: str) -> str:
    pieces = []
    last = 0
    for match in _URL.finditer(text):
        pieces.append(_SPECIAL.sub(r"\\\1", text[last : match.start()]))
        pieces.append(match.group())
        last = match.end()
    pieces.append(_SPECIAL.sub(r"\\\1", text[last:]))
    return _LINE_START.sub(lambda m: m[1] + "\\" + m[2], "".join(pieces))


def _code_span(text: str) -> str:
    text = text.replace("\n", " ")
    if "`" not in text:
        return f"`{text}`" if text else ""
    safe = text.replace("``", _BROKEN_PAIR)
    return f"`` {safe} ``"


def _inline(nodes: tuple[Inline, ...]) -> str:
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, Text):
            parts.append(escape(node.text))
        elif isinstance(node, Code):
            parts.append(_code_span(node.text))
        elif isinstance(node, Math):
            parts.append(_code_span(math_unicode(node.tex) or node.tex))
        elif isinstance(node, Emph):
            parts.append(f"*{_inline(node.children)}*")
        elif isinstance(node, Strong):
            parts.append(f"**{_inline(node.children)}**")
        elif isinstance(node, Strike):
            parts.append(f"~~{_inline(node.children)}~~")
        elif isinstance(node, Link):
            label = _inline(node.children) or escape(node.href)
            if node.href.startswith(("http://", "https://")):
                label = label.replace("]", "\\]")
                parts.append(f"[{label}](<{node.href}>)")
            else:
                parts.append(label)
        elif isinstance(node, Image):
            parts.append(_image(node))
        elif isinstance(node, LineBreak):
            parts.append("\n" if node.hard else " ")
        elif isinstance(node, FootnoteRef):
            parts.append(f"\\[{node.label}\\]")
    for index in range(1, len(parts)):  # `a``b` would read as a fence: keep spans apart
        if parts[index].startswith("`") and parts[index - 1].endswith("`"):
            parts[index] = "\u200b" + parts[index]
    return "".join(parts)


def _image(image: Image) -> str:
    alt = escape(image.alt) or "image"
    if image.src.startswith(("http://", "https://")):
        return f"🖼 [{alt}](<{image.src}>)"
    return f"🖼 {alt}"


def _fenced(lang: str, code: str) -> str:
    safe = code.replace(_FENCE, _BROKEN_FENCE)
    return f"{_FENCE}{lang}\n{safe}\n{_FENCE}"


def _block(block: Block, depth: int = 0) -> str:
    if isinstance(block, Heading):
        return "#" * min(block.level, 3) + " " + _inline(block.children).replace("\n", " ")
    if isinstance(block, Paragraph):
        return _inline(block.children)
    if isinstance(block, CodeBlock):
        return _fenced(block.lang, block.code)
    if isinstance(block, MathBlock):
        return _fenced("latex", block.tex)
    if isinstance(block, ListBlock):
        lines = []
        indent = "  " * depth
        for index, item in enumerate(block.items):
            marker = f"{indent}{block.start + index}." if block.ordered else f"{indent}-"
            parts = []
            for child in item:
                text = _block(child, depth + 1)
                if text.startswith(_FENCE):  # fences must start a line, unindented
                    parts.append("\n" + text)
                else:
                    parts.append(text.replace("\n", "\n" + indent + "   "))
            body = "\n".join(parts)
            lines.append(f"{marker}{body}" if body.startswith("\n") else f"{marker} {body}")
        return "\n".join(lines)
    if isinstance(block, Footnote):
        return f"\\[{block.label}\\] " + "\n".join(_block(child) for child in block.children)
    if isinstance(block, Quote):
        inner = "\n".join(_block(child) for child in block.children)
        return "\n".join("> " + line for line in inner.splitlines())
    if isinstance(block, Table):
        rows = [[inline_text(cell) for cell in row] for row in (block.header, *block.rows)]
        return _fenced("", aligned_table(rows))
    if isinstance(block, Rule):
        return "───"
    if isinstance(block, HtmlBlock):
        return escape(block.text)
    return ""


_FENCE_LINE = re.compile(r"^```(\S*)", re.M)


def _open_fence(text: str) -> str | None:
    """The language of a fence left open at the end of `text`, or None if all are closed."""
    language: str | None = None
    for match in _FENCE_LINE.finditer(text):
        language = match.group(1) if language is None else None
    return language


def _split_text(text: str, limit: int) -> list[str]:
    """Cut a block that alone exceeds the limit; a fence open at a cut is closed and re-opened.

    Cuts prefer a line break, then a space, then any grapheme boundary.  Inside code the
    text after a cut keeps its indentation; only the line break at the cut is dropped.
    """
    pieces: list[str] = []
    reopen = ""
    while text:
        if len(reopen) + len(text) <= limit:
            pieces.append(reopen + text)
            break
        room = limit - len(reopen) - len("\n" + _FENCE) - 36  # 36: room for a fence's language
        end = 0
        for match in _GRAPHEME.finditer(text):
            if match.end() > room:
                break
            end = match.end()
        head = text[:end]
        cut = head.rfind("\n")
        if cut < end // 2:
            cut = head.rfind(" ")
        if cut < end // 2:
            cut = end
        piece = reopen + text[:cut].rstrip(" ")
        text = text[cut:].removeprefix("\n")
        language = _open_fence(piece)
        if language is not None:
            piece = piece.rstrip("\n") + "\n" + _FENCE
            reopen = f"{_FENCE}{language}\n"
        else:
            reopen = ""
            text = text.lstrip(" ")
        if piece.strip():
            pieces.append(piece)
    return pieces


def discord_messages(document: Document, *, header: str = "", limit: int = 2000) -> list[str]:
    blocks = [text for text in (_block(b) for b in document.blocks) if text.strip()]
    if header:
        blocks.insert(0, header.rstrip("\n"))
    messages: list[str] = []
    current = ""
    for text in blocks:
        joined = f"{current}\n\n{text}" if current else text
        if len(joined) <= limit:
            current = joined
            continue
        if current:
            messages.append(current)
            current = ""
        if len(text) <= limit:
            current = text
        else:
            *full, current = _split_text(text, limit)
            messages.extend(full)
    if current:
        messages.append(current)
    return messages or ["…"]
