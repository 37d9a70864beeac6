"""The neutral document model every renderer reads: Markdown parsed once, platform-free.

Small frozen dataclasses, block and inline, so renderers are plain recursive functions and
tests can compare what goes in with what comes out.  Everything the Markdown source said
that a reader should see is here, already decoded (entities, escapes, Liquid, raw HTML);
nothing here is markup any more — `Text("a<b")` means the three characters.
"""

from __future__ import annotations

from dataclasses import dataclass

# -- inlines -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Text:
    """Literal characters, never markup: renderers escape them for their platform."""

    text: str


@dataclass(frozen=True, slots=True)
class Code:
    """An inline code span, exactly as written between the backticks."""

    text: str


@dataclass(frozen=True, slots=True)
class Math:
    """Inline math as LaTeX source (`$…$`, `\\(…\\)`); renderers decide how it reads."""

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
    """A link as written; renderers decide which schemes they may make clickable."""

    href: str
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Image:
    """An image from `![alt](src)`, a Liquid figure or a raw `<img>`; `src` as written,
    so the adapters can resolve a local path or send a remote URL."""

    src: str
    alt: str


@dataclass(frozen=True, slots=True)
class LineBreak:
    """A line break: hard (`<br>`, two trailing spaces) or soft (a newline in a paragraph,
    which most surfaces show as a space)."""

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
    """1–6, as in `#` … `######`."""
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Paragraph:
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class CodeBlock:
    """Fenced or indented code; `lang` is reduced to `[\\w+#.-]`, at most 30 characters,
    so it is safe in an HTML class and a Discord fence; `code` has no trailing newline."""

    lang: str
    code: str


@dataclass(frozen=True, slots=True)
class MathBlock:
    """Display math as LaTeX source (`$$…$$` or `\\[…\\]` on their own lines)."""

    tex: str


@dataclass(frozen=True, slots=True)
class ListBlock:
    """A list; each item is its own sequence of blocks (paragraphs, nested lists, code)."""

    ordered: bool
    start: int
    items: tuple[tuple[Block, ...], ...]


@dataclass(frozen=True, slots=True)
class Quote:
    children: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class Table:
    """A pipe table: header cells, then rows of cells, each cell inline content."""

    header: tuple[tuple[Inline, ...], ...]
    rows: tuple[tuple[tuple[Inline, ...], ...], ...]


@dataclass(frozen=True, slots=True)
class Rule:
    pass


@dataclass(frozen=True, slots=True)
class HtmlBlock:
    """Raw HTML reduced to its readable text: tags gone, entities decoded, lines collapsed;
    scripts, styles, comments and hidden elements removed; images split out as their own
    paragraphs."""

    text: str


@dataclass(frozen=True, slots=True)
class Footnote:
    """One footnote body; `label` matches the `FootnoteRef` that points to it."""

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
    """A post body: its blocks in reading order (footnotes, if any, last)."""

    blocks: tuple[Block, ...]
