"""One typed configuration object, read once: environment beats file beats default.

Herald's own sections are modelled here; each platform's section is validated by that
platform's own settings model (`herald.adapters`), found through the adapter registry.
Tokens are never read from the file, only from the environment, and are kept in
`SecretStr` so they cannot leak through a repr, a log line or a validation error.
"""

from __future__ import annotations

import codecs
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    Strict,
    ValidationError,
    field_validator,
)

from herald.adapters import PlatformSettings, checked_url, platforms
from herald.content.sites import SiteOptions
from herald.core.i18n import DEFAULT_LANGUAGE, Language
from herald.limits import (
    ARTICLE_MESSAGES,
    EXCERPT_CHARS,
    LEASE_SECONDS,
    MAX_PAGE_SIZE,
    MAX_REMOVAL_SHARE,
    PAGE_SIZE,
    WEB_PORT,
)

CONFIG_ENV = "HERALD_CONFIG"
DATABASE_URL_ENV = "HERALD_DATABASE_URL"
DEFAULT_CONFIG_FILE = "herald.toml"


class ConfigError(Exception):
    """A configuration problem, phrased as one line that names the file and key."""


class _Section(BaseModel):
    # Strict: TOML already gives real types, so `page_size = "5"` or `enabled = "yes"` is a
    # mistake to point out, not a value to coerce (`true` is not a page size).
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


FilePath = Annotated[Path, Strict(False)]
"""A path is written as a TOML string: the one conversion strict mode must allow."""


class ContentConfig(_Section):
    dir: FilePath = Path("content")
    excerpt_chars: int = Field(EXCERPT_CHARS, ge=40, le=2000)
    max_removal_share: float = Field(MAX_REMOVAL_SHARE, ge=0, le=1)
    """A sync that would remove more than this share of the posts at once (or all of
    them) waits for the folder to settle before removing them."""
    site: Literal["auto", "jekyll", "hugo", "plain"] = "auto"
    """How the folder is read: as the Jekyll or Hugo site it is part of (`auto` looks),
    or as a plain folder of Markdown."""
    timezone: str | None = None
    """The zone naive dates are read in; else the site's own, else UTC."""
    encoding: str | None = None
    """Every post file is in this encoding; else UTF-8, detected when a file is not."""
    show_drafts: bool | None = None
    """Jekyll's `_drafts/` and Hugo's `draft: true` are posts; else the site's own
    `show_drafts` (Jekyll), else not."""

    @field_validator("timezone")
    @classmethod
    def _known_content_zone(cls, name: str | None) -> str | None:
        return None if name is None else BotConfig._known_zone(name)

    @field_validator("encoding")
    @classmethod
    def _known_encoding(cls, name: str | None) -> str | None:
        if name is None:
            return None
        try:
            codecs.lookup(name)
        except LookupError:
            raise ValueError(
                f'unknown encoding {name[:60]!r}; use a name such as "gb18030", '
                '"big5", "cp1252" or "utf-8"'
            ) from None
        return name

    def site_options(self) -> SiteOptions:
        """What these settings say about the site (each one set wins over the site's)."""
        return SiteOptions(self.site, self.timezone, self.encoding, self.show_drafts)


class StoreConfig(_Section):
    path: FilePath = Path("herald.db")
    """The SQLite file, the default store (used when no `url` is set)."""
    url: SecretStr | None = None
    """A shared store instead: `postgresql://user:password@host/db` (or `$HERALD_DATABASE_URL`,
    which wins).  Kept secret: its password never reaches a repr, a log line or an error."""

    @field_validator("url", mode="before")
    @classmethod
    def _postgres_url(cls, value: object) -> object:
        """Checked once here, without echoing the value (it holds a password)."""
        text = value.get_secret_value() if isinstance(value, SecretStr) else value
        if isinstance(text, str) and not text.startswith(("postgresql://", "postgres://")):
            raise ValueError('must be a PostgreSQL URL ("postgresql://user@host/database")')
        return value

    @property
    def location(self) -> Path | str:
        """What `herald.store.open_store` opens: the URL when one is set, else the file."""
        return self.url.get_secret_value() if self.url is not None else self.path

    def secrets(self) -> list[str]:
        """The URL's password, to keep out of the logs."""
        if self.url is None:
            return []
        password = urlsplit(self.url.get_secret_value()).password
        return [password] if password else []


class BotConfig(_Section):
    default_language: Language = DEFAULT_LANGUAGE
    page_size: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
    """Cards a page; Discord's pages hold at most 10 (its embeds a message) whatever this."""
    max_article_messages: int = Field(ARTICLE_MESSAGES, ge=1, le=100)
    """An article needing more messages than this is one message with ‹ › (a pager)."""
    timezone: str = "Asia/Shanghai"
    """Dates on cards are shown in this zone; stored times are always UTC."""

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, name: str) -> str:
        """Checked once here: the service would otherwise die on its first card."""
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            raise ValueError(
                f"unknown time zone {name[:60]!r}; use an IANA name such as "
                '"Asia/Shanghai", "Europe/Berlin" or "UTC"'
            ) from None
        return name


class PushConfig(_Section):
    enabled: bool = True
    notify_on_update: bool = False
    """Announce an already published post again when its file changes."""
    max_attempts: int = Field(8, ge=1, le=100)
    concurrency: int = Field(16, ge=1, le=512)
    """Deliveries in flight at once per platform: also the most a crash can repeat."""
    retry_base_seconds: float = Field(2.0, gt=0, le=600)
    """First backoff after a 5xx or timeout; doubles per attempt, capped at 10 minutes."""
    lease_seconds: float = Field(LEASE_SECONDS, ge=5, le=3600)
    """On a store replicas share: how long a replica's claim on a delivery stands unless
    renewed (a dead replica's in-flight deliveries go again after at most this long)."""


class WebConfig(_Section):
    """The web reader (issue 20, `herald.web`): off unless `port` or `listen` is set."""

    listen: str | None = None
    """The address to bind (alone: port `WEB_PORT`); with only `port` set, 127.0.0.1."""
    port: int | None = Field(None, ge=0, le=65535)
    base_url: str | None = None
    """The public URL readers open (behind a proxy); chat buttons link here when set."""

    @field_validator("base_url")
    @classmethod
    def _public_url(cls, url: str | None) -> str | None:
        return None if url is None else checked_url(url, ("https", "http")).rstrip("/")

    @property
    def enabled(self) -> bool:
        return self.port is not None or self.listen is not None

    @property
    def address(self) -> tuple[str, int]:
        return self.listen or "127.0.0.1", WEB_PORT if self.port is None else self.port


class Config(_Section):
    content: ContentConfig = ContentConfig()
    store: StoreConfig = StoreConfig()
    bot: BotConfig = BotConfig()
    push: PushConfig = PushConfig()
    web: WebConfig = WebConfig()
    platforms: dict[str, PlatformSettings] = Field(default_factory=dict, exclude=True)
    """Each installed platform's section, validated by its own settings model."""
    source: Path | None = Field(None, exclude=True)
    """The file this configuration was read from, for error messages."""

    def secrets(self) -> list[str]:
        """Every secret in this configuration, to keep out of the logs."""
        tokens = [secret for settings in self.platforms.values() for secret in settings.secrets()]
        return [*tokens, *self.store.secrets()]

    def without_tokens(self) -> Config:
        """The same configuration with every platform's token removed (`herald console`)."""
        bare = {
            name: settings.model_copy(update={"token": None})
            for name, settings in self.platforms.items()
        }
        return self.model_copy(update={"platforms": bare})


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
    raw: dict[str, Any] = _read_toml(source) if source is not None else {}
    sections = {name: raw.pop(name, {}) for name in platforms()}
    if env.get(DATABASE_URL_ENV, "").strip():  # the environment wins, as for tokens
        store = raw.get("store")
        url = env[DATABASE_URL_ENV].strip()
        raw["store"] = {**(store if isinstance(store, dict) else {}), "url": url}
    try:
        config = Config.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, source)) from None
    base = source.parent if source else Path()
    return config.model_copy(
        update={
            "source": source,
            "content": config.content.model_copy(
                update={"dir": content_dir or _rebase(config.content.dir, base)}
            ),
            "store": config.store.model_copy(
                # `--db FILE` names a SQLite file: it wins over a configured URL too.
                update={"path": db_path or _rebase(config.store.path, base)}
                | ({"url": None} if db_path else {})
            ),
            "platforms": {
                name: _platform_settings(name, section, env, source)
                for name, section in sections.items()
            },
        }
    )


def _platform_settings(
    name: str, section: object, env: Mapping[str, str], source: Path | None
) -> PlatformSettings:
    model = platforms()[name].settings_model
    if isinstance(section, dict) and "token" in section:
        where = f"{source or 'config'}: [{name}] token"
        raise ConfigError(
            f"{where}: tokens are not read from files; set the environment variable "
            f"{model.token_env}"
        )
    try:
        settings = model.model_validate(section)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, source, section=name)) from None
    token = env.get(model.token_env, "").strip() if model.token_env else ""
    return settings.model_copy(update={"token": SecretStr(token) if token else None})


def _rebase(path: Path, base: Path) -> Path:
    return path if path.is_absolute() else base / path


def _read_toml(source: Path) -> dict[str, Any]:
    try:
        data = source.read_bytes()
        # A BOM (Windows editors) is tolerated; anything else that is not UTF-8 is named.
        return tomllib.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConfigError(f"{source}: not UTF-8 text (line {line}); save it as UTF-8") from None
    except FileNotFoundError:
        raise ConfigError(f"{source}: config file not found") from None
    except IsADirectoryError:
        raise ConfigError(f"{source}: is a folder, not a config file") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{source}: cannot read: {exc.strerror}") from None


def _describe(exc: ValidationError, source: Path | None, *, section: str | None = None) -> str:
    """The first problem as `file: [section] key: message` (values are never echoed)."""
    error = exc.errors(include_url=False, include_input=False)[0]
    location = [str(part) for part in error["loc"]]
    if section is not None:
        location.insert(0, section)
    if len(location) >= 2:
        where = f"[{location[0]}] {'.'.join(location[1:])}"
    else:
        where = location[0] if location else "(top level)"
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        message = "unknown key"
    more = len(exc.errors()) - 1
    suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return f"{source or 'config'}: {where}: {message}{suffix}"
