"""Platform adapters as plugins: found through the `herald.adapters` entry points.

opsdroid's connector loader and errbot's `.plug` files, the Python way: every adapter
package exposes a `Platform` under that entry-point group (Herald's own are declared in
`pyproject.toml`), owns its settings model (its config section and the environment
variable holding its token), and turns the neutral services into a running `Adapter`.
Adding a platform is one package and one entry-point line; nothing here, in the config
or in the composition root changes.

Platform packages import their chat library only in `create`, so reading the config (and
`herald check`, `herald sync`) never pays for python-telegram-bot or discord.py.
"""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack
from dataclasses import dataclass
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Protocol
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from herald.core.i18n import Language
from herald.core.reader import ReaderService
from herald.push.budget import BudgetFactory, SendBudget, budget_key, in_process
from herald.push.messenger import Messenger
from herald.push.pacing import ChatLimits, SendObserver

if TYPE_CHECKING:
    from herald.metrics import Metrics

ENTRY_POINT_GROUP = "herald.adapters"


class PlatformSettings(BaseModel):
    """A platform's config section; subclasses add their keys (all with defaults)."""

    # Strict, like Herald's own sections: TOML gives real types, so `port = "8443"` is a
    # mistake to name, not a string to coerce.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    token_env: ClassVar[str | None] = None
    """The environment variable that holds the platform's secret; tokens never come from
    the config file."""
    token: SecretStr | None = Field(None, exclude=True)

    def secrets(self) -> list[str]:
        """Every secret this platform's settings hold or derive, to scrub from the logs."""
        return [self.token.get_secret_value()] if self.token is not None else []


class AdapterError(Exception):
    """A platform refused to start for a reason the operator can fix (a rejected token, a
    port already taken): one line, exit status 2, never the token."""


def checked_url(url: str, schemes: tuple[str, ...]) -> str:
    """`url` if it is absolute with one of `schemes` and a host; else a ValueError that
    says what is expected (settings validators call this, so it names the key)."""
    parts = urlsplit(url)
    if parts.scheme not in schemes or not parts.netloc:
        raise ValueError(f"should be an absolute {' or '.join(schemes)} URL")
    return url


@dataclass(frozen=True, slots=True)
class Services:
    """What an adapter is given: the neutral core, never the whole configuration."""

    reader: ReaderService
    content_dir: Path
    default_language: Language
    web_base_url: str | None = None
    """The web reader's public URL (`[web] base_url`): "open in reader" buttons link there."""
    metrics: Metrics | None = None
    """The service's metrics (`herald.metrics`): each send budget reports to them."""
    budgets: BudgetFactory = in_process
    """Where send budgets live: this process, or the store all replicas share."""

    def send_observer(self, platform: str) -> SendObserver | None:
        """What the platform's send budget reports to."""
        return None if self.metrics is None else self.metrics.meter(platform)

    def send_budget(self, platform: str, token: SecretStr, limits: ChatLimits) -> SendBudget:
        """The one budget of this platform's token (named by a hash of it, never by it)."""
        key = budget_key(platform, token.get_secret_value())
        return self.budgets(key, limits, observer=self.send_observer(platform))


class Adapter(Protocol):
    """One platform, connected."""

    async def open(self, stack: AsyncExitStack) -> Messenger:
        """Connect what pushes need (closed by `stack` when the service stops)."""
        ...

    async def run(self, stop: asyncio.Event) -> None:
        """Serve readers until `stop` is set (or, for a terminal, the input ends)."""
        ...


class Platform(Protocol):
    """The plugin an entry point names."""

    name: str
    """Its config section, its key in the store (subscriptions), and the entry point's name."""
    settings_model: type[PlatformSettings]
    fallback: bool
    """Started when no other platform is enabled (the console)."""

    def enabled(self, settings: PlatformSettings) -> bool:
        """Whether the configuration asks for this platform (its token is set, say)."""
        ...

    def create(self, settings: PlatformSettings, services: Services) -> Adapter: ...


@cache
def platforms() -> dict[str, Platform]:
    """Every installed platform, by name."""
    found: dict[str, Platform] = {}
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        platform: Platform = entry.load()
        found[platform.name] = platform
    return found
