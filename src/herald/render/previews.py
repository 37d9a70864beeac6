"""Which link a push's link preview shows: the post's own first web link.

Left to itself a platform previews the first link of the message, which on a Herald card is
a tag's link to the bot itself; a reader who turned previews on wants the page the post
points at (the paper, the repository), so messengers name that link explicitly.
"""

from __future__ import annotations

from collections.abc import Iterable

from herald.content.document import Document, Emph, Inline, Link, Strike, Strong
from herald.render import _inline_groups

_WEB = ("http://", "https://")


def _first(nodes: Iterable[Inline]) -> str | None:
    for node in nodes:
        if isinstance(node, Link) and node.href.startswith(_WEB):
            return node.href
        if isinstance(node, Link | Strong | Strike | Emph):
            inner = _first(node.children)
            if inner is not None:
                return inner
    return None


def first_web_link(document: Document) -> str | None:
    """The post's first http(s) link in reading order, or None when it has none."""
    for group in _inline_groups(document.blocks):
        if isinstance(group, tuple):
            found = _first(group)
            if found is not None:
                return found
    return None
