"""Whether a post has anything for a reader: a post with no text and no image is not a card.

A redirect stub (a `<meta http-equiv="Refresh">` page left where a post used to be), a
file holding only kramdown's `{:toc}` or a Liquid include, would otherwise be an empty card
at the top of the feed.  "Text" is what search indexes (`herald.content.searchable`, kept
in step with the renderer's visible text by the tests), so this costs nothing the sync
does not compute anyway; an image-only post, or one whose card is its summary, stays.
"""

from __future__ import annotations

import re

_IMAGE = re.compile(r"!\[|<img\b|\{%-?\s*include\s+figure\b|\{\{<\s*figure\b", re.I)
_REFRESH = re.compile(
    r"""<meta\s[^>]*http-equiv\s*=\s*["']?refresh["']?[^>]*?"""
    r"""content\s*=\s*["'][^"']*?url\s*=\s*'?([^"'>\s]+)""",
    re.I,
)

_HIDDEN = re.compile(r"<!--.*?-->|<[^<>]*>|\{[{%].*?[}%]\}|\{:[^{}]*\}", re.S)
"""What a reader never sees of a body: HTML tags and comments, Liquid, kramdown's `{:…}`."""

NO_CONTENT = "no readable content"


def unreadable(body: str, text: str, summary: str | None = None) -> str | None:
    """Why a post cannot be a card (`text`: its search text), or None if it can.

    The search text leaves out Markdown's own punctuation as well, so when it is empty
    the body is asked once more, with only what is really hidden taken out: a post of
    `[[[[` shows brackets, a redirect stub or a frontmatter-only file shows nothing."""
    if text.strip() or (summary and summary.strip()) or _IMAGE.search(body):
        return None
    if _HIDDEN.sub("", body).strip():
        return None
    refresh = _REFRESH.search(body)
    return f"{NO_CONTENT} (a redirect to {refresh[1][:200]})" if refresh else NO_CONTENT
