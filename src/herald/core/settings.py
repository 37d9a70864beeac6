"""How a subscription's pushes are sent: `/settings`, its buttons, and the options shown
under `/subscribe`.

The view is a `Notice` whose rows are toggles (`SetOption` buttons).  A toggle names the
value it sets, not the subscription: the adapter takes the chat and topic from the
message that was pressed and checks that the person pressing may manage that chat, so a
payload can neither reach another chat nor be pressed by any member.  Pressing is a
deliberate write (the one kind of button that writes), and the adapter edits the settings
message in place with the view that comes back.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from herald.core.actions import SetOption
from herald.core.i18n import t
from herald.core.ports import StoreUnavailable, Subscriptions
from herald.core.records import SEND_MODES, PushOptions, SendMode, Subscription
from herald.core.views import Button, Notice

log = logging.getLogger(__name__)
_ON = frozenset({"on", "yes", "true", "1", "开"})
_OFF = frozenset({"off", "no", "false", "0", "关"})
_OPTION_WORDS = {"silent": "silent", "mode": "mode", "preview": "link_preview"}
_MODE_WORDS: dict[str, SendMode] = {
    "card": "card",
    "article": "article",
    "full": "article",
    "title": "title",
}


def parse_change(argument: str) -> SetOption | None:
    """`silent on`, `mode article`, `preview off` (case-insensitive) → the change asked
    for; None for anything else."""
    words = argument.casefold().split()
    if len(words) != 2 or words[0] not in _OPTION_WORDS:
        return None
    name, value = _OPTION_WORDS[words[0]], words[1]
    if name == "mode":
        mode = _MODE_WORDS.get(value)
        return SetOption("mode", mode) if mode else None
    if value in _ON or value in _OFF:
        return SetOption("silent" if name == "silent" else "link_preview", value in _ON)
    return None


def changed(options: PushOptions, change: SetOption) -> PushOptions:
    value = change.value
    if change.name == "mode" and isinstance(value, str):
        return replace(options, mode=value)
    if change.name == "silent" and isinstance(value, bool):
        return replace(options, silent=value)
    if change.name == "link_preview" and isinstance(value, bool):
        return replace(options, link_preview=value)
    return options


def _state(on: bool, lang: str) -> str:
    return t(lang, "settings.on" if on else "settings.off")


def toggles(options: PushOptions, lang: str) -> tuple[tuple[Button, ...], ...]:
    """The rows of buttons: silent, the three send modes (the current one ticked), link
    preview.  Each sets the value it shows it would change to."""
    silent = Button(
        t(lang, "button.silent", state=_state(options.silent, lang)),
        SetOption("silent", not options.silent),
    )
    modes = tuple(
        Button(
            t(lang, "settings.chosen", label=t(lang, f"settings.mode.{mode}"))
            if mode == options.mode
            else t(lang, f"settings.mode.{mode}"),
            SetOption("mode", mode),
        )
        for mode in SEND_MODES
    )
    preview = Button(
        t(lang, "button.preview", state=_state(options.link_preview, lang)),
        SetOption("link_preview", not options.link_preview),
    )
    return ((silent,), modes, (preview,))


def summary(subscription: Subscription, lang: str) -> str:
    options = subscription.options
    what = (
        t(lang, "settings.tagged", tags=", ".join(subscription.tags))
        if subscription.tags
        else t(lang, "settings.everything")
    )
    return t(
        lang,
        "settings.summary",
        scope=t(lang, "settings.scope.topic" if subscription.topic else "settings.scope.chat"),
        what=what,
        silent=_state(options.silent, lang),
        mode=t(lang, f"settings.mode.{options.mode}"),
        preview=_state(options.link_preview, lang),
    )


def settings_view(subscription: Subscription | None, lang: str) -> Notice:
    """The settings message: what is subscribed here, how it is sent, the toggles."""
    if subscription is None or not subscription.active:
        return Notice(t(lang, "settings.not_subscribed"))
    text = f"{summary(subscription, lang)}\n\n{t(lang, 'settings.hint')}"
    return Notice(
        text, heading=t(lang, "settings.heading"), rows=toggles(subscription.options, lang)
    )


def with_settings(notice: Notice, subscription: Subscription | None, lang: str) -> Notice:
    """A `/subscribe` confirmation with the subscription's options and their toggles."""
    if notice.is_error or subscription is None or not subscription.active:
        return notice
    text = f"{notice.text}\n\n{summary(subscription, lang)}"
    return replace(notice, text=text, rows=toggles(subscription.options, lang))


async def apply(
    subscriptions: Subscriptions,
    platform: str,
    chat_id: str,
    change: SetOption,
    *,
    topic: str | None,
    lang: str,
) -> Notice:
    """Set one option of the subscription here and show the settings as they now are.
    Nothing subscribed: nothing stored, the hint to subscribe first.  A store refusing
    writes (disk full, locked) is a polite "try again", as for every command."""
    try:
        current = await subscriptions.get(platform, chat_id, topic=topic)
        if current is None or not current.active:
            return settings_view(None, lang)
        updated = await subscriptions.set_options(
            platform, chat_id, changed(current.options, change), topic=topic
        )
    except StoreUnavailable as fault:
        log.warning("a setting could not be saved in %s:%s: %s", platform, chat_id, fault)
        return Notice(t(lang, "store.unavailable"), is_error=True)
    return settings_view(updated, lang)


async def settings_command(
    subscriptions: Subscriptions,
    platform: str,
    chat_id: str,
    argument: str,
    *,
    topic: str | None,
    lang: str,
) -> Notice:
    """`/settings` shows them; `/settings silent on` (and the like) changes one first."""
    if not argument.strip():
        return settings_view(await subscriptions.get(platform, chat_id, topic=topic), lang)
    change = parse_change(argument)
    if change is None:
        return Notice(t(lang, "settings.usage"), is_error=True)
    return await apply(subscriptions, platform, chat_id, change, topic=topic, lang=lang)
