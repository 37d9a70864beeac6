"""Pushes to Discord channels: the dispatcher's `Messenger` over discord.py.

discord.py already waits out 429s and retries 5xx a few times on its own (and must not be
fought); what still fails here is reported to the outbox by kind.
"""

from __future__ import annotations

import discord

from herald.core.records import Delivery
from herald.core.views import Announcement
from herald.limits import NOT_CONNECTED_RETRY_SECONDS
from herald.push.budget import SendBudget
from herald.push.errors import PermanentFailure, RetryAfter, TemporaryFailure
from herald.render.discord_push import push_message, suppresses_previews
from herald.render.previews import first_web_link
from herald.render.web_links import with_reader_links

from .wire import send_arguments


class DiscordMessenger:
    platform = "discord"

    def __init__(
        self, client: discord.Client, pacer: SendBudget, *, web_base_url: str | None = None
    ) -> None:
        self.client = client
        self.pacer = pacer
        self.web_base_url = web_base_url
        """The web reader's public URL: pushed cards link there (issue 20)."""

    def is_group(self, chat_id: str) -> bool:
        return False  # Discord paces per channel, the same for every channel

    async def send(self, delivery: Delivery, post: Announcement) -> None:
        """One message in the channel (a thread is a channel of its own), as its options
        ask: silent is Discord's suppressed notifications (`@silent`)."""
        if not self.client.is_ready():
            # Still connecting (or reconnecting): not the channel's fault, so not counted.
            raise RetryAfter(NOT_CONNECTED_RETRY_SECONDS, "discord: not connected yet")
        options = delivery.options
        preview = first_web_link(post.article.document) if post.article else None
        message = push_message(with_reader_links(post, self.web_base_url), options, preview=preview)
        channel = self.client.get_partial_messageable(int(delivery.chat_id))
        try:
            await channel.send(
                **send_arguments(message),
                silent=options.silent,
                suppress_embeds=suppresses_previews(message, options),
            )
        except (discord.Forbidden, discord.NotFound) as exc:
            raise PermanentFailure(f"{exc.status} {exc.text}") from None
        except discord.HTTPException as exc:
            raise TemporaryFailure(f"{exc.status} {exc.text}") from None
