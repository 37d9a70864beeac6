"""One typed configuration object, read once: environment beats file beats default.

Tokens are never read from the file, only from the environment, and are kept in
`SecretStr` so they cannot leak through a repr, a log line or a validation error.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from herald.limits import EXCERPT_CHARS

TELEGRAM_TOKEN_ENV = "HERALD_TELEGRAM_TOKEN"
DISCORD_TOKEN_ENV = "HERALD_DISCORD_TOKEN"
CONFIG_ENV = "HERALD_CONFIG"
DEFAULT_CONFIG_FILE = "herald.toml"


class ConfigError(Exception):
    """A configuration problem, phrased as one line that names the file and key."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ContentConfig(_Section):
    dir: Path = Path("content")
    excerpt_chars: int = Field(EXCERPT_CHARS, ge=40, le=2000)


class StoreConfig(_Section):
    path: Path = Path("herald.db")


class BotConfig(_Section):
    default_language: Literal["zh", "en"] = "zh"
    page_size: int = Field(5, ge=1, le=10)
    timezone: str = "Asia/Shanghai"
    """Dates on cards are shown in this zone; stored times are always UTC."""


class TelegramConfig(_Section):
    base_url: str = "https://api.telegram.org/bot"
    """Point at a self-hosted Bot API server (or the tests' fake one)."""
    mode: Literal["polling", "webhook"] = "polling"
    poll_timeout: float = Field(10.0, ge=0, le=50)
    """Long-polling wait in seconds; stopping the bot may take this long."""
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(8443, ge=1, le=65535)
    max_per_second: float = Field(30.0, gt=0)
    max_per_chat_per_second: float = Field(1.0, gt=0)
    max_per_group_per_minute: float = Field(20.0, gt=0)
    token: SecretStr | None = Field(None, exclude=True)


class DiscordConfig(_Section):
    api_base: str = "https://discord.com/api/v10"
    gateway_url: str | None = None
    """None: ask the API for the gateway, as Discord intends."""
    guild_id: int | None = None
    """Sync slash commands to this guild only (instant, for development); None: globally."""
    max_per_second: float = Field(40.0, gt=0)
    max_per_channel_per_second: float = Field(4.0, gt=0)
    token: SecretStr | None = Field(None, exclude=True)


class PushConfig(_Section):
    enabled: bool = True
    notify_on_update: bool = False
    """Announce an already published post again when its file changes."""
    max_attempts: int = Field(8, ge=1)
    concurrency: int = Field(16, ge=1, le=512)
    """Deliveries in flight at once per platform: also the most a crash can repeat."""
    retry_base_seconds: float = Field(2.0, gt=0)
    """First backoff after a 5xx or timeout; doubles per attempt, capped at 10 minutes."""


class Config(_Section):
    content: ContentConfig = ContentConfig()
    store: StoreConfig = StoreConfig()
    bot: BotConfig = BotConfig()
    telegram: TelegramConfig = TelegramConfig()
    discord: DiscordConfig = DiscordConfig()
    push: PushConfig = PushConfig()
    source: Path | None = Field(None, exclude=True)
    """The file this configuration was read from, for error messages."""


def load_config(
    path: Path | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    content_dir: Path | None = None,
    db_path: Path | None = None,
) -> Config:
    """Read the config file (explicit, `$HERALD_CONFIG`, or `./herald.toml` if present).

    Relative paths in the file are taken relative to the file's folder, so a config works
    from any working directory; command-line overrides are taken relative to the cwd.
    """
    env = os.environ if environ is None else environ
    explicit = path or (Path(env[CONFIG_ENV]) if env.get(CONFIG_ENV) else None)
    source = explicit or (
        Path(DEFAULT_CONFIG_FILE) if Path(DEFAULT_CONFIG_FILE).is_file() else None
    )
    raw: dict[str, Any] = {}
    if source is not None:
        raw = _read_toml(source)
        for platform, variable in (
            ("telegram", TELEGRAM_TOKEN_ENV),
            ("discord", DISCORD_TOKEN_ENV),
        ):
            section = raw.get(platform)
            if isinstance(section, dict) and "token" in section:
                raise ConfigError(
                    f"{source}: [{platform}] token: tokens are not read from files; "
                    f"set the environment variable {variable}"
                )
    try:
        config = Config.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, source)) from None
    base = source.parent if source else Path()
    content = content_dir or _rebase(config.content.dir, base)
    database = db_path or _rebase(config.store.path, base)
    telegram_token = env.get(TELEGRAM_TOKEN_ENV, "").strip()
    discord_token = env.get(DISCORD_TOKEN_ENV, "").strip()
    return config.model_copy(
        update={
            "source": source,
            "content": config.content.model_copy(update={"dir": content}),
            "store": config.store.model_copy(update={"path": database}),
            "telegram": config.telegram.model_copy(
                update={"token": SecretStr(telegram_token) if telegram_token else None}
            ),
            "discord": config.discord.model_copy(
                update={"token": SecretStr(discord_token) if discord_token else None}
            ),
        }
    )


def _rebase(path: Path, base: Path) -> Path:
    return path if path.is_absolute() else base / path


def _read_toml(source: Path) -> dict[str, Any]:
    try:
        with source.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"{source}: config file not found") from None
    except IsADirectoryError:
        raise ConfigError(f"{source}: is a folder, not a config file") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{source}: cannot read: {exc.strerror}") from None


def _describe(exc: ValidationError, source: Path | None) -> str:
    """The first problem as `file: [section] key: message` (values are never echoed)."""
    error = exc.errors(include_url=False, include_input=False)[0]
    location = [str(part) for part in error["loc"]]
    if len(location) >= 2:
        where = f"[{location[0]}] {'.'.join(location[1:])}"
    else:
        where = location[0] if location else "(top level)"
    message = error["msg"]
    if error["type"] == "extra_forbidden":
        message = "unknown key"
    more = len(exc.errors()) - 1
    suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return f"{source or 'config'}: {where}: {message}{suffix}"
