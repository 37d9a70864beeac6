"""Pages of a feed: the buttons that move between them, and a page number as typed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from herald.core.actions import Action, Feed, Noop
from herald.core.i18n import t
from herald.core.views import Button, Notice


def navigation(action: Feed, pages: int, lang: str) -> tuple[Button, ...]:
    """The moves between the pages of a feed."""
    return moves(action.page, pages, lambda page: replace(action, page=page), lang)


def moves(
    at: int, count: int, to: Callable[[int], Action], lang: str, *, labels: str = "button."
) -> tuple[Button, ...]:
    """First, previous, i/n, next, last — of pages or of an article's parts (`labels` is
    the sentences' prefix: `button.first` …, or `button.part_first` …).

    Never two buttons for the same move (Discord refuses duplicate custom_ids, and a reader
    gains nothing from them): "first"/"last" only where they differ from "previous"/"next".
    """
    if count <= 1:
        return ()
    buttons: list[Button] = []
    if at > 2:
        buttons.append(Button(t(lang, f"{labels}first"), to(1)))
    if at > 1:
        buttons.append(Button(t(lang, f"{labels}previous"), to(at - 1)))
    buttons.append(Button(f"{at}/{count}", Noop()))
    if at < count:
        buttons.append(Button(t(lang, f"{labels}next"), to(at + 1)))
    if at < count - 1:
        buttons.append(Button(t(lang, f"{labels}last"), to(count)))
    return tuple(buttons)


def page_argument(text: str, *, lang: str) -> int | Notice:
    """`/latest`, `/latest 2`: the page asked for, or a hint when it is not a page number."""
    text = text.strip()
    if not text:
        return 1
    if text.isascii() and text.isdigit() and len(text) <= 6 and int(text) >= 1:
        return int(text)
    return Notice(t(lang, "page.invalid"))
