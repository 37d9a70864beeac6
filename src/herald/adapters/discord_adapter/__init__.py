"""The Discord adapter (discord.py 2.x): settings here, the client in `client.py`.

This module stays light (no discord.py import), so reading the config costs nothing; the
library is imported when the platform is created.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field, field_validator, model_validator

from herald.adapters import Adapter, PlatformSettings, Services, checked_url
from herald.limits import DISCORD_MESSAGES_PER_CHANNEL_PER_SECOND, DISCORD_MESSAGES_PER_SECOND


class DiscordSettings(PlatformSettings):
    token_env: ClassVar[str | None] = "HERALD_DISCORD_TOKEN"
    api_base: str = "https://discord.com/api/v10"
    gateway_url: str | None = None
    """None: ask the API for the gateway, as Discord intends."""
    guild_id: int | None = Field(None, gt=0)
    """Sync slash commands to this guild only (instant, for development); None: globally."""
    max_per_second: float = Field(DISCORD_MESSAGES_PER_SECOND, gt=0)
    max_per_channel_per_second: float = Field(DISCORD_MESSAGES_PER_CHANNEL_PER_SECOND, gt=0)
    shard_count: int | None = Field(None, gt=0)
    """How many shards the bot has in all (every replica says the same); None: as many as
    Discord recommends, all run by this process."""
    shard_ids: list[int] | None = None
    """The shards this replica runs (each below `shard_count`); None: all of them."""

    @model_validator(mode="after")
    def _shards_within_count(self) -> DiscordSettings:
        if self.shard_ids is None:
            return self
        if self.shard_count is None:
            raise ValueError("shard_ids needs shard_count (the bot's shards in all)")
        wrong = [shard for shard in self.shard_ids if not 0 <= shard < self.shard_count]
        if wrong or not self.shard_ids or len(set(self.shard_ids)) != len(self.shard_ids):
            raise ValueError(
                f"shard_ids must be distinct shards from 0 to {self.shard_count - 1}, "
                f"got {self.shard_ids}"
            )
        return self

    @field_validator("api_base")
    @classmethod
    def _http_base(cls, url: str) -> str:
        return checked_url(url, ("https", "http"))

    @field_validator("gateway_url")
    @classmethod
    def _websocket(cls, url: str | None) -> str | None:
        return None if url is None else checked_url(url, ("wss", "ws"))


class DiscordPlatform:
    name = "discord"
    settings_model = DiscordSettings
    fallback = False

    def enabled(self, settings: PlatformSettings) -> bool:
        return settings.token is not None

    def create(self, settings: PlatformSettings, services: Services) -> Adapter:
        from herald.adapters.discord_adapter.client import DiscordAdapter

        assert isinstance(settings, DiscordSettings)
        return DiscordAdapter(settings, services)


PLATFORM = DiscordPlatform()
