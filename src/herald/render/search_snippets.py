"""A search result's snippet in each platform's markup: its hits emphasised, the rest
shown exactly as written (escaped for the markup, never a character dropped), and an
ellipsis where the post goes on before or after it."""

from __future__ import annotations

import html
from collections.abc import Callable

from herald.core.search import Snippet
from herald.render.discord_md import escape as discord_escape

ELLIPSIS = "…"


def _marked(snippet: Snippet, plain: Callable[[str], str], hit: Callable[[str], str]) -> str:
    body = "".join(hit(text) if is_hit else plain(text) for text, is_hit in snippet.pieces())
    before = ELLIPSIS if snippet.cut_before else ""
    after = ELLIPSIS if snippet.cut_after else ""
    return f"{before}{body}{after}"


def _html(text: str) -> str:
    return html.escape(text, quote=False)


def snippet_html(snippet: Snippet) -> str:
    """Telegram HTML: hits in <b>."""
    return _marked(snippet, _html, lambda text: f"<b>{_html(text)}</b>")


def snippet_markdown(snippet: Snippet) -> str:
    """Discord Markdown: hits in **, everything else escaped."""
    return _marked(snippet, discord_escape, lambda text: f"**{discord_escape(text)}**")


def snippet_text(snippet: Snippet) -> str:
    """Plain text for the console: hits between « and »."""
    return _marked(snippet, str, lambda text: f"«{text}»")


def snippet_length(snippet: Snippet) -> int:
    """Characters a reader sees (the markup left aside)."""
    return len(snippet.text) + int(snippet.cut_before) + int(snippet.cut_after)


def snippet_plain(snippet: Snippet) -> str:
    """Unmarked, for places that show no formatting (Telegram's inline descriptions)."""
    return _marked(snippet, str, str)
