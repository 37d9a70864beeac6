"""The neutral document model every renderer reads: Markdown parsed once, platform-free.

Small frozen dataclasses, block and inline, so renderers are plain recursive functions and
hypothesis can compare what goes in with what comes out.
"""

from __future__ import annotations

from dataclasses import dataclass

# -- inlines -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Text:
    text: str


@dataclass(frozen=True, slots=True)
class Code:
    text: str


@dataclass(frozen=True, slots=True)
class Math:
    tex: str
    display: bool = False
    """Written with display delimiters (`$$…$$`, `\\[…\\]`) mid-sentence; still inline."""


@dataclass(frozen=True, slots=True)
class Emph:
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Strong:
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Strike:
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Link:
    href: str
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Image:
    src: str
    alt: str


@dataclass(frozen=True, slots=True)
class LineBreak:
    hard: bool = True


@dataclass(frozen=True, slots=True)
class FootnoteRef:
    """A footnote mark; `label` is its number in order of first reference (`1`, `2`, …)."""

    label: str


Inline = Text | Code | Math | Emph | Strong | Strike | Link | Image | LineBreak | FootnoteRef


# -- blocks ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Paragraph:
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class CodeBlock:
    lang: str
    code: str


@dataclass(frozen=True, slots=True)
class MathBlock:
    tex: str


@dataclass(frozen=True, slots=True)
class ListBlock:
    ordered: bool
    start: int
    items: tuple[tuple[Block, ...], ...]


@dataclass(frozen=True, slots=True)
class Quote:
    children: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class Table:
    header: tuple[tuple[Inline, ...], ...]
    rows: tuple[tuple[tuple[Inline, ...], ...], ...]


@dataclass(frozen=True, slots=True)
class Rule:
    pass


@dataclass(frozen=True, slots=True)
class HtmlBlock:
    """Raw HTML reduced to its readable text (scripts, styles and comments removed)."""

    text: str


@dataclass(frozen=True, slots=True)
class Footnote:
    label: str
    children: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class Footnotes:
    """Every footnote body (Markdown `[^x]`, `^[…]` and distill `<d-footnote>`), at the end."""

    notes: tuple[Footnote, ...]


Block = (
    Heading
    | Paragraph
    | CodeBlock
    | MathBlock
    | ListBlock
    | Quote
    | Table
    | Rule
    | HtmlBlock
    | Footnotes
)


@dataclass(frozen=True, slots=True)
class Document:
    blocks: tuple[Block, ...]
