"""Rendered messages onto discord.py's objects: embeds, persistent buttons, files."""

from __future__ import annotations

from typing import Any

import discord

from herald.core.actions import Noop, encode
from herald.limits import (
    DISCORD_ACTION_ROWS,
    DISCORD_ATTACHMENT_DESCRIPTION_CHARS,
    DISCORD_BUTTON_LABEL_CHARS,
    DISCORD_COMPONENTS_PER_ROW,
)
from herald.render.discord_replies import DiscordMessage, Embed, Rows
from herald.render.discord_tags import TagMenu

from .buttons import ActionButton
from .tag_menu import TagSelect


def view(rows: Rows, tags: TagMenu | None = None) -> discord.ui.View:
    """Buttons are dynamic items: the action lives in the custom_id, not in this object.
    The tag menu, if any, takes the next row (a select fills a row alone)."""
    buttons = discord.ui.View(timeout=None)
    filled = [r for r in rows if r]
    for row_index, row in enumerate(filled):
        for button in row[:DISCORD_COMPONENTS_PER_ROW]:
            label = button.label[:DISCORD_BUTTON_LABEL_CHARS]
            if button.url:
                buttons.add_item(discord.ui.Button(label=label, url=button.url, row=row_index))
            elif button.action is not None:
                buttons.add_item(
                    ActionButton(
                        encode(button.action),
                        label=label,
                        row=row_index,
                        disabled=isinstance(button.action, Noop),
                    )
                )
    if tags is not None and len(filled) < DISCORD_ACTION_ROWS:
        # Placed last and by the view: the first row still empty, the one below the
        # buttons (discord.py 2.7's Select shadows `row` with a slot, so it is not set).
        buttons.add_item(TagSelect.of(tags))
    return buttons


def _embed(spec: Embed) -> discord.Embed:
    embed = discord.Embed(
        title=spec.title, description=spec.description, colour=spec.colour, url=spec.url
    )
    if spec.footer:
        embed.set_footer(text=spec.footer)
    return embed


def send_arguments(message: DiscordMessage, *, with_files: bool = True) -> dict[str, Any]:
    """Keyword arguments for `send`, `send_message` or `edit_message`."""
    arguments: dict[str, Any] = {"content": message.content}
    if message.embeds:
        arguments["embeds"] = [_embed(embed) for embed in message.embeds]
    if message.rows or message.tag_menu:
        arguments["view"] = view(message.rows, message.tag_menu)
    if with_files and message.files:
        arguments["files"] = [
            discord.File(
                image.path,
                filename=image.path.name,
                description=image.alt[:DISCORD_ATTACHMENT_DESCRIPTION_CHARS],
            )
            for image in message.files
        ]
    return arguments
