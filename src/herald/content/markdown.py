"""Markdown → Document, once per post, with markdown-it-py and mdit-py-plugins.

CommonMark plus tables, strikethrough, footnotes and math: `$…$`, `$$…$$` (also used
inline, as many blogs do) and MathJax's `\\(…\\)` / `\\[…\\]`, which notes pasted from
chat assistants are full of.  The source is prepared as Jekyll prepares it first
(`herald.content.prepass`: Liquid resolved, kramdown's invisible markers removed).
Emphasis next to CJK text follows the CJK-friendly amendment (`herald.content.cjk_emphasis`:
`这是**前1%**的人` is bold).  Raw HTML keeps its text, images and players' links
(`herald.content.rawhtml`) and ends with its element, as in kramdown
(`herald.content.html_blocks`); distill's `<d-footnote>` becomes a real footnote and
`<d-cite>` disappears.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.texmath import texmath_plugin

from herald.content.cjk_emphasis import cjk_friendly_plugin
from herald.content.document import (
    Block,
    Code,
    CodeBlock,
    Document,
    Emph,
    Footnote,
    FootnoteRef,
    Footnotes,
    Heading,
    Image,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    Math,
    Quote,
    Rule,
    Strike,
    Strong,
    Table,
    Text,
)
from herald.content.html_blocks import kramdown_html_blocks
from herald.content.markdown_common import code_language, inline_tag
from herald.content.markdown_routing import needs_markdown_it
from herald.content.markdown_tokens import Node, token_tree
from herald.content.math_blocks import html_part, math_block, promote_display_math
from herald.content.prepass import prepared
from herald.content.pyromark_document import Declined, pyromark_document
from herald.content.rawhtml import (
    CITATION,
    html_content,
    without_citations,
)


def _parser(*, footnotes: bool) -> MarkdownIt:
    parser = (
        MarkdownIt("commonmark")
        .enable(["table", "strikethrough"])
        .use(dollarmath_plugin, double_inline=True, allow_digits=False)
        .use(texmath_plugin, delimiters="brackets")
        .use(cjk_friendly_plugin)
        .use(kramdown_html_blocks)
    )
    return parser.use(footnote_plugin) if footnotes else parser


_WITHOUT_FOOTNOTES = _parser(footnotes=False)
_PARSER = _parser(footnotes=True)


def parse_markdown(text: str) -> Document:
    """The post's Markdown body as a Document; never raises on odd input.

    Read by pulldown-cmark (`herald.content.pyromark_document`, compiled, the same
    Document) unless the post may hold what only markdown-it reads Herald's way
    (`herald.content.markdown_routing`).
    """
    return parse_prepared(prepared(text))


def parse_prepared(source: str) -> Document:
    """`parse_markdown` of a body prepared already (`herald.content.prepass`), or of the
    opening of one (`herald.content.opening`)."""
    if not needs_markdown_it(source):
        try:
            return pyromark_document(source)
        except Declined:
            pass
    return markdown_it_document(source)


def markdown_it_document(source: str) -> Document:
    """A prepared body (`herald.content.prepass`) as markdown-it reads it: the reference
    the pyromark front end is checked against."""
    try:
        tree = token_tree(_PARSER.parse(source, {}))
    except ValueError:
        # The footnote plugin nests tokens wrongly on some odd input (`[^1]: 1. [^1]: `,
        # found by hypothesis); read such a post without footnotes rather than not at all.
        tree = token_tree(_WITHOUT_FOOTNOTES.parse(source, {}))
    return _Converter().document(tree)


def parse_inline(text: str) -> tuple[Inline, ...]:
    """Markdown with inline syntax only (a frontmatter summary): `1.` or `-` stay text."""
    tokens = _PARSER.parseInline(prepared(text), {})
    return _Converter().inline_children(token_tree(tokens))


class _Converter:
    """One parse's state: footnotes are numbered in order of first reference, whatever
    their syntax, and distill footnotes collected for the end of the document."""

    def __init__(self) -> None:
        self.numbers: dict[object, str] = {}
        self.notes: dict[str, Footnote] = {}

    def document(self, tree: list[Node]) -> Document:
        blocks = self.blocks(tree)
        if self.notes:
            ordered = sorted(self.notes.values(), key=lambda note: int(note.label))
            blocks = (*blocks, Footnotes(tuple(ordered)))
        return Document(blocks)

    def number(self, key: object) -> str:
        return self.numbers.setdefault(key, str(len(self.numbers) + 1))

    # -- blocks ------------------------------------------------------------------------

    def blocks(self, nodes: list[Node]) -> tuple[Block, ...]:
        return tuple(block for node in nodes for block in self.block(node))

    def block(self, node: Node) -> list[Block]:
        kind = node.type
        if kind == "paragraph":
            return promote_display_math(self.inline_children(node.children))
        if kind == "heading":
            return [Heading(int(node.tag[1:]), self.inline_children(node.children))]
        if kind in ("fence", "code_block"):
            return [CodeBlock(code_language(node.info or ""), node.content.rstrip("\n"))]
        if kind in ("math_block", "math_block_label", "math_block_eqno"):
            return math_block(node.content)
        if kind in ("bullet_list", "ordered_list"):
            start = int(node.attrs.get("start", 1)) if kind == "ordered_list" else 1
            items = tuple(self.blocks(item.children) for item in node.children)
            return [ListBlock(kind == "ordered_list", start, items)]
        if kind == "blockquote":
            return [Quote(self.blocks(node.children))]
        if kind == "table":
            return [self.table(node)]
        if kind == "hr":
            return [Rule()]
        if kind == "html_block":
            return [block for part in html_content(node.content) for block in html_part(part)]
        if kind == "footnote_block":
            for child in node.children:
                label = self.number(("md", child.meta.get("id")))
                self.notes[label] = Footnote(label, self.blocks(child.children))
        return []

    def table(self, node: Node) -> Table:
        header: tuple[tuple[Inline, ...], ...] = ()
        rows: list[tuple[tuple[Inline, ...], ...]] = []
        for section in node.children:
            for row in section.children:
                cells = tuple(self.inline_children(cell.children) for cell in row.children)
                if section.type == "thead":
                    header = cells
                else:
                    rows.append(cells)
        return Table(header, tuple(rows))

    # -- inlines -----------------------------------------------------------------------

    def inline_children(self, nodes: list[Node]) -> tuple[Inline, ...]:
        inlines: list[Inline] = []
        for child in nodes:
            if child.type == "inline":
                inlines.extend(self.inlines(child.children))
        return tuple(inlines)

    def inlines(self, nodes: list[Node]) -> list[Inline]:
        result: list[Inline] = []
        index = 0
        while index < len(nodes):
            node = nodes[index]
            if node.type == "html_inline":
                index = self.html_inline(nodes, index, result)
                continue
            result.extend(self.inline(node))
            index += 1
        return without_citations(result) if CITATION in result else result

    def inline(self, node: Node) -> list[Inline]:
        kind = node.type
        if kind == "text":
            return [Text(node.content)] if node.content else []
        if kind in ("softbreak", "hardbreak"):
            return [LineBreak(hard=kind == "hardbreak")]
        if kind == "code_inline":
            return [Code(node.content)]
        if kind in ("math_inline", "math_inline_double"):
            tex = " ".join(node.content.split())
            return [Math(tex, display=kind == "math_inline_double")] if tex else []
        if kind == "em":
            return [Emph(tuple(self.inlines(node.children)))]
        if kind == "strong":
            return [Strong(tuple(self.inlines(node.children)))]
        if kind == "s":
            return [Strike(tuple(self.inlines(node.children)))]
        if kind == "link":
            return [Link(str(node.attrs.get("href", "")), tuple(self.inlines(node.children)))]
        if kind == "image":
            alt = " ".join(_plain(node).split())
            return [Image(str(node.attrs.get("src", "")), alt)]
        if kind == "footnote_ref":
            return [FootnoteRef(self.number(("md", node.meta.get("id"))))]
        return self.inlines(node.children)

    def html_inline(self, nodes: list[Node], index: int, out: list[Inline]) -> int:
        """Consume one inline HTML tag (with its content, for paired elements)."""
        return inline_tag(
            nodes, index, out, self, lambda start, end: self.inlines(nodes[start:end])
        )


def _plain(node: Node) -> str:
    if node.type in ("text", "code_inline", "math_inline", "math_inline_double"):
        return node.content
    return "".join(_plain(child) for child in node.children)
