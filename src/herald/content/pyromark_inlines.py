"""Pass 2 of the pyromark front end, its inline half: a node's children → Document inlines.

What markdown-it and its plugins make of inline content, on top of pulldown-cmark's
events (`herald.content.pyromark_document` has the whole list and the block half): raw
HTML resolved among its siblings as `herald.content.rawhtml` reads it, elements
markdown-it reads as text spliced back (`~x~`, a `[^ref]`, an unsafe link), footnote
references numbered in order of first reference, and `^[inline footnotes]` read back
from the text.
"""

from __future__ import annotations

from markdown_it.common.normalize_url import normalizeLinkText

from herald.content.document import (
    Code,
    Emph,
    Footnote,
    FootnoteRef,
    Image,
    Inline,
    Link,
    Strike,
    Strong,
    Text,
)
from herald.content.markdown_common import inline_tag
from herald.content.pyromark_math import MathSpan
from herald.content.pyromark_nodes import (
    NOT_HTML,
    SOFT,
    NoteRef,
    RawHtml,
    TreeNode,
)
from herald.content.pyromark_tree import (
    is_safe_link,
    math_source,
    normalize_link,
    restore,
)
from herald.content.rawhtml import (
    CITATION,
    without_citations,
)


class InlineConverter:
    """One parse's state: footnote numbers in order of first reference, whatever their
    syntax, and the footnote bodies collected for the end of the document."""

    def __init__(self, spans: list[MathSpan]) -> None:
        self.spans = spans
        self.numbers: dict[object, str] = {}
        self.notes: dict[str, Footnote] = {}
        self.definitions: dict[str, TreeNode] = {}
        self.inline_notes: list[tuple[object, list[Inline]]] = []

    def number(self, key: object) -> str:
        return self.numbers.setdefault(key, str(len(self.numbers) + 1))

    def inlines(self, node: TreeNode, *, strip: bool = False) -> list[Inline]:
        """A node's children as Document inlines (stripped as markdown-it-py strips a
        paragraph's, heading's or cell's source)."""
        items = _stripped(node.children) if strip else node.children
        if node.simple:
            return items  # type: ignore[return-value]
        return self.walk(items, node.flat, node.notes)

    def walk(self, items: list[object], flat: bool, notes: bool) -> list[Inline]:
        """Inline leaves and nodes as Document inlines, raw HTML resolved among siblings.

        `flat`: some items are elements markdown-it reads as text; they are spliced into
        this level first, as markdown-it's tokens would stand.
        """
        if flat:
            items = self.flatten(items)
        result: list[Inline] = []
        siblings: list[object] | None = None  # what rawhtml's helpers see of `items`
        index = 0
        while index < len(items):
            item = items[index]
            cls = item.__class__
            index += 1
            if cls is TreeNode:
                self.element(item, result)  # type: ignore[arg-type]
            elif cls is RawHtml:
                if siblings is None:
                    siblings = [it if it.__class__ is RawHtml else NOT_HTML for it in items]
                index = self.html_inline(items, siblings, index - 1, result)
            elif cls is NoteRef:
                result.append(FootnoteRef(self.number(("md", item.label))))  # type: ignore[attr-defined]
            else:
                result.append(item)  # type: ignore[arg-type]
        if notes:
            result = self.inline_footnotes(result)
        if siblings is not None and any(node is CITATION for node in result):
            result = without_citations(result)
        return result

    def element(self, node: TreeNode, out: list[Inline]) -> None:
        """One inline element (emphasis, a link, an image…) appended to `out`."""
        kind = node.kind
        if kind == "Emphasis":
            out.append(Emph(tuple(self.inlines(node))))
        elif kind == "Strong":
            out.append(Strong(tuple(self.inlines(node))))
        elif kind == "Strikethrough":
            out.append(Strike(tuple(self.inlines(node))))
        elif kind == "Link":
            data = node.data
            link_type = data["link_type"]  # type: ignore[index]
            url = restore(data["dest_url"], self.spans)  # type: ignore[index]
            href = normalize_link("mailto:" + url if link_type == "Email" else url)
            if link_type == "Autolink" or link_type == "Email":
                out.append(Link(href, (Text(normalizeLinkText(url)),)))
            else:
                out.append(Link(href, tuple(self.inlines(node))))
        elif kind == "Image":
            src = normalize_link(restore(node.data["dest_url"], self.spans))  # type: ignore[index]
            alt = " ".join(self.plain(node.children).split())
            out.append(Image(src, alt))
        else:
            out.extend(self.inlines(node))

    def flatten(self, items: list[object]) -> list[object]:
        """Items with what markdown-it reads as text spliced in as text, texts joined.

        pulldown-cmark's `~x~` (markdown-it: text), a `[^ref]` whose definition differs in
        case (markdown-it matches labels exactly) and a link markdown-it refuses
        (`javascript:`) become the text and inline content markdown-it has there.
        """
        out: list[object] = []
        for item in items:
            cls = item.__class__
            if cls is TreeNode:
                kind = item.kind  # type: ignore[attr-defined]
                data = item.data  # type: ignore[attr-defined]
                if kind == "Subscript":
                    out.extend([Text("~"), *self.flatten(item.children), Text("~")])  # type: ignore[attr-defined]
                    continue
                if (kind == "Link" or kind == "Image") and not is_safe_link(data["dest_url"]):
                    if data["link_type"] in ("Autolink", "Email"):
                        out.append(Text(f"<{data['dest_url']}>"))
                    else:
                        opener = "[" if kind == "Link" else "!["
                        inner = self.flatten(item.children)  # type: ignore[attr-defined]
                        inner = [Text(it) if it.__class__ is str else it for it in inner]  # type: ignore[arg-type]
                        out.extend([Text(opener), *inner, Text(f"]({data['dest_url']})")])
                    continue
            elif cls is NoteRef and item.label not in self.definitions:  # type: ignore[attr-defined]
                out.append(Text(f"[^{item.label}]"))  # type: ignore[attr-defined]
                continue
            out.append(item)
        joined: list[object] = []
        for item in out:
            if item.__class__ is Text and joined and joined[-1].__class__ is Text:
                joined[-1] = Text(joined[-1].text + item.text)  # type: ignore[attr-defined]
            elif item.__class__ is not Text or item.text:  # type: ignore[attr-defined]
                joined.append(item)
        return joined

    def plain(self, items: list[object]) -> str:
        """An image's alt text as markdown-it's `_plain` reads it: text, code, math source."""
        parts: list[str] = []
        for item in items:
            cls = item.__class__
            if cls is str:
                parts.append(math_source(item, self.spans))  # type: ignore[arg-type]
            elif cls is Code:
                parts.append(item.text)  # type: ignore[attr-defined]
            elif cls is TreeNode:
                inner = self.plain(item.children)  # type: ignore[attr-defined]
                parts.append(f"~{inner}~" if item.kind == "Subscript" else inner)  # type: ignore[attr-defined]
            elif cls is NoteRef and item.label not in self.definitions:  # type: ignore[attr-defined]
                parts.append(f"[^{item.label}]")  # type: ignore[attr-defined]
        return "".join(parts)

    def html_inline(
        self, items: list[object], siblings: list[object], index: int, out: list[Inline]
    ) -> int:
        """Consume one inline HTML tag (with its content, for paired elements), as the
        markdown-it front end does (`herald.content.markdown_common.inline_tag`)."""
        return inline_tag(
            siblings, index, out, self, lambda start, end: self.walk(items[start:end], False, False)
        )

    def inline_footnotes(self, inlines: list[Inline]) -> list[Inline]:
        """markdown-it-footnote's `^[note]`, which pulldown-cmark leaves as text."""
        out: list[Inline] = []
        index = 0
        while index < len(inlines):
            node = inlines[index]
            found = _inline_note(inlines, index) if node.__class__ is Text else None
            if found is None:
                out.append(node)
                index += 1
                continue
            opening, end_index, end_offset = found
            text = node.text  # type: ignore[union-attr]
            if opening:
                out.append(Text(text[:opening]))
            if end_index == index:
                body: list[Inline] = [Text(text[opening + 2 : end_offset])]
            else:
                body = [Text(text[opening + 2 :]), *inlines[index + 1 : end_index]]
                body.append(Text(inlines[end_index].text[:end_offset]))  # type: ignore[union-attr]
            key = object()
            self.inline_notes.append((key, [b for b in body if b != Text("")]))
            out.append(FootnoteRef(self.number(key)))
            rest = inlines[end_index].text[end_offset + 1 :]  # type: ignore[union-attr]
            inlines = [Text(rest), *inlines[end_index + 1 :]] if rest else inlines[end_index + 1 :]
            index = 0
        return out


def _inline_note(inlines: list[Inline], index: int) -> tuple[int, int, int] | None:
    """The first `^[…]` starting in text `inlines[index]`: (offset, end index, end offset)."""
    text = inlines[index].text  # type: ignore[union-attr]
    opening = text.find("^[")
    while opening != -1:
        found = _label_end(inlines, index, opening + 2)
        if found is not None:
            return opening, *found
        opening = text.find("^[", opening + 1)
    return None


def _label_end(inlines: list[Inline], index: int, offset: int) -> tuple[int, int] | None:
    """Where the `]` closing a `^[` lies: (index of the Text, offset in it), or None."""
    depth = 0
    position = offset
    while index < len(inlines):
        node = inlines[index]
        if node.__class__ is Text:
            text = node.text  # type: ignore[union-attr]
            while position < len(text):
                char = text[position]
                if char == "[":
                    depth += 1
                elif char == "]":
                    if depth == 0:
                        return index, position
                    depth -= 1
                position += 1
        index += 1
        position = 0
    return None


def _stripped(items: list[object]) -> list[object]:
    """Inline content with whitespace stripped at both ends as `str.strip()` strips a
    paragraph's, heading's or cell's source in markdown-it-py (pulldown-cmark strips only
    spaces and tabs, so a trailing NBSP or a leading U+3000 indent survives there)."""
    if not items:
        return items
    first, last = items[0], items[-1]
    if not (
        (first.__class__ is Text and first.text[:1].isspace())  # type: ignore[attr-defined]
        or (last.__class__ is Text and last.text[-1:].isspace())  # type: ignore[attr-defined]
    ):
        return items
    items = list(items)
    while items and (items[0].__class__ is Text or items[0] is SOFT):
        head = items[0].text.lstrip() if items[0] is not SOFT else ""  # type: ignore[attr-defined,union-attr]
        if head:
            items[0] = Text(head)
            break
        del items[0]
    while items and (items[-1].__class__ is Text or items[-1] is SOFT):
        tail = items[-1].text.rstrip() if items[-1] is not SOFT else ""  # type: ignore[attr-defined,union-attr]
        if tail:
            items[-1] = Text(tail)
            break
        del items[-1]
    return items
