"""Pass 1 of the pyromark front end: pulldown-cmark's events → a light tree.

The tree's leaves are Document inlines already (`Text`, `Code`, `Math`, `LineBreak`), so a
plain paragraph costs one tuple in pass 2 (`herald.content.pyromark_document`); only
elements, raw HTML and footnote references wait for pass 2, which reads them in order so
every footnote number is given in reading order, as the markdown-it front end gives it.

With math found by markdown-it's rules beforehand (`herald.content.pyromark_math`), its
placeholders become `Math` here; on the fast path pulldown-cmark's own math events are
accepted only if each one is the next span markdown-it would have found (else `None`,
and the caller takes the exact path).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Final

import pyromark
from markdown_it.common.normalize_url import normalizeLink, validateLink

from herald.content.document import Code, Math, Rule, Text
from herald.content.pyromark_math import (
    BLOCK,
    DOUBLE,
    INLINE,
    MAYBE_DIFFERENT,
    MAYBE_SAME,
    PLACEHOLDER,
    PLACEHOLDER_BASE,
    MathSpan,
)
from herald.content.pyromark_nodes import (
    HARD,
    SOFT,
    BlockMath,
    NoteRef,
    RawHtml,
    Tree,
    TreeNode,
)

_OPTIONS: Final = (
    pyromark.Options.ENABLE_TABLES
    | pyromark.Options.ENABLE_FOOTNOTES
    | pyromark.Options.ENABLE_STRIKETHROUGH
    | pyromark.Options.ENABLE_SUBSCRIPT  # so a single `~x~` is not strikethrough
)
PARSER: Final = pyromark.Markdown(options=_OPTIONS)
MATH_PARSER: Final = pyromark.Markdown(options=_OPTIONS | pyromark.Options.ENABLE_MATH)
_INLINE_TAGS: Final = frozenset(
    {"Emphasis", "Strong", "Strikethrough", "Subscript", "Link", "Image"}
)
_CONTAINERS: Final = frozenset({"Item", "FootnoteDefinition", "BlockQuote", "root"})
"""Blocks whose bare inline content (a tight list item's text) is an implicit paragraph."""
_PARAGRAPHS: Final = frozenset({"Paragraph", "implicit"})

# -- pass 1: events → tree ----------------------------------------------------------------


def build_tree(
    events: Iterable[object],
    spans: list[MathSpan],
    expected: list[tuple[int, str, int]] | None = None,
) -> Tree | None:
    """Pass 1.  With `expected` (math events on), each math event must be the next
    expected span, or the answer is None: pulldown-cmark and markdown-it disagree."""
    tree = Tree()
    math = 0  # the next expected span
    root = TreeNode("root", None)
    stack = [root]
    top = root
    container = True  # `top` is a block container: inline content opens an implicit paragraph
    images = 0  # inside an image, texts stay strings: its alt is read as markdown-it reads it
    for event in events:
        if event.__class__ is str:
            if event == "Rule":
                if top.kind == "implicit":
                    stack.pop()
                    top = stack[-1]
                top.children.append(Rule())
                continue
            leaf: object = SOFT if event == "SoftBreak" else HARD
        else:
            for key in event:  # type: ignore[attr-defined]
                value = event[key]  # type: ignore[index]
            if key == "Text":
                if top.kind == "CodeBlock" or top.kind == "HtmlBlock":
                    top.children.append(value)  # placeholders restored in pass 2
                    continue
                if images:
                    top.simple = False
                    leaf = value
                elif spans and "$" in value:
                    if container:
                        top = _implicit(top, stack)
                        container = False
                    pieces = _expand(value, spans, top.kind in _PARAGRAPHS)
                    for piece in pieces:
                        cls = piece.__class__
                        if cls is BlockMath or (cls is Math and piece.display):  # type: ignore[attr-defined]
                            top.display = True
                            if cls is BlockMath:
                                top.simple = False
                    top.children.extend(pieces)
                    if "^[" in value:
                        top.notes = True
                        top.simple = False
                    continue
                else:
                    leaf = Text(value)
                    if "^[" in value:
                        top.notes = True
                        top.simple = False
            elif key == "Start":
                if value.__class__ is str:
                    kind, data = value, None
                else:
                    for kind in value:
                        data = value[kind]
                if kind in _INLINE_TAGS:
                    if container:
                        top = _implicit(top, stack)
                    top.simple = False
                    if kind == "Subscript" or (
                        kind != "Strong"
                        and kind != "Emphasis"
                        and kind != "Strikethrough"
                        and not is_safe_link(data["dest_url"])  # type: ignore[index]
                    ):
                        top.flat = True
                    if kind == "Image":
                        images += 1
                elif top.kind == "implicit":
                    stack.pop()
                    top = stack[-1]
                node = TreeNode(kind, data)
                if kind == "CodeBlock" and data.__class__ is dict:
                    tree.fences += 1
                if kind == "FootnoteDefinition":
                    tree.definitions[data] = node  # type: ignore[index]
                else:
                    top.children.append(node)
                stack.append(node)
                top = node
                container = kind in _CONTAINERS
                continue
            elif key == "End":
                if top.kind == "implicit":
                    if top.quirk and _quirky(top):
                        return None
                    stack.pop()
                node = stack.pop()
                if node.quirk and _quirky(node):
                    return None
                if node.kind == "Image":
                    images -= 1
                top = stack[-1]
                container = top.kind in _CONTAINERS
                continue
            elif key == "Code":
                leaf = Code(restore(value, spans) if spans else value)
            elif key == "InlineHtml":
                leaf = RawHtml(restore(value, spans) if spans else value)
                if container:
                    top = _implicit(top, stack)
                    container = False
                top.simple = False
            elif key == "Html":
                top.children.append(value)
                continue
            elif key == "FootnoteReference":
                tree.references.setdefault(value, None)
                leaf = NoteRef(value)
                if container:
                    top = _implicit(top, stack)
                    container = False
                top.simple = False
                top.flat = True
            elif key == "InlineMath" or key == "DisplayMath":
                if expected is None or math >= len(expected):
                    return None
                found_kind, tex, maybe = expected[math]
                math += 1
                if tex != value or (found_kind == INLINE) != (key == "InlineMath"):
                    return None
                if images:
                    leaf = value  # the alt text has the math's source
                    top.simple = False
                else:
                    first = container or not top.children
                    if found_kind == BLOCK or (maybe == MAYBE_SAME and first):
                        if not first:
                            return None
                        if container:
                            top = _implicit(top, stack)
                            container = False
                        if top.kind not in _PARAGRAPHS:
                            return None
                        leaf = BlockMath(value)
                        top.simple = False
                        top.display = True
                        top.quirk = True  # check what follows it, at the paragraph's end
                    elif maybe == MAYBE_DIFFERENT and first:
                        return None
                    else:
                        if container:
                            top = _implicit(top, stack)
                            container = False
                        if first and top.kind != "TableCell":
                            top.quirk = True  # markdown-it-py's `src[-1]`: check the end
                        tex = " ".join(value.split())
                        if not tex:
                            continue
                        leaf = Math(tex, display=found_kind == DOUBLE)
                        if found_kind == DOUBLE:
                            top.display = True
            else:  # TaskListMarker: not enabled
                continue
        if container:
            top = _implicit(top, stack)
            container = False
        top.children.append(leaf)
    if expected is not None and math != len(expected):
        return None  # markdown-it would see math that pulldown-cmark does not
    tree.nodes = root.children
    return tree


def _quirky(node: TreeNode) -> bool:
    """Whether pass 1's reading of a block that starts with math may not be markdown-it's.

    markdown-it-py's digit and escape checks before a first `$` read the block's last
    character (`src[-1]`): a digit or a backslash there is a doubt.  After a math block
    markdown-it starts a new block on the next line, where pulldown-cmark continues the
    paragraph: a line that could open a block of its own (`*`, `1.`, `---`, `|`…) is one.
    """
    children = node.children
    last = children[-1] if children else None
    if last.__class__ is Text:
        char = last.text.rstrip()[-1:]  # type: ignore[attr-defined]
        if char.isdigit() or char == "\\":
            return True
    for index, child in enumerate(children):
        if child.__class__ is BlockMath and index + 2 < len(children):
            after = children[index + 2]
            if after.__class__ is not Text or after.text[:1] in _MAY_OPEN:  # type: ignore[attr-defined]
                return True
    return False


_MAY_OPEN: Final = frozenset("-*+=_|<>#`~:0123456789 \t")


def _implicit(top: TreeNode, stack: list[TreeNode]) -> TreeNode:
    """Open the paragraph a tight list item's bare text stands in."""
    implicit = TreeNode("implicit", None)
    top.children.append(implicit)
    stack.append(implicit)
    return implicit


def _expand(text: str, spans: list[MathSpan], paragraph: bool) -> list[object]:
    """A text with its placeholders as Math (`BlockMath` directly in a paragraph, for
    `paragraph` to split at; anywhere else it cannot stand, so its source)."""
    pieces: list[object] = []
    position = 0
    for match in PLACEHOLDER.finditer(text):
        if match.start() > position:
            pieces.append(Text(text[position : match.start()]))
        span = spans[ord(match[1]) - PLACEHOLDER_BASE]
        if span.kind == BLOCK:
            pieces.append(BlockMath(span.tex) if paragraph else Text(span.source))
        else:
            tex = " ".join(span.tex.split())
            if tex:
                pieces.append(Math(tex, display=span.kind == DOUBLE))
        position = match.end()
    if position < len(text):
        pieces.append(Text(text[position:]))
    return pieces


def restore(text: str, spans: list[MathSpan]) -> str:
    """Text outside prose (code, URLs, HTML) with each placeholder as its source."""
    if "$" not in text:
        return text
    return PLACEHOLDER.sub(lambda m: spans[ord(m[1]) - PLACEHOLDER_BASE].source, text)


def math_source(text: str, spans: list[MathSpan]) -> str:
    """Text with each placeholder as its math's content (markdown-it's token content)."""
    if not spans or "$" not in text:
        return text
    return PLACEHOLDER.sub(lambda m: spans[ord(m[1]) - PLACEHOLDER_BASE].tex, text)


@lru_cache(maxsize=4096)
def is_safe_link(url: str) -> bool:
    """markdown-it's `validateLink` on the normalised URL (no `javascript:` and the like)."""
    return validateLink(normalizeLink(url))


@lru_cache(maxsize=4096)
def normalize_link(url: str) -> str:
    return normalizeLink(url)
