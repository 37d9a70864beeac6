"""The outbound port of the push path: what a platform must offer to receive deliveries.

Kept to the few methods pushing needs (like httpx's transport), so the dispatcher can be
tested with an in-memory messenger and each adapter implements it in a few lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from herald.core.views import Card


@dataclass(frozen=True, slots=True)
class ChatLimits:
    """Sending rates a platform allows; `per_group_per_minute` applies to group chats."""

    per_second: float
    per_chat_per_second: float
    per_group_per_minute: float | None = None


class Messenger(Protocol):
    platform: str
    limits: ChatLimits

    def is_group(self, chat_id: str) -> bool:
        """Whether the chat is a group (slower per-chat limit on some platforms)."""
        ...

    async def send_card(self, chat_id: str, card: Card, *, lang: str) -> None:
        """Deliver one `INCOMING TRANSMISSION` card; raise a DeliveryError on failure."""
        ...
