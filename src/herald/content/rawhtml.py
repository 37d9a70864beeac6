"""Raw HTML inside Markdown, reduced to what a chat reader can use: its text and its images.

No surface Herald writes on renders arbitrary HTML, so tags go and their text stays;
entities are decoded exactly once; scripts, styles and distill citations vanish with
their content; `<img>` survives as an image so the adapters can still send it, and an
embedded player as a link to what it shows (`herald.content.embeds`).  Inline, a tag only
counts as HTML when it is paired (or void, or a custom element): ML notes are full of
`<s>`, `<pad>` and `<video>` tokens that are words, not markup.  Tags that words never
look like are markup even unpaired, as kramdown and browsers read them: a self-closed
`<a name="x" />`, a start tag with attributes (`<font color="red">` left open).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from herald.content.document import Image, Inline, Link, Text
from herald.content.embeds import MEDIA, media_link
from herald.content.markdown_tokens import Node

ELEMENTS = frozenset(
    """a abbr address area article aside audio b bdi bdo blockquote body br button canvas
    caption center cite code col colgroup data dd del details dfn dialog div dl dt em embed
    fieldset figcaption figure font footer form h1 h2 h3 h4 h5 h6 head header hr html i
    iframe img input ins kbd label legend li link main map mark math meta meter nav noscript
    object ol optgroup option output p param picture pre progress q rp rt ruby s samp script
    section select small source span strike strong style sub summary sup svg table tbody td
    template textarea tfoot th thead time title tr track tt u ul var video wbr""".split()
)
"""HTML's own element names: a `<T>` or `<String>` outside this list is text, not markup."""

SILENT = frozenset(
    {"script", "style", "iframe", "noscript", "template", "d-cite", "d-bibliography"}
)
"""Elements whose content is never prose (code to run, styling, embeds, citation keys)."""

VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
PRESENTATIONAL = frozenset(
    "font span center small big u b i em strong mark sup sub div p tt strike".split()
)
"""Elements whose stray end tag (`</font>` with its start tag lost) is markup, not text."""
_WITH_ATTRIBUTES = re.compile(r"<[A-Za-z][A-Za-z0-9-]*\s+[A-Za-z_:][^>]*>", re.S)
_BREAKS = frozenset(
    """p div br li tr h1 h2 h3 h4 h5 h6 figure figcaption details summary blockquote table
    pre ul ol dl dt dd hr section article aside header footer""".split()
)
_AROUND = {
    **{tag: ("\n", "\n") for tag in _BREAKS},
    "td": (" ", " "),
    "th": (" ", " "),
    "d-footnote": (" (", ")"),
}
"""What an element's start and end tags become in text: line breaks for blocks, a space
between table cells, parentheses around a distill footnote."""
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")


def is_element(name: str) -> bool:
    """True for real HTML and custom elements (`d-footnote`), false for `<T>` in prose."""
    name = name.lower()
    return name in ELEMENTS or "-" in name


def tag_of(markup: str) -> tuple[str, bool] | None:
    """`(name, closing)` of an inline tag such as `</a>`; None for comments and the like."""
    match = _TAG.match(markup)
    return (match.group(2).lower(), bool(match.group(1))) if match else None


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found = {name: value or "" for name, value in attrs}

    handle_startendtag = handle_starttag


def attributes(markup: str) -> dict[str, str]:
    """The attributes of one start tag, entities decoded."""
    parser = _Attributes()
    parser.feed(markup)
    parser.close()
    return parser.found


def image_of(attrs: dict[str, str]) -> Image | None:
    """The image an `<img>` tag shows, if it names a source."""
    src = attrs.get("src", "")
    return Image(src, " ".join(attrs.get("alt", "").split())) if src else None


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str | Image | Link] = []
        self.silent: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        link = None
        if tag in MEDIA and not self.silent and not _hidden(attrs):
            link = media_link({name: value or "" for name, value in attrs})
            if link is not None and link not in self.parts:  # `<video src>` + `<source>`
                self.parts.append(link)
        if self.silent or tag in SILENT or _hidden(attrs):
            if tag not in VOID:
                self.silent.append(tag)
        elif tag == "img":
            image = image_of({name: value or "" for name, value in attrs})
            if image is not None:
                self.parts.append(image)
        elif tag in _AROUND:
            self.parts.append(_AROUND[tag][0])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.silent and tag not in SILENT:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if self.silent:
            if tag in self.silent:
                del self.silent[len(self.silent) - 1 - self.silent[::-1].index(tag) :]
            return
        if tag in _AROUND:
            self.parts.append(_AROUND[tag][1])

    def handle_data(self, data: str) -> None:
        if not self.silent:
            self.parts.append(data)


def _hidden(attrs: list[tuple[str, str | None]]) -> bool:
    """`hidden`, or `style="display: none"`: content the page itself never shows."""
    values = dict(attrs)
    style = (values.get("style") or "").replace(" ", "").lower()
    return "hidden" in values or "display:none" in style


def html_content(markup: str) -> list[str | Image | Link]:
    """An HTML fragment as text paragraphs, images and player links, in order; blank
    text is left out.

    Lines are whitespace-collapsed (HTML does the same when it renders); a `<d-footnote>`
    inside raw HTML stays in place, in parentheses, since there is no Markdown to anchor
    a real footnote to.
    """
    reader = _Reader()
    reader.feed(markup)
    reader.close()
    content: list[str | Image | Link] = []
    text: list[str] = []

    def flush() -> None:
        lines = (" ".join(line.split()) for line in "".join(text).splitlines())
        joined = "\n".join(line for line in lines if line)
        if joined:
            content.append(joined)
        text.clear()

    for part in reader.parts:
        if not isinstance(part, str):
            flush()
            content.append(part)
        else:
            text.append(part)
    flush()
    return content


CITATION = Text("\x00citation")
"""Where a `<d-cite>` stood, until `without_citations` tidies the text around it."""
_SEPARATOR = frozenset(" ,;")


def without_citations(inlines: list[Inline]) -> list[Inline]:
    """Drop citation marks with the space before them and the `, ` between them, so
    `productivity <d-cite>, <d-cite>.` reads `productivity.`, not `productivity , .`"""
    out: list[Inline] = []
    after_citation = False
    for index, node in enumerate(inlines):
        if node is CITATION:
            following = inlines[index + 1] if index + 1 < len(inlines) else None
            word_follows = isinstance(following, Text) and following.text[:1].isalnum()
            previous = out[-1] if out else None
            if isinstance(previous, Text) and not word_follows:
                kept = previous.text.rstrip()
                if after_citation and set(kept) <= _SEPARATOR:
                    kept = ""
                if kept != previous.text:
                    out.pop()
                    out.extend([Text(kept)] if kept else [])
            after_citation = True
            continue
        out.append(node)
        if not (isinstance(node, Text) and set(node.text) <= _SEPARATOR):
            after_citation = False
    return out


def is_markup(nodes: list[Node], index: int, name: str, closing: bool) -> bool:
    """Whether an inline `<name>` is HTML rather than prose that looks like it.

    Custom elements (`d-cite`) and void ones (`br`, `img`) always are; `<s>` never is (in
    ML notes it is the sentence-start token, and Markdown has `~~`); any other element
    only when its partner tag is there too, so a lone `<video>` token in a
    multimodal note stays text.
    """
    if "-" in name or name in VOID:
        return True
    if not is_element(name) or name == "s":
        return False
    partner = _partner(nodes, index, name, -1 if closing else 1)
    return partner is not None


def looks_like_markup(markup: str, name: str, closing: bool) -> bool:
    """An unpaired inline tag that is markup all the same, so it goes (its text stays).

    Tokens in prose never carry attributes and are never self-closed, which is what
    keeps `<s>`, `<pad>` and a lone `<video>` words: `<a name="x" />`, `<font
    color="red">` and `<span style="…">` are markup; so is a stray end tag of a
    presentational element (`</font>`, `</span>`), but never `</s>`, the ML
    end-of-sequence token.
    """
    if name not in ELEMENTS or name == "s":
        return False
    if closing:
        return name in PRESENTATIONAL
    return markup.rstrip().endswith("/>") or _WITH_ATTRIBUTES.match(markup) is not None


def closing_tag(nodes: list[Node], start: int, name: str) -> int | None:
    """Index of the sibling closing tag that matches the element opened at `start`."""
    return _partner(nodes, start, name, 1)


def _partner(nodes: list[Node], start: int, name: str, step: int) -> int | None:
    """The sibling tag that pairs with the one at `start`, searching in direction `step`."""
    depth = 0
    stop = len(nodes) if step > 0 else -1
    for index in range(start + step, stop, step):
        if nodes[index].type != "html_inline":
            continue
        tag = tag_of(nodes[index].content)
        if tag is None or tag[0] != name:
            continue
        if tag[1] == (step < 0):  # another tag of the same kind as the one at `start`
            depth += 1
        elif depth == 0:
            return index
        else:
            depth -= 1
    return None
