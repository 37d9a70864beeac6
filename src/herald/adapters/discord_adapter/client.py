"""The Discord client: the registry's slash commands, autocomplete, persistent buttons.

Interactions are acknowledged inside Discord's 3-second window: quick replies answer at
once, anything that renders an article defers first.  Replies' rate limits are
discord.py's job; pushes are paced by the token's send budget.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from contextlib import AsyncExitStack
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import discord
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket
from discord.http import Route

from herald.adapters import AdapterError, Services
from herald.adapters.connecting import DEFAULT_BACKOFF, Backoff, keep_trying
from herald.adapters.discord_adapter import PLATFORM, DiscordSettings
from herald.core.actions import SetOption, decode
from herald.core.commands import Chat, Command, Request, execute
from herald.core.i18n import Language, language_of, parse_language, t
from herald.core.views import ArticleView, FeedPage, Notice, Reply
from herald.limits import DISCORD_CHOICES, DISCORD_EMBEDS_PER_MESSAGE
from herald.push.pacing import ChatLimits
from herald.render.discord_replies import reply_messages
from herald.render.web_links import with_reader_links

from .buttons import ActionButton
from .commands import RegistryTranslator, build_tree, choices
from .messenger import DiscordMessenger
from .settings_buttons import may_manage, press_setting
from .tag_menu import TagSelect
from .wire import send_arguments

log = logging.getLogger(__name__)
Interaction = discord.Interaction[Any]
_NETWORK_ERRORS = (aiohttp.ClientError, OSError, asyncio.TimeoutError)
"""Failures of the connection to Discord, not of Herald: logged as one line."""


def configure_endpoints(api_base: str, gateway_url: str | None) -> None:
    """Point discord.py at another REST base and gateway (a compatible server, or a test fake).

    discord.py keeps both as class attributes, so this is process-wide, like the library.
    """
    Route.BASE = api_base.rstrip("/")
    if gateway_url:
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)


class HeraldDiscord(discord.AutoShardedClient):
    """Herald on Discord: one client for the shards this process runs.

    Past 2,500 guilds Discord requires sharding: each shard's gateway connection carries
    the events (interactions included) of the guilds it owns, `(guild_id >> 22) %
    shard_count`, so a replica running `shard_ids` answers exactly those guilds.  With no
    `shard_count` Discord's recommendation is asked for and every shard runs here."""

    def __init__(
        self,
        services: Services,
        *,
        guild_id: int | None = None,
        shard_ids: list[int] | None = None,
        shard_count: int | None = None,
    ) -> None:
        shards: dict[str, Any] = {"shard_count": shard_count}
        if shard_ids is not None:
            shards["shard_ids"] = shard_ids
        # Content is quoted from posts: it must never ping a server (`@everyone` in a note).
        super().__init__(
            intents=discord.Intents.none() | discord.Intents(guilds=True),
            allowed_mentions=discord.AllowedMentions.none(),
            **shards,
        )
        # Pages hold at most 10 cards here (10 embeds a message), numbered that way.
        self.reader = services.reader.with_page_size_at_most(DISCORD_EMBEDS_PER_MESSAGE)
        self.default_language: Language = services.default_language
        self.metrics = services.metrics
        self.web_base_url = services.web_base_url
        self.guild_id = guild_id
        self.tree = app_commands.CommandTree(self)
        self.tree.on_error = self._on_command_error  # type: ignore[method-assign]
        build_tree(self)

    async def setup_hook(self) -> None:
        self.add_dynamic_items(ActionButton, TagSelect)
        await self.tree.set_translator(RegistryTranslator())
        if self.guild_id is not None:
            guild = discord.Object(id=self.guild_id)
            self.tree.copy_global_to(guild=guild)
            await self.tree.sync(guild=guild)
        else:
            await self.tree.sync()

    async def language(self, interaction: Interaction) -> Language:
        chosen = await self.reader.preferences.language(PLATFORM.name, str(interaction.user.id))
        locale = language_of(str(interaction.locale.value), self.default_language)
        return parse_language(chosen) or locale

    # -- commands ------------------------------------------------------------------------

    async def run_command(self, interaction: Interaction, command: Command, argument: str) -> None:
        lang = await self.language(interaction)
        if command.manages_chat and not may_manage(interaction):
            notice = Notice(t(lang, "subscribe.admins_only"))
            await self.respond(interaction, notice, ephemeral=True)
            return
        chat = Chat(
            PLATFORM.name,
            str(interaction.channel_id),
            user_id=str(interaction.user.id),
            private=interaction.guild_id is None,
        )
        reading_list = await self.reader.reading_list(chat.platform, chat.chat_id)
        request = Request(argument, lang, chat, reading_list)
        reply = await execute(self.reader, command, request, observer=self.metrics)
        await self.respond(interaction, reply, ephemeral=command.name == "help")

    async def complete_posts(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        lang = await self.language(interaction)
        found = (
            await self.reader.search(current, lang=lang, page_size=DISCORD_CHOICES)
            if current.strip()
            else await self.reader.latest(1, lang=lang, page_size=DISCORD_CHOICES)
        )
        if not isinstance(found, FeedPage):
            return []
        return choices([(card.title, card.slug) for card in found.cards])

    async def complete_tags(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """The tag being typed (the last word, for options that take several)."""
        done, _, typing = current.rpartition(" ")
        wanted = typing.casefold()
        counted = await self.reader.tag_counts()
        prefix = f"{done} " if done else ""
        matching = [(name, count) for name, count in counted if wanted in name.casefold()]
        return choices([(f"{name} ({count})", prefix + name) for name, count in matching])

    # -- replies -------------------------------------------------------------------------

    async def respond(
        self, interaction: Interaction, reply: Reply, *, ephemeral: bool = False, edit: bool = False
    ) -> None:
        """Send (or, for paging and a pager's ‹ ›, edit in place) what the core answered."""
        reply = with_reader_links(reply, self.web_base_url)
        if isinstance(reply, ArticleView) and not edit:
            await self.send_article(interaction, reply, ephemeral=ephemeral)
            return
        ephemeral = ephemeral or (isinstance(reply, Notice) and reply.is_error)
        [message] = reply_messages(reply)
        arguments = send_arguments(message)
        if edit:
            await interaction.response.edit_message(**arguments)
        elif interaction.response.is_done():
            await interaction.followup.send(**arguments, ephemeral=ephemeral)
        else:
            await interaction.response.send_message(**arguments, ephemeral=ephemeral)

    async def send_article(
        self, interaction: Interaction, article: ArticleView, *, ephemeral: bool
    ) -> None:
        if not interaction.response.is_done():
            await interaction.response.defer(ephemeral=ephemeral, thinking=True)
        for message in reply_messages(article):
            await interaction.followup.send(**send_arguments(message), ephemeral=ephemeral)

    # -- buttons -------------------------------------------------------------------------

    async def handle_action(self, interaction: Interaction, payload: str) -> None:
        lang = await self.language(interaction)
        change = decode(payload)
        if isinstance(change, SetOption):  # a /settings toggle: a deliberate write
            await press_setting(self.reader.subscriptions, interaction, change, lang=lang)
            return
        reply = await self.reader.perform(payload, lang=lang)
        if reply is None:
            await interaction.response.defer()
            return
        if isinstance(reply, FeedPage) or (isinstance(reply, ArticleView) and reply.show == "part"):
            await self.respond(interaction, reply, edit=True)
        else:  # an article opened from a card is for the reader who pressed, not the channel
            await self.respond(interaction, reply, ephemeral=True)

    async def on_interaction(self, interaction: Interaction) -> None:
        """Buttons that are not ours (forged, or from an older format) get a polite reply."""
        if interaction.type is not discord.InteractionType.component:
            return
        data: dict[str, Any] = dict(interaction.data or {})
        custom_id = str(data.get("custom_id", ""))
        if ActionButton.__discord_ui_compiled_template__.fullmatch(custom_id):
            return
        if TagSelect.__discord_ui_compiled_template__.fullmatch(custom_id):
            return
        log.info("unknown component custom_id %r", custom_id[:100])
        if not interaction.response.is_done():
            lang = await self.language(interaction)
            await interaction.response.send_message(t(lang, "action.stale"), ephemeral=True)

    async def _on_command_error(
        self, interaction: Interaction, error: app_commands.AppCommandError
    ) -> None:
        name = interaction.command.name if interaction.command else "?"
        cause = getattr(error, "original", error)
        if isinstance(cause, _NETWORK_ERRORS):  # Discord out of reach: expected, one line
            log.warning("could not answer /%s: %s: %s", name, type(cause).__name__, cause)
            return
        log.error("error in /%s", name, exc_info=error)
        text = t(await self.language(interaction), "error.internal")
        try:
            if interaction.response.is_done():
                await interaction.followup.send(text, ephemeral=True)
            else:
                await interaction.response.send_message(text, ephemeral=True)
        except (discord.HTTPException, *_NETWORK_ERRORS):
            log.warning("could not tell the user about the error")


class DiscordAdapter:
    def __init__(
        self, settings: DiscordSettings, services: Services, *, backoff: Backoff = DEFAULT_BACKOFF
    ) -> None:
        if settings.token is None:
            raise ValueError(f"no Discord token: set {settings.token_env}")
        self.settings = settings
        self.backoff = backoff
        configure_endpoints(settings.api_base, settings.gateway_url)
        self.client = HeraldDiscord(
            services,
            guild_id=settings.guild_id,
            shard_ids=settings.shard_ids,
            shard_count=settings.shard_count,
        )
        self.pacer = services.send_budget(
            PLATFORM.name,
            settings.token,
            ChatLimits(
                per_second=settings.max_per_second,
                per_chat_per_second=settings.max_per_channel_per_second,
            ),
        )

    async def open(self, stack: AsyncExitStack) -> DiscordMessenger:
        return DiscordMessenger(self.client, self.pacer, web_base_url=self.client.web_base_url)

    async def run(self, stop: asyncio.Event) -> None:
        client = self.client
        where = f"discord ({urlsplit(self.settings.api_base).netloc})"
        async with client:
            logged_in = await keep_trying(
                where, self._login, retryable=_passing, stop=stop, log=log, backoff=self.backoff
            )
            if logged_in is None:
                return
            # From here discord.py keeps the gateway connected itself, with its own backoff.
            runner = asyncio.create_task(client.connect(reconnect=True))
            stopper = asyncio.create_task(stop.wait())
            done, _ = await asyncio.wait({runner, stopper}, return_when=asyncio.FIRST_COMPLETED)
            if runner in done:
                stopper.cancel()
                runner.result()  # a failure the library would not retry surfaces here
                return
            await client.close()
            with contextlib.suppress(discord.ConnectionClosed, asyncio.CancelledError):
                await runner

    async def _login(self) -> bool:
        """One attempt: who are we, sync the slash commands.  A failed attempt leaves
        discord.py's HTTP session open; it is closed, with its connector, so the next
        attempt starts afresh instead of leaking one per try."""
        token = self.settings.token
        assert token is not None
        try:
            await self.client.login(token.get_secret_value())
        except discord.LoginFailure:
            env = self.settings.token_env
            raise AdapterError(f"discord: the token in {env} was rejected") from None
        except BaseException:
            await self.client.http.close()
            self.client.http.connector = discord.utils.MISSING
            raise
        return True


def _passing(exc: BaseException) -> bool:
    """Discord unreachable, slow or overloaded (5xx after discord.py's own retries)."""
    return isinstance(
        exc, OSError | aiohttp.ClientError | TimeoutError | discord.DiscordServerError
    )
