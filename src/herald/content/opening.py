"""The opening of a post: its first blocks, cut where none of them can go on.

A card shows about 350 characters, and the excerpt stops reading a document long before
its end (`herald.render.excerpt`); real posts run to 40 KB, and parsing all of one to read
its first paragraphs was most of a sync's work on a real blog.  So the card is made from a
parse of the opening when that parse is sure to read those blocks as the whole body's
parse reads them, and from the whole body otherwise.

A cut is safe at a blank line when nothing open before it can continue after it and
nothing after it can change what came before:

- no fence, math block (`$$`, `\\[`, `\\begin`), HTML comment, declaration or element is
  open (an element is closed when its end tag came: kramdown's HTML blocks and
  Herald's raw-HTML rules read whole elements, so an open one may reach past a blank line);
- the next line cannot continue a list, a footnote or an indented block (it starts at
  the margin, with no list marker, `:`, `>`, `|`, `[`, `<` or `{`);
- no reference or footnote definition (`]:`) follows: one later in the body gives a
  `[text][ref]` or a `[^note]` of the opening a meaning.

Every test errs towards no cut, which only costs the time it was meant to save; the tests
compare cards made both ways on generated Markdown and on every corpus
(`tests/content/test_opening.py`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

_BLANKS: Final = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)*")
_FENCE: Final = re.compile(
    r"^([ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+[ \t>]*)*)(`{3,}|~{3,})(.*)$", re.M
)
"""A line that opens or closes a fence, in any container; group 1 what stands before it."""
_CODE_SPAN: Final = re.compile(r"(`+)(?:(?!\1).)*?\1", re.S)
_OPEN_TAG: Final = re.compile(
    r"<([A-Za-z][A-Za-z0-9-]*)(?=[\s>]|/>)[^>]*?(/?)>|<([A-Za-z][A-Za-z0-9-]*)(?=\s|$)"
)
_CLOSE_TAG: Final = re.compile(r"</([A-Za-z][A-Za-z0-9-]*)\s*>")
_MAY_CONTINUE: Final = re.compile(r"[ \t:>|\[<{]|[-*+](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$)")
_MARKUP_ENDS: Final = {"<!--": "-->", "<![CDATA[": "]]>", "<?": "?>", "<!": ">"}
"""Markup that runs to its own end marker, whatever lines it spans (checked in order)."""
_VOID: Final = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split()
)


def cuts(source: str) -> Iterator[int]:
    """Where a prepared body (`herald.content.prepass`) may be cut, in order: each one
    the length of an opening that reads as the whole body's first blocks."""
    last_definition = source.rfind("]:")
    state = _Open()
    read = 0
    for blank in _BLANKS.finditer(source):
        start, after = blank.start(), blank.end()
        state.read(source[read:start])
        read = start
        if state.unsure:
            return
        if (
            start > last_definition
            and after < len(source)
            and state.closed()
            and _MAY_CONTINUE.match(source, after) is None
        ):
            yield start


class _Open:
    """What the text read so far leaves open, line by line."""

    __slots__ = ("comment", "depth", "fence", "math", "tags", "unsure")

    def __init__(self) -> None:
        self.fence = ""  # the open fence's run (its character and length), or ""
        self.comment = ""  # the end marker of an open comment, declaration or CDATA
        self.math = 0  # `$$` seen (odd: a math block is open)
        self.depth = 0  # `\[` and `\begin` without their `\]` and `\end`
        self.tags: dict[str, int] = {}  # elements opened and not yet closed
        self.unsure = False  # read something this scan cannot place: no cut from here on

    def closed(self) -> bool:
        return (
            not self.unsure
            and not self.fence
            and not self.comment
            and self.math % 2 == 0
            and self.depth == 0
            and not any(self.tags.values())
        )

    def read(self, text: str) -> None:
        position = 0
        for fence in _FENCE.finditer(text):
            before, run, rest = fence.groups()
            indent = len(before) - len(before.rstrip(" "))
            if "\t" in before or indent > 3:
                self.unsure = True  # indented code, or a fence deep in a list item
                return
            if not self.fence:
                if run[0] == "`" and "`" in rest:
                    continue  # not a fence: a code span
                self._prose(text[position : fence.start()])
                self.fence = run
                position = fence.end()
            elif run[0] == self.fence[0] and len(run) >= len(self.fence) and not rest.strip():
                self.fence = ""
                position = fence.end()
        if not self.fence:
            self._prose(text[position:])

    def _prose(self, text: str) -> None:
        if "`" in text:
            text = _CODE_SPAN.sub(" ", text)
        if "`" in text:
            self.unsure = True  # an unpaired backtick
        self.math += text.count("$$")
        self.depth += text.count("\\[") - text.count("\\]")
        self.depth += text.count("\\begin") - text.count("\\end")
        if "<" in text:
            self._html(text)

    def _html(self, text: str) -> None:
        position = 0
        while position < len(text):
            if self.comment:
                end = text.find(self.comment, position)
                if end == -1:
                    return
                position = end + len(self.comment)
                self.comment = ""
                continue
            found = text.find("<", position)
            if found == -1:
                return
            marker = next((m for m in _MARKUP_ENDS if text.startswith(m, found)), None)
            if marker is not None:
                self.comment = _MARKUP_ENDS[marker]
                position = found + len(marker)
                continue
            closing = _CLOSE_TAG.match(text, found)
            if closing is not None:
                name = closing.group(1).lower()
                self.tags[name] = self.tags.get(name, 0) - 1
                position = closing.end()
                continue
            opening = _OPEN_TAG.match(text, found)
            if opening is not None:
                name = (opening.group(1) or opening.group(3)).lower()
                if opening.group(3) is not None:
                    self.unsure = True  # a tag whose `>` never came
                elif name not in _VOID and not opening.group(2):
                    self.tags[name] = self.tags.get(name, 0) + 1
                position = opening.end()
                continue
            position = found + 1
