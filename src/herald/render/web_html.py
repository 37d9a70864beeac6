"""Document → the HTML5 body of a web reader page.  A pure function, like `telegram_html`.

Every `Text` is escaped, so nothing a post contains ever becomes markup: raw HTML was
already reduced to its text by the Document model, and the only markup not written here
comes from math-core (MathML) and Pygments (spans), which both escape what they copy.
Links keep only http(s), mailto and relative targets; images are shown only when they are
files of the content folder (`image_urls`, resolved by the caller through
`herald.core.media`), remote ones become links, so a page makes no request elsewhere.

Headings move down one level (the title is the page's only `<h1>`).  Tables, code and
display math sit in a `.scroll` box, so a wide one scrolls inside it and never widens the
page; list items always hold block content, because scrolling an `<li>` clips its bullet.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

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
from herald.render.web_code import highlighted, lexer_for
from herald.render.web_math import MathWriter, style_hashes

_FOLLOWABLE = ("http", "https", "mailto")
_EXTERNAL_REL = ' rel="noopener noreferrer nofollow"'


def esc(text: str) -> str:
    return html.escape(text, quote=False)


def attr(text: str) -> str:
    return html.escape(text, quote=True)


def safe_href(href: str) -> str | None:
    """The target if a reader may follow it (http(s), mailto, relative); else None."""
    href = href.strip()
    if not href or any(ord(char) < 32 for char in href):
        return None
    parts = urlsplit(href)
    if parts.scheme:
        return href if parts.scheme.lower() in _FOLLOWABLE else None
    if href.startswith("//"):  # protocol-relative: another host
        return "https:" + href
    return href


@dataclass(frozen=True, slots=True)
class WebBody:
    html: str
    style_hashes: tuple[str, ...]
    """CSP sources for the inline styles its math needs (none: empty)."""
    math_failures: int = 0


class _Writer:
    def __init__(self, image_urls: Mapping[str, str]) -> None:
        self.math = MathWriter()
        self.image_urls = image_urls
        self.out: list[str] = []

    def inlines(self, nodes: Iterable[Inline], *, in_link: bool = False) -> None:
        write = self.out.append
        for node in nodes:
            if isinstance(node, Text):
                write(esc(node.text))
            elif isinstance(node, Code):
                write(f"<code>{esc(node.text)}</code>")
            elif isinstance(node, Math):  # `$$…$$` mid-sentence is still inline
                write(self.math.mathml(node.tex, display=False))
            elif isinstance(node, Emph | Strong | Strike):
                tag = {Emph: "em", Strong: "strong", Strike: "s"}[type(node)]
                write(f"<{tag}>")
                self.inlines(node.children, in_link=in_link)
                write(f"</{tag}>")
            elif isinstance(node, Link):
                self.link(node, in_link=in_link)
            elif isinstance(node, Image):
                self.image(node, in_link=in_link)
            elif isinstance(node, LineBreak):
                write("<br>" if node.hard else "\n")
            elif isinstance(node, FootnoteRef):
                label = attr(node.label)
                write(
                    f'<sup class="fnref" id="fnref-{label}">'
                    f'<a href="#fn-{label}">{esc(node.label)}</a></sup>'
                )

    def link(self, node: Link, *, in_link: bool) -> None:
        href = None if in_link else safe_href(node.href)
        if href is not None:
            external = urlsplit(href).scheme in ("http", "https")
            self.out.append(f'<a href="{attr(href)}"{_EXTERNAL_REL if external else ""}>')
        if node.children:  # not followable (or nested): its text only
            self.inlines(node.children, in_link=in_link or href is not None)
        else:
            self.out.append(esc(node.href))
        if href is not None:
            self.out.append("</a>")

    def image(self, image: Image, *, in_link: bool) -> None:
        local = self.image_urls.get(image.src)
        label = f"🖼 {esc(image.alt or 'image')}"
        if local is not None:
            self.out.append(
                f'<img src="{attr(local)}" alt="{attr(image.alt)}" loading="lazy" decoding="async">'
            )
        elif not in_link and (href := safe_href(image.src)):
            self.out.append(f'<a href="{attr(href)}"{_EXTERNAL_REL}>{label}</a>')
        else:
            self.out.append(label)

    def blocks(self, blocks: Iterable[Block]) -> None:
        for block in blocks:
            self.block(block)

    def block(self, block: Block) -> None:
        write = self.out.append
        if isinstance(block, Heading):
            level = min(6, block.level + 1)
            write(f"<h{level}>")
            self.inlines(block.children)
            write(f"</h{level}>\n")
        elif isinstance(block, Paragraph):
            write("<p>")
            self.inlines(block.children)
            write("</p>\n")
        elif isinstance(block, CodeBlock):
            self.code(block)
        elif isinstance(block, MathBlock):
            write('<div class="math-display scroll">')
            write(self.math.mathml(block.tex, display=True))
            write("</div>\n")
        elif isinstance(block, ListBlock):
            start = f' start="{block.start}"' if block.ordered and block.start != 1 else ""
            tag = "ol" if block.ordered else "ul"
            write(f"<{tag}{start}>")
            for item in block.items:
                write("<li>")
                self.blocks(item)
                write("</li>")
            write(f"</{tag}>\n")
        elif isinstance(block, Quote):
            write("<blockquote>")
            self.blocks(block.children)
            write("</blockquote>\n")
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, Rule):
            write("<hr>\n")
        elif isinstance(block, HtmlBlock):  # already only text: nothing raw reaches the page
            write(f'<p class="html-text">{esc(block.text)}</p>\n')
        elif isinstance(block, Footnotes):
            write('<section class="footnotes"><hr><ol>')
            for note in block.notes:
                label = attr(note.label)
                write(f'<li id="fn-{label}">')
                self.blocks(note.children)
                write(f'<p class="back"><a href="#fnref-{label}">↩</a></p></li>')
            write("</ol></section>\n")

    def code(self, block: CodeBlock) -> None:
        lexer = lexer_for(block.lang)
        language = f' class="language-{attr(block.lang)}"' if block.lang else ""
        body = highlighted(block.code, lexer) if lexer is not None else esc(block.code)
        style = "hl" if lexer is not None else "plain"
        self.out.append(
            f'<div class="scroll" tabindex="0" role="region" aria-label="code">'
            f'<pre class="{style}"><code{language}>{body}</code></pre></div>\n'
        )

    def table(self, block: Table) -> None:
        write = self.out.append
        write('<div class="scroll" tabindex="0" role="region" aria-label="table"><table>')
        if block.header:
            write("<thead><tr>")
            for cell in block.header:
                write("<th>")
                self.inlines(cell)
                write("</th>")
            write("</tr></thead>")
        write("<tbody>")
        for row in block.rows:
            write("<tr>")
            for cell in row:
                write("<td>")
                self.inlines(cell)
                write("</td>")
            write("</tr>")
        write("</tbody></table></div>\n")


def web_body(doc: Document, *, image_urls: Mapping[str, str] | None = None) -> WebBody:
    """The article body as HTML; `image_urls` maps an image's `src` to where the reader
    serves that file (only images found inside the content folder are in it)."""
    writer = _Writer(image_urls or {})
    writer.blocks(doc.blocks)
    return WebBody("".join(writer.out), style_hashes(writer.math.styles), writer.math.failures)
