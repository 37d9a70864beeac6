"""The bounds on what one chat may ask to be pushed: tags per subscription, tag length.

Every broadcast matches each subscription's tags and every confirmation echoes them, so
their number and size are what one chat could otherwise make every push and reply pay for
(issue 14: 4,000 characters of tags overflowed Telegram's reply and were stored anyway).
"""

from __future__ import annotations

from herald.core.i18n import t
from herald.core.views import Notice
from herald.limits import MAX_TAG_CHARS, MAX_TAGS_PER_SUBSCRIPTION


def wanted_tags(words: tuple[str, ...]) -> tuple[str, ...]:
    """The tags a `/subscribe` names: `#` dropped, empty ones and repeats left out."""
    return tuple(dict.fromkeys(word.lstrip("#") for word in words if word.lstrip("#")))


def refusal(kept: tuple[str, ...], added: tuple[str, ...], lang: str) -> Notice | None:
    """A polite notice naming the bound `added` would break, checked before anything is
    stored; None when it fits.  `kept` are the tags the chat's filter already has (the store
    adds new tags to it, compared case-insensitively)."""
    if any(len(tag) > MAX_TAG_CHARS for tag in added):
        return Notice(t(lang, "subscribe.tag_too_long", limit=MAX_TAG_CHARS), is_error=True)
    count = len(dict.fromkeys([*kept, *(tag.casefold() for tag in added)])) if added else 0
    if count > MAX_TAGS_PER_SUBSCRIPTION:
        text = t(lang, "subscribe.too_many_tags", limit=MAX_TAGS_PER_SUBSCRIPTION, count=count)
        return Notice(text, is_error=True)
    return None
