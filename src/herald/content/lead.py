"""A card's lead: the part of a body before its excerpt separator, where there is one.

Hugo's `<!--more-->` and Jekyll's `excerpt_separator` say where the author wants the
summary to end; a card then reads only that part, and always ends in `...`, since there
is more.  The loader puts `<!--more-->` before a site's or a post's own separator
(`herald.content.sites`), so this one marker is all a renderer needs to know, wherever
the card is made (in the sync, in the deferred excerpt pass, for a reader on the spot).
Jekyll's implicit separator, the first blank line, is not one: the author did not choose
it, and Herald's lead of `[content] excerpt_chars` reads better.
"""

from __future__ import annotations

import re

MORE = "<!--more-->"
_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")


def lead(body: str) -> str | None:
    """The body before the first `<!--more-->` outside fenced code; None when there is
    none, or nothing before it."""
    if MORE not in body:
        return None
    fenced = False
    offset = 0
    for line in body.splitlines(keepends=True):
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and MORE in line:
            head = body[: offset + line.index(MORE)].rstrip()
            return head or None
        offset += len(line)
    return None
