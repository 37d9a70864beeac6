"""Tags on Telegram as links that open the tag in the bot, with its exact name.

A Telegram hashtag is lossy (`#C++` is read as `#C`, `LoRA 微调` as two words) and tapping
it runs Telegram's own search, which knows nothing of Herald's tags.  So each tag is shown
as written, `#C++`, linked to `t.me/<bot>?start=_t_<tag ref>`: tapping it opens the bot
(a private chat, also from a group or channel) and `/start` shows that tag's posts
(`herald.core.start_links`).  Without the bot's username (not known yet) the old
hashtags are all there is.
"""

from __future__ import annotations

import html

import regex

from herald.core.start_links import tag_start
from herald.render.split import Run, Tag

ITALIC: Tag = ("i", "")


def hashtags(tags: tuple[str, ...]) -> str:
    """Telegram's own hashtags, word characters only: the fallback without a username."""
    return " ".join("#" + regex.sub(r"[^\w]+", "_", tag) for tag in tags)


def tag_url(bot_username: str, tag: str) -> str:
    return f"https://t.me/{bot_username}?start={tag_start(tag)}"


def _link(url: str) -> Tag:
    return ("a", f' href="{html.escape(url, quote=True)}"')


def meta_html(date_text: str, tags: tuple[str, ...], bot_username: str | None) -> str:
    """A card's date and tags line (HTML, to be put in italics), each tag a link."""
    if bot_username is None:
        shown = html.escape(hashtags(tags), quote=False)
    else:
        shown = " ".join(
            f'<a href="{html.escape(tag_url(bot_username, tag), quote=True)}">'
            f"#{html.escape(tag, quote=False)}</a>"
            for tag in tags
        )
    return " · ".join(part for part in (html.escape(date_text, quote=False), shown) if part)


def meta_runs(date_text: str, tags: tuple[str, ...], bot_username: str | None) -> list[Run]:
    """The same line as runs, for an article's header (split like the rest of it)."""
    if bot_username is None:
        text = " · ".join(part for part in (date_text, hashtags(tags)) if part)
        return [Run(text, (ITALIC,))]
    runs = [Run(date_text, (ITALIC,))] if date_text else []
    for index, tag in enumerate(tags):
        gap = " · " if index == 0 and date_text else " " if index else ""
        if gap:
            runs.append(Run(gap, (ITALIC,)))
        runs.append(Run(f"#{tag}", (ITALIC, _link(tag_url(bot_username, tag)))))
    return runs
