"""Tags on Discord as a select menu that opens the chosen tag in the bot.

A message holds at most 5 rows of components; a feed page already spends two on its read
buttons (10 cards) and one on its navigation, so one button per tag cannot fit (10 cards
with 3 tags each is 30).  One select menu takes a single row for up to 25 tags, shows
each tag exactly (labels up to 100 characters, where a button stops at 80), and its
choice is the tag's payload (`ShowTag`), like a button's custom_id.
"""

from __future__ import annotations

from dataclasses import dataclass

from herald.core.actions import ShowTag, tag_ref
from herald.core.i18n import t
from herald.core.views import Button
from herald.limits import DISCORD_SELECT_OPTION_CHARS, DISCORD_SELECT_OPTIONS


@dataclass(frozen=True, slots=True)
class TagMenu:
    placeholder: str
    options: tuple[Button, ...]
    """Label `#tag`, action the tag's first page."""


def tag_menu(tags: tuple[str, ...], lang: str) -> TagMenu | None:
    """The tags in the order they appear (repeats, in any case, once), at most 25;
    None when there are none."""
    seen: dict[str, str] = {}
    for tag in tags:
        seen.setdefault(tag.casefold(), tag)
    if not seen:
        return None
    options = tuple(
        Button(f"#{tag}"[:DISCORD_SELECT_OPTION_CHARS], ShowTag(tag_ref(tag)))
        for tag in list(seen.values())[:DISCORD_SELECT_OPTIONS]
    )
    return TagMenu(t(lang, "tags.menu"), options)
