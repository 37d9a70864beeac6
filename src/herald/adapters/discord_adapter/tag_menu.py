"""The tag select menu (`render.discord_tags`): choosing a tag opens its feed.

A dynamic item like `ActionButton`: the client registers the class, so a menu on a
message sent before a restart still works, and each option's value is the tag's whole
action payload, validated by the core like any button's.  The feed it opens is for the
reader who chose (ephemeral), as an article opened from a card is: the card or page the
menu sits on stays as the channel sees it.
"""

from __future__ import annotations

from typing import Any, Protocol

import discord

from herald.core.actions import encode
from herald.core.i18n import Language
from herald.core.reader import ReaderService
from herald.core.views import Reply
from herald.limits import DISCORD_SELECT_OPTION_CHARS
from herald.render.discord_tags import TagMenu

TAG_MENU_ID = "herald-tags"
_PLACEHOLDER_CHARS = 150

Interaction = discord.Interaction[Any]


class TagOpener(Protocol):
    """What the menu needs of the client (`HeraldDiscord`)."""

    reader: ReaderService

    async def language(self, interaction: Interaction) -> Language: ...

    async def respond(
        self, interaction: Interaction, reply: Reply, *, ephemeral: bool = False, edit: bool = False
    ) -> None: ...


class TagSelect(discord.ui.DynamicItem[discord.ui.Select[Any]], template=TAG_MENU_ID):
    def __init__(self, select: discord.ui.Select[Any]) -> None:
        super().__init__(select)

    @classmethod
    def of(cls, menu: TagMenu) -> TagSelect:
        options = [
            discord.SelectOption(
                label=option.label[:DISCORD_SELECT_OPTION_CHARS], value=encode(option.action)
            )
            for option in menu.options
            if option.action is not None
        ]
        select: discord.ui.Select[Any] = discord.ui.Select(
            custom_id=TAG_MENU_ID,
            placeholder=menu.placeholder[:_PLACEHOLDER_CHARS],
            options=options,
        )
        return cls(select)

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Item[Any], match: Any, /
    ) -> TagSelect:
        assert isinstance(item, discord.ui.Select)
        return cls(item)

    async def callback(self, interaction: Interaction) -> None:
        opener: TagOpener = interaction.client  # type: ignore[assignment]
        chosen = self.item.values[0] if self.item.values else ""
        lang = await opener.language(interaction)
        reply = await opener.reader.perform(chosen, lang=lang)
        if reply is None:
            await interaction.response.defer()
            return
        await opener.respond(interaction, reply, ephemeral=True)
