"""Persistent buttons: the whole action is in the custom_id (`herald:<payload>`).

As in discord.py's `examples/views/dynamic_counter.py`, the client registers the class,
not instances, so a button pressed on a message sent before a restart still dispatches.
The payload is validated by the core like any other; a forged one gets a polite reply.
"""

from __future__ import annotations

from typing import Any, Protocol

import discord

from herald.limits import DISCORD_BUTTON_LABEL_CHARS, DISCORD_CUSTOM_ID_CHARS, PAYLOAD_BYTES

CUSTOM_ID_PREFIX = "herald:"
assert len(CUSTOM_ID_PREFIX) + PAYLOAD_BYTES <= DISCORD_CUSTOM_ID_CHARS


class ActionHandler(Protocol):
    async def handle_action(self, interaction: discord.Interaction[Any], payload: str) -> None: ...


class ActionButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=CUSTOM_ID_PREFIX + rf"(?P<payload>[\x21-\x7e]{{1,{PAYLOAD_BYTES}}})",
):
    def __init__(
        self, payload: str, *, label: str = "·", row: int | None = None, disabled: bool = False
    ) -> None:
        super().__init__(
            discord.ui.Button(
                label=label[:DISCORD_BUTTON_LABEL_CHARS],
                custom_id=CUSTOM_ID_PREFIX + payload,
                style=discord.ButtonStyle.secondary,
                disabled=disabled,
            ),
            row=row,
        )
        self.payload = payload

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: Any,
        /,
    ) -> ActionButton:
        return cls(match["payload"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        handler: ActionHandler = interaction.client  # type: ignore[assignment]
        await handler.handle_action(interaction, self.payload)
