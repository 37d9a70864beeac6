"""A /settings toggle pressed on Discord: who may press it, and the edit in place.

The same rule as `/subscribe`: in a server, members who may manage the channel (or
administrators), read from the interaction's resolved permissions of the person pressing,
which Discord sends with every press; in a DM, its owner.  The channel is the pressed
message's own, never the payload's (a thread is a channel of its own, so a thread's
settings are the thread's).
"""

from __future__ import annotations

from typing import Any

import discord

from herald.core.actions import SetOption
from herald.core.i18n import t
from herald.core.ports import Subscriptions
from herald.core.settings import apply
from herald.render.discord_replies import notice_message

from .wire import send_arguments

PLATFORM = "discord"
Interaction = discord.Interaction[Any]


def may_manage(interaction: Interaction) -> bool:
    """Channel subscriptions are for members who may manage the channel."""
    permissions = interaction.permissions
    return interaction.guild_id is None or permissions.manage_channels or permissions.administrator


async def press_setting(
    subscriptions: Subscriptions, interaction: Interaction, change: SetOption, *, lang: str
) -> None:
    """Refused, or the store refusing the write: an ephemeral line, nothing changed.
    Otherwise the option is stored and the settings message edited to show it."""
    if not may_manage(interaction):
        notice = t(lang, "subscribe.admins_only")
        await interaction.response.send_message(notice, ephemeral=True)
        return
    shown = await apply(
        subscriptions, PLATFORM, str(interaction.channel_id), change, topic=None, lang=lang
    )
    if shown.is_error:
        await interaction.response.send_message(shown.text, ephemeral=True)
        return
    await interaction.response.edit_message(**send_arguments(notice_message(shown)))
