"""The light tree pass 1 of the pyromark front end builds (`herald.content.pyromark_tree`)
and pass 2 reads (`herald.content.pyromark_document`, `herald.content.pyromark_inlines`).

Its leaves are Document inlines already (`Text`, `Code`, `Math`, `LineBreak`); only
elements, raw HTML and footnote references are nodes of their own, waiting for pass 2.
"""

from __future__ import annotations

from typing import Final

from herald.content.document import LineBreak

SOFT: Final = LineBreak(hard=False)
HARD: Final = LineBreak(hard=True)


class TreeNode:
    """An element of the event stream: `kind` is pulldown-cmark's tag name (`Paragraph`,
    `Link`…) or `implicit` (a tight list item's paragraph), `data` its payload."""

    __slots__ = ("children", "data", "display", "flat", "kind", "notes", "quirk", "simple")

    def __init__(self, kind: str, data: object) -> None:
        self.kind = kind
        self.data = data
        self.children: list[object] = []
        self.simple = True
        """Every child is a Document inline already: pass 2 has nothing to read."""
        self.flat = False
        """A child may be read back as text (`~x~`, a `[^ref]`, an unsafe link)."""
        self.notes = False
        """A text child holds `^[`: maybe an inline footnote."""
        self.display = False
        """A child is display math, which may become a block of its own."""
        self.quirk = False
        """Its first child is math; markdown-it-py then looks at its last character."""


class RawHtml:
    """One inline HTML tag, as written; duck-types the markdown-it node rawhtml expects."""

    __slots__ = ("content",)
    type = "html_inline"

    def __init__(self, content: str) -> None:
        self.content = content


class NotHtml:
    """Any sibling of an inline HTML tag that is not one, as rawhtml's helpers see it."""

    __slots__ = ()
    type = "text"
    content = ""


NOT_HTML: Final = NotHtml()


class NoteRef:
    """A `[^label]` footnote reference, numbered when the tree is read."""

    __slots__ = ("label",)

    def __init__(self, label: str) -> None:
        self.label = label


class BlockMath:
    """A math block markdown-it found at block level, until its paragraph is split."""

    __slots__ = ("tex",)

    def __init__(self, tex: str) -> None:
        self.tex = tex


class Tree:
    """Pass 1's result: the top-level nodes and what footnotes need."""

    __slots__ = ("definitions", "fences", "nodes", "references")

    def __init__(self) -> None:
        self.nodes: list[object] = []
        self.fences = 0
        """Fenced code blocks, to check `expected_math`'s guess against."""
        self.definitions: dict[str, TreeNode] = {}
        """Footnote bodies by label as written; a later definition replaces an earlier."""
        self.references: dict[str, None] = {}
        """Labels in order of first reference, definitions read in place (markdown-it's)."""
