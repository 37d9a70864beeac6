"""The outbound port of the push path: what a platform must offer to receive deliveries.

Kept to the few members pushing needs (like httpx's transport), so the dispatcher can be
tested with an in-memory messenger and each adapter implements it in a few lines.  The
`pacer` is the adapter's one send budget, shared with its replies to readers.
"""

from __future__ import annotations

from typing import Protocol

from herald.core.views import Card
from herald.push.pacing import Pacer


class Messenger(Protocol):
    platform: str
    pacer: Pacer

    def is_group(self, chat_id: str) -> bool:
        """Whether the chat is a group (slower per-chat limit on some platforms)."""
        ...

    async def send_card(self, chat_id: str, card: Card, *, lang: str) -> None:
        """Deliver one `INCOMING TRANSMISSION` card; raise a DeliveryError on failure."""
        ...
