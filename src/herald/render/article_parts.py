"""An article's parts on each platform, the same split every time.

A pager button names a part by its number alone, so part k of a post must be the same
text whenever it is rendered: the split is a pure function of the parsed document and
the renderer's header.  It is also the split "send all" and short articles use, so a
part is the same text whichever way it is read.  Every part leaves `PAGER_FRAME_CHARS`
free for what a pager adds around it (the title again at the top of parts after the
first, the part indicator below), so a decorated part stays within the platform's limit.

Splitting a 100 KB post takes 10-30 ms; a reader turning its pages should not pay that
on every press, so the parts of recently shown articles are kept (by document: the
parse pool hands back the same document object for the same post while it keeps it).
"""

from __future__ import annotations

import html
from collections import OrderedDict
from collections.abc import Callable, Hashable

from herald.content.document import Document
from herald.core.pager import part_label
from herald.core.views import ArticleView
from herald.limits import (
    CONSOLE_PART_CHARS,
    DISCORD_MESSAGE_CHARS,
    PAGER_FRAME_CHARS,
    PAGER_TITLE_CHARS,
    TELEGRAM_MESSAGE_CHARS,
)
from herald.render.discord_md import discord_messages
from herald.render.discord_md import escape as discord_escape
from herald.render.plain import plain_text
from herald.render.split import Run, cut_point, utf16_length
from herald.render.telegram_html import telegram_messages

TELEGRAM_PART_UNITS = TELEGRAM_MESSAGE_CHARS - PAGER_FRAME_CHARS
DISCORD_PART_CHARS = DISCORD_MESSAGE_CHARS - PAGER_FRAME_CHARS
_KEPT = 32
_parts: OrderedDict[tuple[Hashable, ...], tuple[Document, tuple[str, ...]]] = OrderedDict()


def _kept(
    kind: str, document: Document, header: Hashable, split: Callable[[], list[str]]
) -> tuple[str, ...]:
    """The parts from the cache when this very document was split with this header."""
    key = (kind, id(document), header)
    hit = _parts.get(key)
    if hit is not None and hit[0] is document:
        _parts.move_to_end(key)
        return hit[1]
    parts = tuple(split())
    _parts[key] = (document, parts)
    while len(_parts) > _KEPT:
        _parts.popitem(last=False)
    return parts


def _title(article: ArticleView, measure: Callable[[str], int] = len) -> str:
    title = " ".join(article.title.split())
    cut = cut_point(title, PAGER_TITLE_CHARS - 1, measure)
    return title if cut == len(title) else title[:cut].rstrip() + "…"


# -- Telegram ------------------------------------------------------------------------------


def telegram_parts(article: ArticleView, header: list[Run]) -> tuple[str, ...]:
    """HTML parts, each at most `TELEGRAM_PART_UNITS` visible UTF-16 units; the header
    (title, date, tags) opens the first."""
    return _kept(
        "telegram",
        article.document,
        tuple(header),
        lambda: telegram_messages(article.document, header=header, limit=TELEGRAM_PART_UNITS),
    )


def telegram_page(article: ArticleView, parts: tuple[str, ...], part: int) -> str:
    """Part `part` (1-based) as the pager shows it: the title above parts after the first,
    the indicator below; complete tags only, so the HTML stays valid."""
    top = f"<b>{html.escape(_title(article, utf16_length), quote=False)}</b>\n\n"
    label = html.escape(part_label(article, part, len(parts)), quote=False)
    return f"{top if part > 1 else ''}{parts[part - 1]}\n\n<i>{label}</i>"


# -- Discord -------------------------------------------------------------------------------


def discord_parts(article: ArticleView, header: str) -> tuple[str, ...]:
    """Markdown parts of at most `DISCORD_PART_CHARS`, fences closed at every cut."""
    return _kept(
        "discord",
        article.document,
        header,
        lambda: discord_messages(article.document, header=header, limit=DISCORD_PART_CHARS),
    )


def discord_page(article: ArticleView, parts: tuple[str, ...], part: int) -> str:
    top = f"**{discord_escape(_title(article))}**\n"
    label = part_label(article, part, len(parts))
    return f"{top if part > 1 else ''}{parts[part - 1]}\n-# {label}"


# -- the terminal --------------------------------------------------------------------------


def console_parts(article: ArticleView, header: str) -> tuple[str, ...]:
    """Plain-text parts of at most `CONSOLE_PART_CHARS`, cut between lines."""
    return _kept(
        "console",
        article.document,
        header,
        lambda: pack_lines(f"{header}\n{plain_text(article.document)}", CONSOLE_PART_CHARS),
    )


def console_page(article: ArticleView, parts: tuple[str, ...], part: int) -> str:
    return f"{_title(article)}\n\n{parts[part - 1]}" if part > 1 else parts[part - 1]


def pack_lines(text: str, limit: int) -> list[str]:
    """Whole lines packed into parts of at most `limit` characters (a longer line is cut
    on a grapheme boundary); blank lines at a cut are dropped.  Never empty."""
    parts: list[str] = []
    current: list[str] = []
    used = 0
    for line in text.splitlines():
        while len(line) > limit:
            cut = cut_point(line, limit) or 1
            pieces, line = line[:cut], line[cut:]
            if current:
                parts.append("\n".join(current).strip("\n"))
                current, used = [], 0
            parts.append(pieces)
        if current and used + 1 + len(line) > limit:
            parts.append("\n".join(current).strip("\n"))
            current, used = [], 0
        used += len(line) + (1 if current else 0)
        current.append(line)
    if current:
        parts.append("\n".join(current).strip("\n"))
    return [part for part in parts if part.strip()] or ["…"]
