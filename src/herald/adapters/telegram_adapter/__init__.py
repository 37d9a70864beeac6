"""The Telegram adapter (python-telegram-bot v22): settings here, the bot in `bot.py`.

This module stays light (no python-telegram-bot import), so reading the config costs
nothing; the library is imported when the platform is created.
"""

from __future__ import annotations

import hashlib
from typing import ClassVar, Literal

from pydantic import Field, ValidationInfo, field_validator

from herald.adapters import Adapter, PlatformSettings, Services, checked_url
from herald.limits import (
    MAX_CHAT_BURST,
    TELEGRAM_CHAT_BURST,
    TELEGRAM_GROUP_MESSAGES_PER_MINUTE,
    TELEGRAM_MESSAGES_PER_CHAT_PER_SECOND,
    TELEGRAM_MESSAGES_PER_SECOND,
)


class TelegramSettings(PlatformSettings):
    token_env: ClassVar[str | None] = "HERALD_TELEGRAM_TOKEN"
    base_url: str = "https://api.telegram.org/bot"
    """Point at a self-hosted Bot API server (or the tests' fake one)."""
    mode: Literal["polling", "webhook"] = "polling"
    poll_timeout: float = Field(10.0, ge=0, le=50)
    """Long-polling wait in seconds; stopping the bot may take this long."""
    webhook_url: str | None = Field(None, validate_default=True)
    """The public HTTPS address Telegram calls; required by, and only used in, webhook mode."""
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(8443, ge=1, le=65535)
    max_per_second: float = Field(TELEGRAM_MESSAGES_PER_SECOND, gt=0)
    max_per_chat_per_second: float = Field(TELEGRAM_MESSAGES_PER_CHAT_PER_SECOND, gt=0)
    max_per_group_per_minute: float = Field(TELEGRAM_GROUP_MESSAGES_PER_MINUTE, gt=0)
    max_burst_per_chat: int = Field(TELEGRAM_CHAT_BURST, ge=1, le=MAX_CHAT_BURST)
    """Messages a chat may get at once before its sustained rate applies (its bucket)."""

    @field_validator("base_url")
    @classmethod
    def _http_base(cls, url: str) -> str:
        return checked_url(url, ("https", "http"))

    @field_validator("webhook_url")
    @classmethod
    def _webhook_matches_mode(cls, url: str | None, info: ValidationInfo) -> str | None:
        """A webhook without its URL used to poll silently, and a URL left in polling mode
        is ignored just as silently: either way the operator meant something else."""
        mode = info.data.get("mode")
        if mode == "webhook" and url is None:
            raise ValueError('mode = "webhook" needs webhook_url, the public HTTPS address')
        if mode == "polling" and url is not None:
            raise ValueError('is only used with mode = "webhook" (mode is "polling")')
        return None if url is None else checked_url(url, ("https",))

    def webhook_secret(self) -> str:
        """Telegram echoes this in a header on every webhook call, so forged POSTs are
        refused.  Derived from the token (never the token itself): stable across restarts."""
        assert self.token is not None
        digest = hashlib.sha256(b"herald-webhook:" + self.token.get_secret_value().encode())
        return digest.hexdigest()[:48]

    def secrets(self) -> list[str]:
        return [*super().secrets(), self.webhook_secret()] if self.token is not None else []


class TelegramPlatform:
    name = "telegram"
    settings_model = TelegramSettings
    fallback = False

    def enabled(self, settings: PlatformSettings) -> bool:
        return settings.token is not None

    def create(self, settings: PlatformSettings, services: Services) -> Adapter:
        from herald.adapters.telegram_adapter.bot import TelegramAdapter

        assert isinstance(settings, TelegramSettings)
        return TelegramAdapter(settings, services)


PLATFORM = TelegramPlatform()
