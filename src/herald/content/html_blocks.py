"""HTML blocks that end with their element, as kramdown ends them, not at a blank line.

CommonMark keeps an HTML block of type 6 or 7 (`<div>`, `<p>`, `<a name="x" />` on its
own line) open until a blank line, so Markdown written right below it is raw text:
`<p align="center">…</p>` then `## Heading`, `<a name="video" />` then `## 视频`,
`</figure>` then `- **item**` all showed their `#`, `-` and `**`.  kramdown (Jekyll) ends
such a block with its element, and authors of Jekyll blogs write that way.

The markdown-it `html_block` rule is wrapped: such a block ends after the first line at
which every element opened so far is closed, no tag or comment is pending and the next
line does not start with `<`; parsing goes on from there as Markdown, in the same
container (list item, quote), with the same references and footnotes.  The lines are
read once, so the cost stays linear however HTML and Markdown alternate.  Types 1–5
(`<script>`, `<pre>`, `<style>`, `<textarea>`, comments, declarations) end at their own
end marker already and are left alone.  Goldmark (Hugo) would not cut; on a Hugo site the
cut only shows Markdown that the site shows as raw text, which is harmless.
"""

from __future__ import annotations

from html.parser import HTMLParser

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_block.html_block import HTML_SEQUENCES
from markdown_it.rules_block.html_block import html_block as commonmark_html_block

from herald.content.rawhtml import VOID

_FOUND = "herald.html_blocks.comment_end"
"""Key of the parse's environment holding the last `-->` search: (from, found at)."""


class _Depth(HTMLParser):
    """The elements still open, fed line by line."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pass  # `<a name="x" />`: opens nothing

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag) :]


def _kramdown_end(state: StateBlock, start: int, end: int) -> tuple[int, bool]:
    """The line an HTML block of type 6 or 7 starting at `start` ends before: the first
    blank or outdented line, as in CommonMark, or the first line of Markdown after its
    elements are all closed, as in kramdown; past blank lines when a comment is open
    and closes further on (True then).  Reads the block's lines once."""
    depth = _Depth()
    line = start
    while line < end:
        depth.feed(_text(state, line) + "\n")
        line += 1
        if depth.rawdata.startswith("<!--") and line < end and not _text(state, line):
            closed = _comment_end(state, line - 1, end)  # a blank line inside a comment
            if closed is not None:
                while line < closed:
                    depth.feed(_text(state, line) + "\n")
                    line += 1
                return line, True
        if line >= end or state.sCount[line] < state.blkIndent:
            break
        following = _text(state, line)
        if not following:
            break
        if not depth.open and not depth.rawdata and not following.startswith("<"):
            break
    return line, False


def _comment_end(state: StateBlock, opened: int, end: int) -> int | None:
    """The line after the one holding the first `-->` after line `opened`, if that is
    before `end` (the container's end) and no line on the way is outdented."""
    found = _next_comment_end(state, state.bMarks[opened])
    if found < 0:
        return None
    line = opened
    while line < end and state.eMarks[line] < found:
        if state.sCount[line] < state.blkIndent and not state.isEmpty(line):
            return None
        line += 1
    return line + 1 if line < end else None


def _next_comment_end(state: StateBlock, position: int) -> int:
    """`state.src.find("-->", position)`, remembered for the parse: later searches start
    further on, so a post with many unclosed comments is searched once, not once each."""
    known = state.env.get(_FOUND)
    if isinstance(known, tuple) and known[0] <= position and (known[1] < 0 or position <= known[1]):
        return int(known[1])
    found = state.src.find("-->", position)
    state.env[_FOUND] = (position, found)
    return found


def _text(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]


def kramdown_html_blocks(md: MarkdownIt) -> None:
    """`MarkdownIt(...).use(kramdown_html_blocks)`: HTML blocks end with their element.

    CommonMark's own rule does the work; it is only told where the block may end at the
    latest (its `end`), which is where kramdown would end it.
    """

    def html_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        if silent or state.is_code_block(start):
            return commonmark_html_block(state, start, end, silent)
        first = _text(state, start)
        kind = next((seq for seq in HTML_SEQUENCES if seq[0].search(first)), None)
        if kind is None or not kind[1].search(""):  # types 1-5: their own end marker
            return commonmark_html_block(state, start, end, silent)
        stop, past_blank_lines = _kramdown_end(state, start, end)
        if not past_blank_lines:
            return commonmark_html_block(state, start, stop, silent)
        state.line = stop  # what CommonMark's rule would do, if it did not stop at blanks
        token = state.push("html_block", "", 0)
        token.map = [start, stop]
        token.content = state.getLines(start, stop, state.blkIndent, True)
        return True

    # the blocks it may interrupt, as markdown-it registers it (`at` resets them)
    md.block.ruler.at("html_block", html_block, {"alt": ["paragraph", "reference", "blockquote"]})
