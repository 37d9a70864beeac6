"""Markdown → Document from pyromark's event stream (pulldown-cmark, compiled).

The same Document as the markdown-it front end (`herald.content.markdown`), Document for
Document, for a post `herald.content.markdown_routing` says it can read (the others go to
markdown-it); `tests/content/test_front_ends_agree.py` compares the two.  What markdown-it
and its plugins do on top of CommonMark is done here on top of pulldown-cmark:

- math is found with markdown-it's rules (`herald.content.pyromark_math`); pulldown-
  cmark's own math events are kept only where they are exactly those spans, else the
  spans reach the parser as placeholders (pulldown-cmark has no `\\(…\\)`);
- raw HTML goes through `herald.content.rawhtml` and `herald.content.embeds` exactly as
  in the markdown-it front end (`html_content` for blocks; `is_markup`, `<a>`, `<img>`,
  `<br>`, players, `<d-footnote>`, `<d-cite>` inline);
- footnotes are numbered in order of first reference, distill ones included, bodies at
  the end in markdown-it's order; a reference matches its definition case-sensitively
  and an unreferenced definition is dropped, as markdown-it-footnote does;
- `^[inline footnotes]` (markdown-it-footnote) and a single `~` (text to markdown-it)
  are read back from pulldown-cmark's events; link and image targets are normalised
  with markdown-it's `normalizeLink`, and unsafe ones (`javascript:`) stay text;
- whitespace is stripped from each paragraph, heading and cell as `str.strip()` does
  (markdown-it-py), not only spaces and tabs (CommonMark, pulldown-cmark).
"""

from __future__ import annotations

from herald.content.document import (
    Block,
    CodeBlock,
    Document,
    Footnote,
    Footnotes,
    Heading,
    Inline,
    LineBreak,
    ListBlock,
    Math,
    MathBlock,
    Paragraph,
    Quote,
    Rule,
    Table,
    Text,
)
from herald.content.markdown_common import code_language
from herald.content.math_blocks import html_part, math_block
from herald.content.pyromark_expected import expected_math
from herald.content.pyromark_inlines import InlineConverter
from herald.content.pyromark_nodes import (
    BlockMath,
    Tree,
    TreeNode,
)
from herald.content.pyromark_placeholders import find_math
from herald.content.pyromark_tree import (
    MATH_PARSER,
    PARSER,
    build_tree,
    restore,
)
from herald.content.rawhtml import (
    html_content,
)


class Declined(Exception):
    """The post holds what this front end does not read as markdown-it does (math of
    blanks only, which vanishes and leaves markdown-it's unstripped spaces around it):
    the caller reads it with markdown-it."""


def pyromark_document(source: str) -> Document:
    """A prepared body (`herald.content.prepass`) as a Document; raises only `Declined`.

    Three paths, the first that applies: no math delimiter at all, one parse; math that
    pulldown-cmark's own `ENABLE_MATH` reads exactly as markdown-it would (checked span
    by span against `expected_math`), one parse; otherwise the exact path, math found
    where a first parse says inline content is and placeholders parsed.
    """
    if "$" not in source and "\\(" not in source and "\\[" not in source:
        return _Converter([]).document(_sure(build_tree(PARSER.events(source), [])))
    expected = expected_math(source)
    if expected is not None:
        if any(not tex.strip() for _, tex, _ in expected[0]):
            raise Declined
        tree = build_tree(MATH_PARSER.events(source), [], expected[0])
        if tree is not None and tree.fences == expected[1]:
            return _Converter([]).document(tree)
    source, spans = find_math(source)
    if any(not span.tex.strip() for span in spans):
        raise Declined
    return _Converter(spans).document(_sure(build_tree(PARSER.events(source), spans)))


def exact_document(source: str) -> Document:
    """`pyromark_document` always on its exact path: for tests of the fast one."""
    source, spans = find_math(source)
    if any(not span.tex.strip() for span in spans):
        raise Declined
    return _Converter(spans).document(_sure(build_tree(PARSER.events(source), spans)))


def path_of(source: str) -> str:
    """Which of `pyromark_document`'s paths a body takes: `plain`, `pulldown math`, `exact`."""
    if "$" not in source and "\\(" not in source and "\\[" not in source:
        return "plain"
    expected = expected_math(source)
    if expected is not None:
        tree = build_tree(MATH_PARSER.events(source), [], expected[0])
        if tree is not None and tree.fences == expected[1]:
            return "pulldown math"
    return "exact"


def _sure(tree: Tree | None) -> Tree:
    """Without expected math spans pass 1 always gives a tree."""
    assert tree is not None
    return tree


# -- pass 2: tree → Document ----------------------------------------------------------------


class _Converter(InlineConverter):
    """Pass 2's block half: blocks, tables, display math promoted out of paragraphs, the
    footnote list at the end (the inline half is `InlineConverter`)."""

    def document(self, tree: Tree) -> Document:
        self.definitions = tree.definitions
        blocks = self.blocks(tree.nodes)
        # markdown-it-footnote's list: referenced definitions in order of first reference
        # (definitions read where they stand), then Herald numbers each and reads its body.
        for label in tree.references:
            definition = self.definitions.get(label)
            if definition is not None:
                number = self.number(("md", label))
                self.notes[number] = Footnote(number, self.blocks(definition.children))
        index = 0
        while index < len(self.inline_notes):  # an inline footnote may hold another
            key, body = self.inline_notes[index]
            number = self.number(key)
            self.notes[number] = Footnote(number, tuple(self.promoted(body, True)))
            index += 1
        if self.notes:
            ordered = sorted(self.notes.values(), key=lambda note: int(note.label))
            blocks = (*blocks, Footnotes(tuple(ordered)))
        return Document(blocks)

    # -- blocks ------------------------------------------------------------------------

    def blocks(self, nodes: list[object]) -> tuple[Block, ...]:
        out: list[Block] = []
        for node in nodes:
            if node.__class__ is TreeNode:
                out.extend(self.block(node))  # type: ignore[arg-type]
            elif node.__class__ is Rule:
                out.append(node)  # type: ignore[arg-type]
        return tuple(out)

    def block(self, node: TreeNode) -> list[Block]:
        kind = node.kind
        if kind == "Paragraph" or kind == "implicit":
            return self.promoted(self.inlines(node, strip=True), node.display)
        if kind == "Heading":
            level = node.data["level"]  # type: ignore[index]
            return [Heading(int(level[1]), tuple(self.inlines(node, strip=True)))]
        if kind == "CodeBlock":
            info = node.data["Fenced"] if node.data.__class__ is dict else ""  # type: ignore[index]
            lang = code_language(restore(info, self.spans))
            code = "".join(node.children)  # type: ignore[arg-type]
            return [CodeBlock(lang, restore(code, self.spans).rstrip("\n"))]
        if kind == "List":
            start = node.data
            items = tuple(self.blocks(item.children) for item in node.children)  # type: ignore[attr-defined]
            return [ListBlock(start is not None, 1 if start is None else start, items)]  # type: ignore[arg-type]
        if kind == "BlockQuote":
            return [Quote(self.blocks(node.children))]
        if kind == "Table":
            return [self.table(node)]
        if kind == "HtmlBlock":
            markup = restore("".join(node.children), self.spans)  # type: ignore[arg-type]
            return [block for part in html_content(markup) for block in html_part(part)]
        return []  # definition lists, metadata blocks: options not enabled

    def table(self, node: TreeNode) -> Table:
        header: tuple[tuple[Inline, ...], ...] = ()
        rows: list[tuple[tuple[Inline, ...], ...]] = []
        for section in node.children:
            cells = tuple(
                tuple(self.inlines(cell, strip=True))  # type: ignore[arg-type]
                for cell in section.children  # type: ignore[attr-defined]
            )
            if section.kind == "TableHead":  # type: ignore[attr-defined]
                header = cells
            else:
                rows.append(cells)
        return Table(header, tuple(rows))

    def promoted(self, inlines: list[Inline], display: bool) -> list[Block]:
        """A paragraph, split where display math stands on its own lines.

        As `herald.content.markdown._promote_display_math`, plus the math blocks that
        markdown-it found at block level (placeholders of kind BLOCK).
        """
        if not display:
            while inlines and inlines[-1].__class__ is LineBreak:
                inlines.pop()
            return [Paragraph(tuple(inlines))] if inlines else []
        blocks: list[Block] = []
        current: list[Inline] = []
        promoted = False
        after_block = False  # markdown-it starts a new, stripped paragraph after a block
        for index, node in enumerate(inlines):
            if node.__class__ is BlockMath:  # type: ignore[comparison-overlap]
                _flush(current, blocks, strip=True)
                blocks.extend(math_block(node.tex))  # type: ignore[attr-defined]
                promoted = after_block = True
                continue
            if after_block and node.__class__ is Text:
                node = Text(node.text.lstrip())  # type: ignore[attr-defined]
                if not node.text:
                    continue
            if node.__class__ is not LineBreak:
                after_block = False
            before = inlines[index - 1] if index else None
            after = inlines[index + 1] if index + 1 < len(inlines) else None
            alone = (before is None or before.__class__ is LineBreak) and (
                after is None or after.__class__ is LineBreak or after.__class__ is BlockMath  # type: ignore[comparison-overlap]
            )
            if node.__class__ is Math and node.display and alone:  # type: ignore[attr-defined]
                _flush(current, blocks)
                blocks.append(MathBlock(node.tex))  # type: ignore[attr-defined]
                promoted = True
            elif node.__class__ is LineBreak and not current and (blocks or promoted):
                continue  # the break right after a promoted block
            else:
                current.append(node)
                promoted = False
        _flush(current, blocks)
        return blocks


def _flush(current: list[Inline], blocks: list[Block], *, strip: bool = False) -> None:
    """`current` as a paragraph, if anything; `strip`: it ends where markdown-it ends a
    paragraph's source (before a math block), so trailing Unicode whitespace goes too."""
    while current and current[-1].__class__ is LineBreak:
        current.pop()
    if strip and current and current[-1].__class__ is Text:
        tail = current[-1].text.rstrip()  # type: ignore[union-attr]
        if tail:
            current[-1] = Text(tail)
        else:
            current.pop()
            while current and current[-1].__class__ is LineBreak:  # type: ignore[comparison-overlap]
                current.pop()
    if current:
        blocks.append(Paragraph(tuple(current)))
    current.clear()
