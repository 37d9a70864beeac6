"""What a chat asks of Herald beyond reading: its subscription, and the list it was shown.

A part of `ReaderService` (its base class), kept apart because it writes: subscribing is a
chat's deliberate change, and the reading list is remembered only when a command shows a
list (`herald.core.commands.execute`), never when a button is pressed.
"""

from __future__ import annotations

from dataclasses import replace

from herald.core.actions import Feed, ShowLatest, ShowSearch, ShowTag, decode, encode
from herald.core.i18n import t
from herald.core.ports import Preferences, Subscriptions
from herald.core.subscription_bounds import refusal, wanted_tags
from herald.core.views import Notice


class ChatDesk:
    subscriptions: Subscriptions
    preferences: Preferences

    async def reading_list(self, platform: str, chat_id: str) -> Feed | None:
        """The list a command last showed in this chat, if it is still a valid one."""
        payload = await self.preferences.reading_list(platform, chat_id)
        action = decode(payload) if payload else None
        return action if isinstance(action, ShowLatest | ShowTag | ShowSearch) else None

    async def remember_list(self, platform: str, chat_id: str, feed: Feed) -> None:
        """Written only when the chat turns to another list: paging writes nothing."""
        first_page = encode(replace(feed, page=1))
        if await self.preferences.reading_list(platform, chat_id) != first_page:
            await self.preferences.set_reading_list(platform, chat_id, first_page)

    async def subscribe(
        self,
        platform: str,
        chat_id: str,
        tags: tuple[str, ...] = (),
        *,
        lang: str,
        topic: str | None = None,
    ) -> Notice:
        tags = wanted_tags(tags)
        current = await self.subscriptions.get(platform, chat_id, topic=topic) if tags else None
        kept = current.tags if current is not None and current.active else ()
        refused = refusal(kept, tags, lang)
        if refused is not None:  # bounded: nothing is stored
            return refused
        subscription = await self.subscriptions.subscribe(
            platform, chat_id, tags, lang, topic=topic
        )
        if subscription.tags:
            return Notice(t(lang, "subscribe.tags", tags=", ".join(subscription.tags)))
        return Notice(t(lang, "subscribe.all"))

    async def unsubscribe(
        self,
        platform: str,
        chat_id: str,
        tags: tuple[str, ...] = (),
        *,
        lang: str,
        topic: str | None = None,
    ) -> Notice:
        before = await self.subscriptions.get(platform, chat_id, topic=topic)
        if before is None or not before.active:
            return Notice(t(lang, "unsubscribe.none"))
        after = await self.subscriptions.unsubscribe(
            platform, chat_id, tuple(tag.lstrip("#") for tag in tags), topic=topic
        )
        if after is not None and after.active:
            return Notice(t(lang, "unsubscribe.tags", tags=", ".join(after.tags)))
        return Notice(t(lang, "unsubscribe.done"))
