"""Adapters are plugins: found through entry points, each validating its own section."""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack
from pathlib import Path
from typing import ClassVar

import pytest

import herald.adapters
from herald.adapters import Adapter, PlatformSettings, Services, platforms
from herald.app import enabled_adapters, open_app
from herald.config import ConfigError, load_config
from herald.core.records import Delivery
from herald.core.views import Announcement
from herald.push.pacing import ChatLimits, Pacer


def test_herald_s_own_platforms_are_found_through_entry_points() -> None:
    found = platforms()
    assert {"console", "telegram", "discord"} <= set(found)
    assert [name for name, platform in found.items() if platform.fallback] == ["console"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[telegram]\ncolour = 1\n", r"herald.toml: \[telegram\] colour: unknown key"),
        ('[telegram]\nmode = "carrier-pigeon"\n', r"\[telegram\] mode: Input should be"),
        ("[discord]\nmax_per_second = 0\n", r"\[discord\] max_per_second: Input should be"),
        ('[discord]\ntoken = "x"\n', r"\[discord\] token: .* HERALD_DISCORD_TOKEN"),
    ],
)
def test_each_platform_validates_its_own_section(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "herald.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=expected):
        load_config(path, environ={})


class PagerSettings(PlatformSettings):
    token_env: ClassVar[str | None] = "HERALD_PAGER_TOKEN"
    beep: bool = False


class PagerMessenger:
    platform = "pager"

    def __init__(self) -> None:
        self.pacer = Pacer(ChatLimits(per_second=10.0, per_chat_per_second=1.0))

    def is_group(self, chat_id: str) -> bool:
        return False

    async def send(self, delivery: Delivery, post: Announcement) -> None:
        raise NotImplementedError


class PagerAdapter:
    def __init__(self, settings: PagerSettings, services: Services) -> None:
        self.settings = settings
        self.services = services

    async def open(self, stack: AsyncExitStack) -> PagerMessenger:
        return PagerMessenger()

    async def run(self, stop: asyncio.Event) -> None:
        await stop.wait()


class PagerPlatform:
    """A platform package outside Herald, as its entry point would name it."""

    name = "pager"
    settings_model = PagerSettings
    fallback = False

    def enabled(self, settings: PlatformSettings) -> bool:
        return settings.token is not None

    def create(self, settings: PlatformSettings, services: Services) -> Adapter:
        assert isinstance(settings, PagerSettings)
        return PagerAdapter(settings, services)


async def test_a_new_platform_is_one_plugin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_pager = {**platforms(), "pager": PagerPlatform()}
    monkeypatch.setattr(herald.adapters, "platforms", lambda: with_pager)
    monkeypatch.setattr("herald.config.platforms", lambda: with_pager)
    monkeypatch.setattr("herald.app.platforms", lambda: with_pager)
    path = tmp_path / "herald.toml"
    path.write_text(
        f'[store]\npath = "{tmp_path / "h.db"}"\n[pager]\nbeep = true\n', encoding="utf-8"
    )
    config = load_config(path, environ={"HERALD_PAGER_TOKEN": "s3cret-pager-token"})
    settings = config.platforms["pager"]
    assert isinstance(settings, PagerSettings) and settings.beep
    assert "s3cret-pager-token" in config.secrets()
    async with open_app(config) as app:
        [adapter] = enabled_adapters(config, app.services())
    assert isinstance(adapter, PagerAdapter)
    without = enabled_adapters(config.without_tokens(), app.services())
    assert [type(a).__name__ for a in without] == ["ConsoleAdapter"]  # the fallback
