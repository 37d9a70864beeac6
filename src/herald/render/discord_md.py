"""Document → Discord Markdown, split into messages of at most 2000 characters.

Plain text is escaped so it renders literally (bare URLs are left alone so they still
link), and mentions in it are defused so an article can never ping `@everyone`; a code
fence cut across messages is closed and re-opened with its language.
"""

from __future__ import annotations

import re

from herald.content.document import (
    Block,
    Code,
    CodeBlock,
    Document,
    Emph,
    FootnoteRef,
    Footnotes,
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
from herald.limits import DISCORD_MESSAGE_CHARS
from herald.render.split import split_markdown
from herald.render.text import aligned_table, inline_text, math_text

_URL = re.compile(r"https?://[^\s<>`|]+")
_SPECIAL = re.compile(r"([\\*_~`|])")
_LINE_START = re.compile(r"^([ \t]*)([>#+-]|\d+[.)])", re.M)
_MENTION = re.compile(r"@(everyone|here)\b|<(?=[@#:]|a:|t:)")
_FENCE = "```"
_FENCE_INSIDE = re.compile(r"`(?=``)")
"""A fence inside code would end the block early; zero-width spaces defuse every run."""
_BROKEN_PAIR = "`\u200b`"


def escape(text: str) -> str:
    """Plain text that Discord shows exactly as written."""
    pieces = []
    last = 0
    for match in _URL.finditer(text):
        pieces.append(_prose(text[last : match.start()]))
        pieces.append(match.group())
        last = match.end()
    pieces.append(_prose(text[last:]))
    return _LINE_START.sub(lambda m: m[1] + "\\" + m[2], "".join(pieces))


def _prose(text: str) -> str:
    escaped = _SPECIAL.sub(r"\\\1", text)
    return _MENTION.sub(lambda m: f"@\u200b{m[1]}" if m[1] else "\\<", escaped)


def _code_span(text: str) -> str:
    text = " ".join(text.split("\n"))
    if not text:
        return ""
    if "`" not in text:
        return f"`{text}`"
    return f"`` {text.replace('``', _BROKEN_PAIR)} ``"


def _inline(nodes: tuple[Inline, ...]) -> str:
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, Text):
            parts.append(escape(node.text))
        elif isinstance(node, Code):
            parts.append(_code_span(node.text))
        elif isinstance(node, Math):
            parts.append(_code_span(math_text(node.tex)))
        elif isinstance(node, Emph):
            parts.append(_wrap("*", _inline(node.children)))
        elif isinstance(node, Strong):
            parts.append(_wrap("**", _inline(node.children)))
        elif isinstance(node, Strike):
            parts.append(_wrap("~~", _inline(node.children)))
        elif isinstance(node, Link):
            label = _inline(node.children) or escape(node.href)
            if node.href.startswith(("http://", "https://")):
                label = label.replace("[", "\\[").replace("]", "\\]")
                parts.append(f"[{label}](<{_url(node.href)}>)")
            else:
                parts.append(label)
        elif isinstance(node, Image):
            parts.append(_image(node))
        elif isinstance(node, LineBreak):
            parts.append("\n" if node.hard else " ")
        elif isinstance(node, FootnoteRef):
            parts.append(f"\\[{node.label}\\]")
    for index in range(1, len(parts)):  # `a``b` would read as one span: keep spans apart
        if parts[index].startswith("`") and parts[index - 1].endswith("`"):
            parts[index] = "\u200b" + parts[index]
    return "".join(parts)


def _wrap(mark: str, inner: str) -> str:
    """Emphasis only around something: `****` would show as four asterisks."""
    return f"{mark}{inner}{mark}" if inner.strip() else inner


def _url(href: str) -> str:
    """The same address with the characters that would end a masked link percent-encoded."""
    return href.replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E")


def _image(image: Image) -> str:
    alt = escape(image.alt) or "image"
    if image.src.startswith(("http://", "https://")):
        return f"🖼 [{alt}](<{_url(image.src)}>)"
    return f"🖼 {alt}"


def _fenced(lang: str, code: str) -> str:
    safe = _FENCE_INSIDE.sub("`\u200b", code)
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
    if isinstance(block, Quote):
        inner = "\n".join(_block(child) for child in block.children)
        return "\n".join("> " + line for line in inner.splitlines())
    if isinstance(block, Table):
        rows = [[inline_text(cell) for cell in row] for row in (block.header, *block.rows)]
        return _fenced("", aligned_table(rows, has_header=bool(block.header)))
    if isinstance(block, Rule):
        return "───"
    if isinstance(block, HtmlBlock):
        return escape(block.text)
    if isinstance(block, Footnotes):
        return "\n".join(
            f"\\[{note.label}\\] " + "\n".join(_block(child) for child in note.children)
            for note in block.notes
        )
    return ""


def discord_messages(
    doc: Document, *, header: str = "", limit: int = DISCORD_MESSAGE_CHARS
) -> list[str]:
    """The article as Discord messages of at most `limit` characters; never empty.

    `header` is Discord Markdown the caller built (title, date); it starts the first one.
    """
    blocks = [text for text in (_block(b) for b in doc.blocks) if text.strip()]
    if header.strip():
        blocks.insert(0, header.rstrip("\n"))
    return split_markdown(blocks, limit=limit) or ["…"]
