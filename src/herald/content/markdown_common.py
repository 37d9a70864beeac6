"""What both Markdown front ends read alike (`herald.content.markdown`, markdown-it, and
`herald.content.pyromark_document`, pulldown-cmark), kept in one place so they cannot drift."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Protocol

from herald.content.document import Footnote, FootnoteRef, Inline, LineBreak, Link, Paragraph, Text
from herald.content.embeds import MEDIA, media_link
from herald.content.rawhtml import (
    CITATION,
    SILENT,
    attributes,
    closing_tag,
    image_of,
    is_markup,
    looks_like_markup,
    tag_of,
)

LANGUAGE = re.compile(r"[^\w+#.-]")
"""What a fence's language keeps of its first word (`python {.x}` → `python`)."""
PAIRED = frozenset({"a", "d-footnote", *SILENT})
"""Inline elements whose content needs the element: a link, a footnote, or silence."""


def code_language(info: str) -> str:
    """A fenced block's language from its info string: the first word, cleaned, ≤ 30."""
    words = info.split()
    return LANGUAGE.sub("", words[0])[:30] if words else ""


class Footnoting(Protocol):
    """A converter's footnotes: numbered in reading order, bodies kept by label."""

    notes: dict[str, Footnote]

    def number(self, key: object) -> str: ...


def inline_tag(
    siblings: list[Any],
    index: int,
    out: list[Inline],
    reader: Footnoting,
    inner: Callable[[int, int], list[Inline]],
) -> int:
    """Consume one inline HTML tag among `siblings` (nodes with the markup as `content`),
    with its content for paired elements (`inner(start, end)` converts the siblings
    between); append what a reader sees to `out` and return the index after it."""
    markup = siblings[index].content
    tag = tag_of(markup)
    if tag is None:  # a comment, a processing instruction, a declaration
        return index + 1
    name, closing = tag
    if name in MEDIA and not closing:
        link = media_link(attributes(markup))
        if link is not None:  # a player with a source; a bare `<video>` is a word
            out.append(link)
            end = closing_tag(siblings, index, name) if name in SILENT else None
            return index + 1 if end is None else end + 1
    if not is_markup(siblings, index, name, closing):
        if not looks_like_markup(markup, name, closing):
            out.append(Text(markup))  # `List<int>`, `<T>`, `<s>`, a lone `<video>`
        return index + 1  # else `<a name="x" />`, an unclosed `<font color=…>`: gone
    if name == "br" and not closing:
        out.append(_HARD_BREAK)
    elif name == "img" and not closing:
        image = image_of(attributes(markup))
        if image is not None:
            out.append(image)
    elif name in PAIRED and not closing:
        end = closing_tag(siblings, index, name)
        if end is not None:
            content = inner(index + 1, end)
            if name == "a":
                href = attributes(markup).get("href", "")
                out.extend([Link(href, tuple(content))] if href else content)
            elif name == "d-cite":
                out.append(CITATION)
            elif name == "d-footnote" and content:
                label = reader.number(object())  # each distill footnote is its own
                reader.notes[label] = Footnote(label, (Paragraph(tuple(content)),))
                out.append(FootnoteRef(label))
            return end + 1
    return index + 1


_HARD_BREAK = LineBreak(hard=True)
