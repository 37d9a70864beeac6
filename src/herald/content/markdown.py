"""Markdown → Document, once per post, with markdown-it-py and mdit-py-plugins.

CommonMark plus tables, strikethrough, footnotes and `$…$` / `$$…$$` math (also `$$…$$`
used inline, as many blogs do).  Jekyll's Liquid tags are resolved first, since real posts
carry them: `{% highlight %}` becomes a fenced block, `{% include figure… path=… %}` an
image, anything else disappears rather than leaking into a card.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin

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

_PARSER = (
    MarkdownIt("commonmark")
    .enable(["table", "strikethrough"])
    .use(dollarmath_plugin, double_inline=True, allow_digits=False)
    .use(footnote_plugin)
)

_HIGHLIGHT = re.compile(
    r"\{%-?\s*highlight\s+(\w[\w+-]*)[^%]*-?%\}\n?(.*?)\{%-?\s*endhighlight\s*-?%\}", re.S
)
_FIGURE = re.compile(r"^[ \t]*\{%-?\s*include\s+figure\.\w+\s+([^%]*)-?%\}[ \t]*$", re.M)
_ATTRIBUTE = re.compile(r"(\w+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_LIQUID_LINE = re.compile(r"^[ \t]*\{%.*?%\}[ \t]*$\n?", re.M)
_LIQUID = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S)
_DROPPED_ELEMENTS = re.compile(
    r"<(script|style|iframe|d-cite|d-bibliography|d-article)\b[^>]*>.*?</\1\s*>|<!--.*?-->",
    re.S | re.I,
)


_LANGUAGE = re.compile(r"[^\w+#.-]")
_TAG_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)")
_HTML_ELEMENTS = frozenset(
    (
        "a abbr address area article aside audio b bdi bdo blockquote body br button canvas "
        "caption center cite code col colgroup data dd del details dfn dialog div dl dt em "
        "embed fieldset figcaption figure font footer form h1 h2 h3 h4 h5 h6 head header hr "
        "html i iframe img input ins kbd label legend li link main map mark math meta meter nav "
        "noscript object ol optgroup option output p param picture pre progress q rp rt ruby s "
        "samp script section select small source span strike strong style sub summary sup svg "
        "table tbody td template textarea tfoot th thead time title tr track tt u ul var video "
        "wbr "
    ).split()
)


def parse_markdown(text: str) -> Document:
    tree = SyntaxTreeNode(_PARSER.parse(_resolve_liquid(_DROPPED_ELEMENTS.sub("", text))))
    return Document(_blocks(tree.children))


def _resolve_liquid(text: str) -> str:
    if "{%" not in text and "{{" not in text:
        return text
    text = _HIGHLIGHT.sub(lambda m: f"\n```{m[1]}\n{m[2].rstrip()}\n```\n", text)

    def figure(match: re.Match[str]) -> str:
        attributes = {
            m[1]: m[2] if m[2] is not None else m[3] for m in _ATTRIBUTE.finditer(match[1])
        }
        path = attributes.get("path") or attributes.get("url")
        if not path:
            return ""
        alt = (attributes.get("caption") or attributes.get("alt") or "").replace("]", ")")
        return f"\n![{alt}]({path.replace(' ', '%20')})\n"

    text = _FIGURE.sub(figure, text)
    text = _LIQUID_LINE.sub("", text)
    return _LIQUID.sub("", text)


def _blocks(nodes: list[SyntaxTreeNode]) -> tuple[Block, ...]:
    blocks: list[Block] = []
    for node in nodes:
        block = _block(node)
        if block is not None:
            blocks.append(block)
    return tuple(blocks)


def _block(node: SyntaxTreeNode) -> Block | None:
    kind = node.type
    if kind == "paragraph":
        inlines = _inline_children(node)
        return Paragraph(inlines) if inlines else None
    if kind == "heading":
        return Heading(int(node.tag[1:]), _inline_children(node))
    if kind in ("fence", "code_block"):
        words = (node.info or "").split()
        lang = _LANGUAGE.sub("", words[0])[:30] if words else ""
        return CodeBlock(lang, node.content.rstrip("\n"))
    if kind in ("math_block", "math_block_label"):
        return MathBlock(node.content.strip())
    if kind in ("bullet_list", "ordered_list"):
        start = int(node.attrs.get("start", 1)) if kind == "ordered_list" else 1
        items = tuple(_blocks(item.children) for item in node.children)
        return ListBlock(kind == "ordered_list", start, items)
    if kind == "blockquote":
        return Quote(_blocks(node.children))
    if kind == "table":
        return _table(node)
    if kind == "hr":
        return Rule()
    if kind == "html_block":
        text = html_to_text(node.content)
        return HtmlBlock(text) if text.strip() else None
    if kind == "footnote_block":
        notes = [
            Footnote(str(child.meta.get("label", "")), _blocks(child.children))
            for child in node.children
        ]
        return ListBlock(False, 1, tuple((note,) for note in notes)) if notes else None
    return None


def _table(node: SyntaxTreeNode) -> Table:
    header: tuple[tuple[Inline, ...], ...] = ()
    rows: list[tuple[tuple[Inline, ...], ...]] = []
    for section in node.children:
        for row in section.children:
            cells = tuple(_inline_children(cell) for cell in row.children)
            if section.type == "thead":
                header = cells
            else:
                rows.append(cells)
    return Table(header, tuple(rows))


def _inline_children(node: SyntaxTreeNode) -> tuple[Inline, ...]:
    inlines: list[Inline] = []
    for child in node.children:
        if child.type == "inline":
            inlines.extend(_inlines(child.children))
    return tuple(inlines)


def _inlines(nodes: list[SyntaxTreeNode]) -> list[Inline]:
    result: list[Inline] = []
    for node in nodes:
        kind = node.type
        if kind == "text":
            result.append(Text(node.content))
        elif kind == "softbreak":
            result.append(LineBreak(hard=False))
        elif kind == "hardbreak":
            result.append(LineBreak(hard=True))
        elif kind == "code_inline":
            result.append(Code(node.content))
        elif kind in ("math_inline", "math_inline_double"):
            result.append(Math(node.content.strip()))
        elif kind == "em":
            result.append(Emph(tuple(_inlines(node.children))))
        elif kind == "strong":
            result.append(Strong(tuple(_inlines(node.children))))
        elif kind == "s":
            result.append(Strike(tuple(_inlines(node.children))))
        elif kind == "link":
            result.append(Link(str(node.attrs.get("href", "")), tuple(_inlines(node.children))))
        elif kind == "image":
            alt = "".join(_plain(child) for child in node.children)
            result.append(Image(str(node.attrs.get("src", "")), alt))
        elif kind == "footnote_ref":
            result.append(FootnoteRef(str(node.meta.get("label", ""))))
        elif kind == "html_inline":
            name = _TAG_NAME.match(node.content)
            tag = name.group(1).lower() if name else ""
            if tag == "br":
                result.append(LineBreak(hard=True))
            elif not (tag in _HTML_ELEMENTS or "-" in tag or node.content.startswith("<!--")):
                result.append(Text(node.content))  # `List<int>`: the author meant the text
        elif node.children:
            result.extend(_inlines(node.children))
    return result


def _plain(node: SyntaxTreeNode) -> str:
    if node.type in ("text", "code_inline"):
        return node.content
    return "".join(_plain(child) for child in node.children)


class _TextOfHtml(HTMLParser):
    _BREAKS = frozenset(
        {
            "p",
            "div",
            "br",
            "li",
            "tr",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "figure",
            "figcaption",
            "details",
            "summary",
            "blockquote",
            "table",
        }
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._BREAKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Readable text of an HTML fragment; tags go, entities are decoded, text stays."""
    parser = _TextOfHtml()
    parser.feed(markup)
    parser.close()
    text = html.unescape("".join(parser.parts))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line)
