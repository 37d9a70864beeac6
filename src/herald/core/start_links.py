"""`/start` payloads that name a tag, for links that open a tag's feed in the bot.

Telegram's hashtags are lossy (`C++` becomes `#C_`) and tapping one runs Telegram's own
search, so tags are rendered as deep links `t.me/<bot>?start=<payload>` instead.  A start
payload allows only `A-Za-z0-9_-` and 64 characters, so it carries the tag's `tag_ref`
(whatever its script or length) and `Posts.tag_for_ref` finds the exact tag again.  The
`_t_` prefix can never be a post's link key (`herald.content.links`: a readable slug never
starts with `_`, a hashed one is `_` and 20 letters), so a post and a tag never collide.
"""

from __future__ import annotations

import re

from herald.core.actions import tag_ref

TAG_PREFIX = "_t_"
HELP_START = "_help"
"""The `/start` payload that shows the help: never a post's key (`_` and 4 letters)."""
_TAG_START = re.compile(rf"{TAG_PREFIX}([a-z2-7]{{10}})")


def tag_start(tag: str) -> str:
    """The `/start` payload that opens `tag`'s feed."""
    return TAG_PREFIX + tag_ref(tag)


def tag_in_start(payload: str) -> str | None:
    """The tag ref a `/start` payload names, or None when it names none (a post)."""
    match = _TAG_START.fullmatch(payload.strip())
    return match.group(1) if match else None
