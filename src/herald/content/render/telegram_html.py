"""Document → Telegram HTML (parse_mode HTML), split into messages within the limit.

Only tags the Bot API accepts are produced: b, i, s, code, pre, a, blockquote; text is
escaped for `<`, `>`, `&` and nothing else.  Tables become aligned monospace, math becomes
code (Unicode where faithful, else the LaTeX source), local images a caption line (the
adapter uploads them), remote ones a link.
"""

from __future__ import annotations

import html

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
from herald.content.render.runs import Run, Tag, serialize, split_blocks
from herald.content.render.text import aligned_table, inline_text, math_unicode

_LINKABLE = ("http://", "https://", "tg://", "mailto:")
BOLD: Tag = ("b", "")
ITALIC: Tag = ("i", "")
S: Tag = ("s", "")
CODE: Tag = ("code", "")
PRE: Tag = ("pre", "")
QUOTE: Tag = ("blockquote", "")


def _link_tag(href: str) -> Tag:
    return ("a", f' href="{html.escape(href, quote=True)}"')


def _inline_runs(nodes: tuple[Inline, ...], tags: tuple[Tag, ...]) -> list[Run]:
    runs: list[Run] = []
    for node in nodes:
        if isinstance(node, Text):
            runs.append(Run(node.text, tags))
        elif isinstance(node, Code):
            runs.append(Run(node.text, tags if CODE in tags else (*tags, CODE)))
        elif isinstance(node, Math):
            runs.append(
                Run(math_unicode(node.tex) or node.tex, tags if CODE in tags else (*tags, CODE))
            )
        elif isinstance(node, Emph):
            runs += _inline_runs(node.children, (*tags, ITALIC))
        elif isinstance(node, Strong):
            runs += _inline_runs(node.children, (*tags, BOLD))
        elif isinstance(node, Strike):
            runs += _inline_runs(node.children, (*tags, S))
        elif isinstance(node, Link):
            linkable = node.href.startswith(_LINKABLE) and not any(t[0] == "a" for t in tags)
            inner = (*tags, _link_tag(node.href)) if linkable else tags
            runs += _inline_runs(node.children, inner) or [Run(node.href, inner)]
        elif isinstance(node, Image):
            runs += _image_runs(node, tags)
        elif isinstance(node, LineBreak):
            runs.append(Run("\n" if node.hard else " ", tags))
        elif isinstance(node, FootnoteRef):
            runs.append(Run(f"[{node.label}]", tags))
    return runs


def _image_runs(image: Image, tags: tuple[Tag, ...]) -> list[Run]:
    label = f"🖼 {image.alt}".rstrip()
    if image.src.startswith(("http://", "https://")) and not any(t[0] == "a" for t in tags):
        return [Run(label if image.alt else "🖼 image", (*tags, _link_tag(image.src)))]
    return [Run(label, tags)]


def _block_runs(block: Block, tags: tuple[Tag, ...] = (), depth: int = 0) -> list[Run]:
    if isinstance(block, Heading):
        return _inline_runs(block.children, (*tags, BOLD))
    if isinstance(block, Paragraph):
        return _inline_runs(block.children, tags)
    if isinstance(block, CodeBlock):
        if QUOTE in tags:  # <pre> inside <blockquote> is not reliable: keep it inline code
            return [Run(block.code, (*tags, CODE))]
        code: Tag = ("code", f' class="language-{html.escape(block.lang, quote=True)}"')
        return [Run(block.code or " ", (PRE, code) if block.lang else (PRE,))]
    if isinstance(block, MathBlock):
        return [Run(block.tex or " ", (*tags, CODE) if QUOTE in tags else (PRE,))]
    if isinstance(block, ListBlock):
        runs: list[Run] = []
        for index, item in enumerate(block.items):
            if runs:
                runs.append(Run("\n", tags))
            marker = f"{block.start + index}. " if block.ordered else "• "
            runs.append(Run("  " * depth + marker, tags))
            for position, child in enumerate(item):
                if position:
                    runs.append(Run("\n" + "  " * (depth + 1), tags))
                runs += _block_runs(child, tags, depth + 1)
        return runs
    if isinstance(block, Footnote):
        runs = [Run(f"[{block.label}] ", tags)]
        for child in block.children:
            runs += _block_runs(child, tags, depth)
        return runs
    if isinstance(block, Quote):
        inner: list[Run] = []
        for child in block.children:
            if inner:
                inner.append(Run("\n", (*tags, QUOTE)))
            inner += _block_runs(child, (*tags, QUOTE), depth)
        return inner
    if isinstance(block, Table):
        rows = [[inline_text(cell) for cell in row] for row in (block.header, *block.rows)]
        return [Run(aligned_table(rows) or " ", (PRE,))]
    if isinstance(block, Rule):
        return [Run("———", tags)]
    if isinstance(block, HtmlBlock):
        return [Run(block.text, tags)]
    return []


def telegram_blocks(document: Document) -> list[list[Run]]:
    return [runs for runs in (_block_runs(block) for block in document.blocks) if runs]


def telegram_messages(document: Document, *, header_html: str = "", limit: int = 4096) -> list[str]:
    """The article as HTML messages, each at most `limit` UTF-16 units after parsing.

    `header_html` must be well-formed Telegram HTML; it starts the first message.
    """
    from herald.content.render.header import header_runs

    blocks = telegram_blocks(document)
    if header_html:
        blocks.insert(0, header_runs(header_html))
    chunks = split_blocks(blocks, limit=limit)
    return [serialize(chunk) for chunk in chunks] or [serialize([Run("…")])]
