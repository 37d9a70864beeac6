"""Pages of a feed: the buttons that move between them, and a page number as typed."""

from __future__ import annotations

from dataclasses import replace

from herald.core.actions import Action, Feed, Noop
from herald.core.i18n import t
from herald.core.views import Button, Notice


def navigation(action: Feed, pages: int, lang: str) -> tuple[Button, ...]:
    if pages <= 1:
        return ()
    page = action.page

    def to(target: int) -> Action:
        return replace(action, page=target)

    # Never two buttons for the same move (Discord refuses duplicate custom_ids, and a
    # reader gains nothing from them): "first"/"last" only where they differ from
    # "previous"/"next".
    buttons: list[Button] = []
    if page > 2:
        buttons.append(Button(t(lang, "button.first"), to(1)))
    if page > 1:
        buttons.append(Button(t(lang, "button.previous"), to(page - 1)))
    buttons.append(Button(f"{page}/{pages}", Noop()))
    if page < pages:
        buttons.append(Button(t(lang, "button.next"), to(page + 1)))
    if page < pages - 1:
        buttons.append(Button(t(lang, "button.last"), to(pages)))
    return tuple(buttons)


def page_argument(text: str, *, lang: str) -> int | Notice:
    """`/latest`, `/latest 2`: the page asked for, or a hint when it is not a page number."""
    text = text.strip()
    if not text:
        return 1
    if text.isascii() and text.isdigit() and len(text) <= 6 and int(text) >= 1:
        return int(text)
    return Notice(t(lang, "page.invalid"))
