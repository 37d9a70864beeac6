"""Pushes to Discord channels: the dispatcher's `Messenger` over discord.py.

discord.py already waits out 429s and retries 5xx a few times on its own (and must not be
fought); what still fails here is reported to the outbox by kind.
"""

from __future__ import annotations

import discord

from herald.core.i18n import t
from herald.core.views import Card
from herald.push.errors import PermanentFailure, TemporaryFailure
from herald.push.messenger import ChatLimits

from .format import button_rows, card_embed


class DiscordMessenger:
    platform = "discord"

    def __init__(self, client: discord.Client, limits: ChatLimits) -> None:
        self.client = client
        self.limits = limits

    def is_group(self, chat_id: str) -> bool:
        return False  # Discord paces per channel, the same for every channel

    async def send_card(self, chat_id: str, card: Card, *, lang: str) -> None:
        channel = self.client.get_partial_messageable(int(chat_id))
        try:
            await channel.send(
                content=f"**{t(lang, 'banner')}**",
                embed=card_embed(card, card.excerpt),
                view=button_rows([[card.read]]),
            )
        except (discord.Forbidden, discord.NotFound) as exc:
            raise PermanentFailure(f"{exc.status} {exc.text}") from None
        except discord.HTTPException as exc:
            raise TemporaryFailure(f"{exc.status} {exc.text}") from None
