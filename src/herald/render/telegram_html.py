"""Document → Telegram HTML (parse_mode HTML), split into messages within the limit.

Only tags the Bot API accepts are produced (b, i, s, a, code, pre, blockquote) and only
nestings it allows: code and pre contain nothing and sit inside no bold, italic or link
(a code span inside a link becomes plain link text), blockquotes never nest and never
hold a pre (the quote is closed around a code block and re-opened after it).  Text is
escaped for `<`, `>`, `&` and nothing else.  Tables become aligned monospace, math
becomes code (Unicode where faithful, else the LaTeX source), display math a `<pre>`,
local images a `🖼 alt` line (the adapter uploads them), remote ones a link.
"""

from __future__ import annotations

import html

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
from herald.limits import TELEGRAM_MESSAGE_CHARS
from herald.render.split import Run, Tag, serialize, split_runs
from herald.render.text import aligned_table, inline_text, math_text

_LINKABLE = ("http://", "https://", "tg://", "mailto:")
BOLD: Tag = ("b", "")
ITALIC: Tag = ("i", "")
STRIKE: Tag = ("s", "")
CODE: Tag = ("code", "")
PRE: Tag = ("pre", "")
QUOTE: Tag = ("blockquote", "")


def _link(href: str) -> Tag:
    return ("a", f' href="{html.escape(href, quote=True)}"')


def _in_link(tags: tuple[Tag, ...]) -> bool:
    return any(name == "a" for name, _ in tags)


def _code_run(text: str, tags: tuple[Tag, ...]) -> Run:
    """Code keeps only an enclosing quote; inside a link it is plain link text."""
    if _in_link(tags):
        return Run(text, tags)
    return Run(text, (*(tag for tag in tags if tag == QUOTE), CODE))


def _inline_runs(nodes: tuple[Inline, ...], tags: tuple[Tag, ...]) -> list[Run]:
    runs: list[Run] = []
    for node in nodes:
        if isinstance(node, Text):
            runs.append(Run(node.text, tags))
        elif isinstance(node, Code):
            runs.append(_code_run(node.text, tags))
        elif isinstance(node, Math):
            runs.append(_code_run(math_text(node.tex), tags))
        elif isinstance(node, Emph):
            runs += _inline_runs(node.children, (*tags, ITALIC))
        elif isinstance(node, Strong):
            runs += _inline_runs(node.children, (*tags, BOLD))
        elif isinstance(node, Strike):
            runs += _inline_runs(node.children, (*tags, STRIKE))
        elif isinstance(node, Link):
            linkable = node.href.startswith(_LINKABLE) and not _in_link(tags)
            inner = (*tags, _link(node.href)) if linkable else tags
            runs += _inline_runs(node.children, inner) or [Run(node.href, inner)]
        elif isinstance(node, Image):
            runs += _image_runs(node, tags)
        elif isinstance(node, LineBreak):
            runs.append(Run("\n" if node.hard else " ", tags))
        elif isinstance(node, FootnoteRef):
            runs.append(Run(f"[{node.label}]", tags))
    return runs


def _image_runs(image: Image, tags: tuple[Tag, ...]) -> list[Run]:
    label = f"🖼 {image.alt or 'image'}"
    if image.src.startswith(("http://", "https://")) and not _in_link(tags):
        return [Run(label, (*tags, _link(image.src)))]
    return [Run(label, tags)]


def _pre(text: str, lang: str = "") -> list[Run]:
    """A `<pre>` block; it never sits inside a quote, so the quote tags are dropped."""
    code: Tag = ("code", f' class="language-{html.escape(lang, quote=True)}"')
    return [Run(text or " ", (PRE, code) if lang else (PRE,))]


def _block_runs(block: Block, tags: tuple[Tag, ...] = (), depth: int = 0) -> list[Run]:
    if isinstance(block, Heading):
        return _inline_runs(block.children, (*tags, BOLD))
    if isinstance(block, Paragraph):
        return _inline_runs(block.children, tags)
    if isinstance(block, CodeBlock):
        return _pre(block.code, block.lang)
    if isinstance(block, MathBlock):
        return _pre(block.tex)
    if isinstance(block, ListBlock):
        runs: list[Run] = []
        for index, item in enumerate(block.items):
            if runs:
                runs.append(Run("\n", tags))
            marker = f"{block.start + index}. " if block.ordered else "• "
            runs.append(Run("  " * depth + marker, tags))
            for position, child in enumerate(item):
                if position:  # a nested list indents itself
                    indent = "" if isinstance(child, ListBlock) else "  " * (depth + 1)
                    runs.append(Run("\n" + indent, tags))
                runs += _block_runs(child, tags, depth + 1)
        return runs
    if isinstance(block, Quote):
        inner_tags = tags if QUOTE in tags else (*tags, QUOTE)
        inner: list[Run] = []
        for child in block.children:
            if inner:
                inner.append(Run("\n", inner_tags))
            inner += _block_runs(child, inner_tags, depth)
        return inner
    if isinstance(block, Table):
        rows = [[inline_text(cell) for cell in row] for row in (block.header, *block.rows)]
        return _pre(aligned_table(rows, has_header=bool(block.header)))
    if isinstance(block, Rule):
        return [Run("———", tags)]
    if isinstance(block, HtmlBlock):
        return [Run(block.text, tags)]
    if isinstance(block, Footnotes):
        notes: list[Run] = []
        for note in block.notes:
            notes.append(Run(("\n" if notes else "") + f"[{note.label}] ", tags))
            for position, child in enumerate(note.children):
                if position:
                    notes.append(Run("\n", tags))
                notes += _block_runs(child, tags, depth)
        return notes
    return []


def telegram_blocks(doc: Document) -> list[list[Run]]:
    """The article as runs, one list per top-level block, before any splitting."""
    return [runs for runs in (_block_runs(block) for block in doc.blocks) if runs]


def telegram_messages(
    doc: Document, *, header: list[Run] | None = None, limit: int = TELEGRAM_MESSAGE_CHARS
) -> list[str]:
    """The article as HTML messages, each at most `limit` UTF-16 units of visible text.

    `header` (title, date, tags) starts the first message, and is split like any other
    block if it is enormous.  Never returns an empty list.
    """
    blocks = telegram_blocks(doc)
    if header:
        blocks.insert(0, header)
    chunks = split_runs(blocks, limit=limit)
    return [serialize(chunk) for chunk in chunks] or ["…"]
