"""The Discord client: slash commands, autocomplete, persistent buttons.

Interactions are acknowledged inside Discord's 3-second window: quick replies answer at
once, anything that renders an article defers first.  Rate limits are discord.py's job.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import discord
from discord import app_commands

from herald.content.render import discord_messages
from herald.core.commands import COMMANDS
from herald.core.i18n import Language, language_of, t
from herald.core.media import local_images
from herald.core.service import ReaderService
from herald.core.views import ArticleView, FeedPage, Notice, Reply, TagList

from .buttons import ActionButton
from .format import button_rows, feed_content, feed_embeds, feed_view, tags_content, tags_view

log = logging.getLogger(__name__)
PLATFORM = "discord"
_MAX_ATTACHMENT_BYTES = 8 * 1024 * 1024
_MAX_AUTOCOMPLETE = 25


def describe(name: str) -> str:
    command = next(c for c in COMMANDS if c.name == name)
    return command.en


class HeraldDiscord(discord.Client):
    def __init__(
        self,
        reader: ReaderService,
        *,
        content_dir: Path,
        default_language: Language,
        guild_id: int | None = None,
    ) -> None:
        # Content is quoted from posts: it must never ping a server (`@everyone` in a note).
        super().__init__(
            intents=discord.Intents.none() | discord.Intents(guilds=True),
            allowed_mentions=discord.AllowedMentions.none(),
        )
        self.reader = reader
        self.content_dir = content_dir.resolve()
        self.default_language: Language = default_language
        self.guild_id = guild_id
        self.tree = app_commands.CommandTree(self)
        self.tree.on_error = self._on_command_error  # type: ignore[method-assign]
        _register(self)

    async def setup_hook(self) -> None:
        self.add_dynamic_items(ActionButton)
        if self.guild_id is not None:
            guild = discord.Object(id=self.guild_id)
            self.tree.copy_global_to(guild=guild)
            await self.tree.sync(guild=guild)
        else:
            await self.tree.sync()

    def language(self, interaction: discord.Interaction[Any]) -> Language:
        return language_of(str(interaction.locale.value), self.default_language)

    # -- replies -------------------------------------------------------------------------

    async def respond(
        self,
        interaction: discord.Interaction[Any],
        reply: Reply,
        *,
        lang: Language,
        ephemeral: bool = False,
        edit: bool = False,
    ) -> None:
        """Send (or, for paging, edit in place) whatever the core answered."""
        if isinstance(reply, FeedPage):
            kwargs: dict[str, Any] = {
                "content": feed_content(reply),
                "embeds": feed_embeds(reply),
                "view": feed_view(reply),
            }
        elif isinstance(reply, TagList):
            kwargs = {"content": tags_content(reply), "view": tags_view(reply)}
        elif isinstance(reply, ArticleView):
            await self.send_article(interaction, reply, lang=lang, ephemeral=ephemeral)
            return
        else:
            ephemeral = ephemeral or reply.is_error
            kwargs = {"content": reply.text[:2000]}
        if edit:
            await interaction.response.edit_message(**kwargs)
        elif interaction.response.is_done():
            await interaction.followup.send(**kwargs, ephemeral=ephemeral)
        else:
            await interaction.response.send_message(**kwargs, ephemeral=ephemeral)

    async def send_article(
        self,
        interaction: discord.Interaction[Any],
        article: ArticleView,
        *,
        lang: Language,
        ephemeral: bool,
    ) -> None:
        if not interaction.response.is_done():
            await interaction.response.defer(ephemeral=ephemeral, thinking=True)
        tags = " ".join(f"#{tag}" for tag in article.tags)
        meta = " · ".join(part for part in (article.date_text, tags) if part)
        header = f"# {discord.utils.escape_markdown(article.title)}\n-# {meta}\n"
        chunks = discord_messages(article.document, header=header)
        files = self._local_images(article)
        view = button_rows([[article.back]])
        for index, chunk in enumerate(chunks):
            last = index == len(chunks) - 1
            extra: dict[str, Any] = {"view": view} if last else {}
            if last and files:
                extra["files"] = files
            await interaction.followup.send(chunk, ephemeral=ephemeral, **extra)

    def _local_images(self, article: ArticleView) -> list[discord.File]:
        found = local_images(self.content_dir, article, max_bytes=_MAX_ATTACHMENT_BYTES)
        return [
            discord.File(image.path, filename=image.path.name, description=image.alt[:1024])
            for image in found[:10]
        ]

    # -- buttons -------------------------------------------------------------------------

    async def handle_action(self, interaction: discord.Interaction[Any], payload: str) -> None:
        lang = self.language(interaction)
        reply = await self.reader.perform(payload, lang=lang)
        if reply is None:
            await interaction.response.defer()
            return
        if isinstance(reply, FeedPage):
            await self.respond(interaction, reply, lang=lang, edit=True)
        else:  # an article opened from a card is for the reader who pressed, not the channel
            await self.respond(interaction, reply, lang=lang, ephemeral=True)

    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        """Buttons that are not ours (forged, or from an older format) get a polite reply."""
        if interaction.type is not discord.InteractionType.component:
            return
        data: dict[str, Any] = dict(interaction.data or {})
        custom_id = str(data.get("custom_id", ""))
        if ActionButton.__discord_ui_compiled_template__.fullmatch(custom_id):
            return
        log.info("unknown component custom_id %r", custom_id[:100])
        if not interaction.response.is_done():
            lang = self.language(interaction)
            await interaction.response.send_message(t(lang, "action.stale"), ephemeral=True)

    async def _on_command_error(
        self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError
    ) -> None:
        log.error(
            "error in /%s", interaction.command.name if interaction.command else "?", exc_info=error
        )
        lang = self.language(interaction)
        text = t(lang, "error.internal")
        try:
            if interaction.response.is_done():
                await interaction.followup.send(text, ephemeral=True)
            else:
                await interaction.response.send_message(text, ephemeral=True)
        except discord.HTTPException:
            log.warning("could not tell the user about the error")


def _may_manage(interaction: discord.Interaction[Any]) -> bool:
    permissions = interaction.permissions
    return interaction.guild_id is None or permissions.manage_channels or permissions.administrator


async def _refused(
    client: HeraldDiscord, interaction: discord.Interaction[Any], lang: Language
) -> bool:
    """Channel subscriptions are for members who may manage the channel; others are told so."""
    if _may_manage(interaction):
        return False
    notice = Notice(t(lang, "subscribe.admins_only"))
    await client.respond(interaction, notice, lang=lang, ephemeral=True)
    return True


def _register(client: HeraldDiscord) -> None:
    tree = client.tree
    reader = client.reader

    @tree.command(name="latest", description=describe("latest"))
    @app_commands.describe(page="Page number")
    async def latest(
        interaction: discord.Interaction[Any], page: app_commands.Range[int, 1, 100000] = 1
    ) -> None:
        lang = client.language(interaction)
        await client.respond(interaction, await reader.latest(page, lang=lang), lang=lang)

    @tree.command(name="read", description=describe("read"))
    @app_commands.describe(article="Title or slug")
    async def read(interaction: discord.Interaction[Any], article: str) -> None:
        lang = client.language(interaction)
        await client.respond(interaction, await reader.article(article, lang=lang), lang=lang)

    @read.autocomplete("article")
    async def read_choices(
        interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        lang = client.language(interaction)
        found = (
            await reader.search(current, lang=lang, page_size=_MAX_AUTOCOMPLETE)
            if current.strip()
            else await reader.latest(1, lang=lang, page_size=_MAX_AUTOCOMPLETE)
        )
        if not isinstance(found, FeedPage):
            return []
        return [
            app_commands.Choice(name=card.title[:100], value=card.slug[:100])
            for card in found.cards
        ]

    @tree.command(name="search", description=describe("search"))
    @app_commands.describe(query="Words to look for")
    async def search(interaction: discord.Interaction[Any], query: str) -> None:
        lang = client.language(interaction)
        await client.respond(interaction, await reader.search(query, lang=lang), lang=lang)

    @tree.command(name="tags", description=describe("tags"))
    async def tags(interaction: discord.Interaction[Any]) -> None:
        lang = client.language(interaction)
        await client.respond(interaction, await reader.tags(lang=lang), lang=lang)

    @tree.command(name="tag", description=describe("tag"))
    @app_commands.describe(name="Tag name")
    async def tag(interaction: discord.Interaction[Any], name: str) -> None:
        lang = client.language(interaction)
        await client.respond(interaction, await reader.by_tag(name, lang=lang), lang=lang)

    @tag.autocomplete("name")
    async def tag_choices(
        interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        counted = await reader.posts.tags(now=reader._now())
        wanted = current.casefold()
        return [
            app_commands.Choice(name=f"{name} ({count})"[:100], value=name[:100])
            for name, count in counted
            if wanted in name.casefold()
        ][:_MAX_AUTOCOMPLETE]

    @tree.command(name="subscribe", description=describe("subscribe"))
    @app_commands.describe(tag="Only posts with this tag (optional)")
    async def subscribe(interaction: discord.Interaction[Any], tag: str | None = None) -> None:
        lang = client.language(interaction)
        if await _refused(client, interaction, lang):
            return
        tags = (tag,) if tag else ()
        chat = str(interaction.channel_id)
        notice = await reader.subscribe(PLATFORM, chat, tags, lang=lang)
        await client.respond(interaction, notice, lang=lang)

    subscribe.autocomplete("tag")(tag_choices)

    @tree.command(name="unsubscribe", description=describe("unsubscribe"))
    async def unsubscribe(interaction: discord.Interaction[Any]) -> None:
        lang = client.language(interaction)
        if await _refused(client, interaction, lang):
            return
        notice = await reader.unsubscribe(PLATFORM, str(interaction.channel_id), lang=lang)
        await client.respond(interaction, notice, lang=lang)

    @tree.command(name="help", description=describe("help"))
    async def help_command(interaction: discord.Interaction[Any]) -> None:
        lang = client.language(interaction)
        lines = [t(lang, "help.heading")]
        lines += [
            f"`/{c.name} {c.args}`".replace(" `", "`") + f" — {c.description(lang)}"
            for c in COMMANDS
            if c.name not in {"start", "language"}
        ]
        await interaction.response.send_message("\n".join(lines), ephemeral=True)
