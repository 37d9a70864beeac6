"""The card text: plain, whitespace-collapsed, placeholders for what prose cannot show.

Matches the reference feed (`../shared/seeds`): headings and list numbers kept as text,
`[代码]` for a code block, `[公式]` for display math, inline math as Unicode (`θₜ`, `x²`)
or `[Math]`, about 350 characters then `...`.  Unlike the feed it loses no character the
author wrote: hyphens, `<`, `>`, `*`, `&`, `_` and URLs survive.

Decisions, all deliberate:

- images contribute nothing (alt texts are mostly file names like `image-20240101`);
- footnotes — references and bodies, Markdown or distill `<d-footnote>` — are left out:
  they are asides, not the lead;
- `$$…$$` written mid-sentence reads like inline math (Unicode or `[Math]`); only math on
  its own lines is `[公式]`;
- raw HTML keeps its text; `<d-cite>`, scripts and styles vanish; Liquid never shows;
- the limit counts grapheme clusters (`regex` `\\X`), a placeholder counts as its
  characters and is never cut, and the `...` added after a cut is *not* counted: a cut
  excerpt is at most `limit` graphemes plus `...`, like the feed's 350 + 3.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

import regex

from herald.content.document import (
    Block,
    CodeBlock,
    Document,
    Footnotes,
    Heading,
    HtmlBlock,
    Inline,
    ListBlock,
    Math,
    MathBlock,
    Paragraph,
    Quote,
    Table,
)
from herald.content.lead import lead
from herald.content.markdown import parse_inline, parse_prepared
from herald.content.opening import cuts
from herald.content.prepass import prepared
from herald.core.i18n import DEFAULT_LANGUAGE, t
from herald.render.text import inline_text, math_unicode

PLACEHOLDER_KINDS = ("code", "formula", "math")
ELLIPSIS = "..."
_GRAPHEME = regex.compile(r"\X")
_MAY_JOIN = regex.compile(
    r"[^\p{Grapheme_Cluster_Break=Other}\p{Grapheme_Cluster_Break=Control}\n]"
)
"""Code points that can share a grapheme with a neighbour (combining marks, joiners,
regional indicators, Hangul jamo, prepended marks, CR): where none occurs, every code point
is a grapheme of its own."""


@cache
def placeholders(lang: str) -> dict[str, str]:
    """Placeholders for `lang` (`placeholder.*` in i18n), by kind."""
    return {kind: t(lang, f"placeholder.{kind}") for kind in PLACEHOLDER_KINDS}


def _inline(children: Iterable[Inline], marks: dict[str, str]) -> str:
    def math(node: Math) -> str:
        return math_unicode(node.tex) or marks["math"]

    return inline_text(children, math=math, image=lambda _: " ", footnote=lambda _: "")


def _block_text(block: Block, marks: dict[str, str]) -> str:
    if isinstance(block, Heading | Paragraph):
        return _inline(block.children, marks)
    if isinstance(block, CodeBlock):
        return marks["code"]
    if isinstance(block, MathBlock):
        return marks["formula"]
    if isinstance(block, ListBlock):
        items = []
        for index, item in enumerate(block.items):
            text = " ".join(_block_text(child, marks) for child in item)
            items.append(f"{block.start + index}. {text}" if block.ordered else text)
        return " ".join(items)
    if isinstance(block, Quote):
        return " ".join(_block_text(child, marks) for child in block.children)
    if isinstance(block, Table):
        rows = [block.header, *block.rows]
        return " ".join(_inline(cell, marks) for row in rows for cell in row)
    if isinstance(block, HtmlBlock):
        return block.text
    return ""  # Rule, Footnotes


def _collapse(text: str) -> str:
    return " ".join(text.split())


_ENOUGH = 64
"""Characters past the limit after which, with no grapheme joining its neighbour, the
excerpt stops reading: `_cut` then looks no further than the limit and the longest
placeholder.  (More than the opening's margin, `_OPENING_MARGIN`.)"""


def _cut(text: str, limit: int, marks: dict[str, str]) -> str:
    """At most `limit` graphemes, never inside a grapheme or a placeholder; `...` if cut."""
    if len(text) <= limit:  # graphemes never outnumber code points
        return text
    if _MAY_JOIN.search(text, 0, limit + 1):  # emoji sequences, combining marks…
        return _cut_by_grapheme(text, limit, marks)
    # Every grapheme up to the cut is one code point (the usual case): cut at `limit` by
    # slicing.  Asking Unicode's grapheme property of each code point costs 0.01 ms a post;
    # splitting the head into graphemes to count them cost 0.14 ms.
    end = limit
    for mark in marks.values():
        found = text.find(mark, max(0, end - len(mark) + 1), end + len(mark) - 1)
        if found != -1 and found < end < found + len(mark):
            end = found
    return text[:end].rstrip() + ELLIPSIS


def _cut_by_grapheme(text: str, limit: int, marks: dict[str, str]) -> str:
    placeholder = regex.compile("|".join(regex.escape(mark) for mark in marks.values()) + r"|\X")
    kept: list[str] = []
    count = 0
    for match in placeholder.finditer(text):
        token = match.group()
        size = len(_GRAPHEME.findall(token)) if token in marks.values() else 1
        if count + size > limit:
            return "".join(kept).rstrip() + ELLIPSIS
        kept.append(token)
        count += size
    return text


def excerpt(doc: Document, *, lang: str = DEFAULT_LANGUAGE, limit: int = 350) -> str:
    """The card text of a post: its lead as plain prose, cut to `limit` graphemes."""
    return _excerpt(doc, lang, limit)[0]


def _excerpt(doc: Document, lang: str, limit: int) -> tuple[str, int]:
    """The card text, and the length of the text it was cut from."""
    marks = placeholders(lang)
    pieces: list[str] = []
    size = 0
    early = True
    for index, block in enumerate(doc.blocks):
        if early and limit + _ENOUGH < size <= limit * 4:
            early = False  # looked once: with a grapheme that joins, the text is read on
            text = " ".join(pieces)
            if _MAY_JOIN.search(text) is None:  # every code point a grapheme: the cut
                return _cut(text, limit, marks), size  # cannot reach what follows
        elif size > limit * 4:  # far more than can show: stop reading, but say there is more
            cut = _cut(" ".join(pieces), limit, marks)
            more = any(not isinstance(rest, Footnotes) for rest in doc.blocks[index:])
            return (cut + ELLIPSIS if more and not cut.endswith(ELLIPSIS) else cut), size
        if isinstance(block, Footnotes):
            continue
        piece = _collapse(_block_text(block, marks))
        if piece:
            pieces.append(piece)
            size += len(piece) + 1
    return _cut(" ".join(pieces), limit, marks), size


def excerpt_text(text: str, *, lang: str = DEFAULT_LANGUAGE, limit: int = 350) -> str:
    """A frontmatter summary, cleaned like a body and cut the same way.

    Inline Markdown only: emphasis, code, math, links and HTML are read as in a body,
    but a summary that starts with `1.`, `-` or `#` keeps it, since a summary is a line
    of prose, not a document.
    """
    marks = placeholders(lang)
    return _cut(_collapse(_inline(parse_inline(text), marks)), limit, marks)


def card_text(
    summary: str | None, body: str, *, lang: str = DEFAULT_LANGUAGE, limit: int = 350
) -> str:
    """What a post's card shows: the author's summary if there is one, else its lead —
    the part before `<!--more-->` when the author marked one (`herald.content.lead`),
    which then ends in `...`, since there is more."""
    if summary:
        return excerpt_text(summary, lang=lang, limit=limit)
    head = lead(body)
    if head is not None:
        text = _card(head, lang, limit)
        if text:
            return text if text.endswith(ELLIPSIS) else text + ELLIPSIS
    return _card(body, lang, limit)


_OPENING_SOURCE = 2
"""An opening is tried from this many times `limit` characters of source on: Markdown,
code and links shrink to far fewer characters of card."""
_OPENING_MARGIN = 32
"""Characters of card text past the cut that the opening must have read, so that no
placeholder or grapheme at the cut can reach into the rest of the body."""


def _card(markdown: str, lang: str, limit: int) -> str:
    """The excerpt of a body, from a parse of its opening (`herald.content.opening`)
    when that is sure to give the card the whole body gives, else of all of it."""
    source = prepared(markdown)
    if len(source) > 2 * _OPENING_SOURCE * limit:
        cut = next((cut for cut in cuts(source) if cut >= _OPENING_SOURCE * limit), None)
        if cut is not None:
            text, read = _excerpt(parse_prepared(source[:cut]), lang, limit)
            if read > limit + _OPENING_MARGIN and text.endswith(ELLIPSIS):
                return text
    return _excerpt(parse_prepared(source), lang, limit)[0]
