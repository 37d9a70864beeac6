"""The outbound port of the push path: what a platform must offer to receive deliveries.

Kept to the few members pushing needs (like httpx's transport), so the dispatcher can be
tested with an in-memory messenger and each adapter implements it in a few lines.  The
`pacer` is the token's one send budget (`herald.push.budget`), shared with its replies
to readers.
"""

from __future__ import annotations

from typing import Protocol

from herald.core.records import Delivery
from herald.core.views import Announcement
from herald.push.budget import SendBudget


class Messenger(Protocol):
    platform: str

    @property
    def pacer(self) -> SendBudget:
        """The token's send budget, shared with its replies to readers."""
        ...

    def is_group(self, chat_id: str) -> bool:
        """Whether the chat is a group (slower per-chat limit on some platforms)."""
        ...

    async def send(self, delivery: Delivery, post: Announcement) -> None:
        """Deliver one post to the delivery's chat (in its topic, if it has one) as its
        `options` ask: silently or not; as the card, the article or its title; with or
        without a link preview.  Exactly one message, so a delivery is one send of the
        budget and is never half-sent; raise a DeliveryError on failure."""
        ...
