"""The registry's commands as a Discord app-command tree, with localised descriptions.

Each registry entry becomes an `app_commands.Command` whose one option (if any) is typed
from the entry's argument: a page is an integer in range, a language a choice, posts and
tags autocomplete.  Descriptions are `locale_str`s that `RegistryTranslator` answers from
`herald.core.i18n` (Discord sends them as `description_localizations`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from herald.core.actions import MAX_PAGE
from herald.core.commands import Argument, Command, commands_for, language_choices
from herald.core.i18n import DISCORD_LOCALES, FALLBACK, t
from herald.limits import DISCORD_CHOICE_CHARS, DISCORD_CHOICES

if TYPE_CHECKING:
    from .client import HeraldDiscord

Interaction = discord.Interaction[Any]
Run = Callable[[Interaction, str], Awaitable[None]]
"""What a command does with an interaction and its argument as text."""


class RegistryTranslator(app_commands.Translator):
    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        key = string.extras.get("key")
        for lang, locales in DISCORD_LOCALES.items():
            if key and locale.value in locales:
                return t(lang, key)
        return None


def _text(key: str) -> app_commands.locale_str:
    return app_commands.locale_str(t(FALLBACK, key), key=key)


def _callback(argument: Argument | None, run: Run) -> Callable[..., Coroutine[Any, Any, None]]:
    """A callback whose signature discord.py reads as the command's one option."""
    if argument is None:

        async def bare(interaction: Interaction) -> None:
            await run(interaction, "")

        return bare
    if argument.kind == "page":

        async def paged(
            interaction: Interaction, value: app_commands.Range[int, 1, MAX_PAGE] = 1
        ) -> None:
            await run(interaction, str(value))

        return paged
    if argument.required:

        async def required(interaction: Interaction, value: str) -> None:
            await run(interaction, value)

        return required

    async def optional(interaction: Interaction, value: str | None = None) -> None:
        await run(interaction, value or "")

    return optional


def build_tree(client: HeraldDiscord) -> None:
    for command in commands_for("discord"):
        client.tree.add_command(_app_command(client, command))


def _app_command(client: HeraldDiscord, command: Command) -> app_commands.Command[Any, ..., Any]:
    async def run(interaction: Interaction, argument: str) -> None:
        await client.run_command(interaction, command, argument)

    callback = _callback(command.argument, run)
    argument = command.argument
    if argument is not None:
        app_commands.rename(value=argument.name)(callback)
        app_commands.describe(value=_text(f"argument.{argument.name}"))(callback)
        if argument.kind == "language":
            choices = [app_commands.Choice(name=label, value=v) for v, label in language_choices()]
            app_commands.choices(value=choices)(callback)
        if argument.completes == "posts":
            app_commands.autocomplete(value=client.complete_posts)(callback)
        elif argument.completes == "tags":
            app_commands.autocomplete(value=client.complete_tags)(callback)
    return app_commands.Command(
        name=command.name, description=_text(f"command.{command.name}"), callback=callback
    )


def choices(pairs: list[tuple[str, str]]) -> list[app_commands.Choice[str]]:
    """(label, value) pairs as autocomplete choices within Discord's limits."""
    return [
        app_commands.Choice(name=label[:DISCORD_CHOICE_CHARS], value=value[:DISCORD_CHOICE_CHARS])
        for label, value in pairs[:DISCORD_CHOICES]
    ]
