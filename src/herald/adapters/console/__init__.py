"""The terminal adapter: chat with Herald on standard input, no token, no network.

The zero-setup default: `herald run` starts it when no other platform is enabled.
"""

from __future__ import annotations

from herald.adapters import Adapter, PlatformSettings, Services


class ConsoleSettings(PlatformSettings):
    """No keys yet: the console needs nothing to start."""


class ConsolePlatform:
    name = "console"
    settings_model = ConsoleSettings
    fallback = True

    def enabled(self, settings: PlatformSettings) -> bool:
        return False  # only ever the fallback

    def create(self, settings: PlatformSettings, services: Services) -> Adapter:
        from herald.adapters.console.session import ConsoleAdapter

        return ConsoleAdapter(services)


PLATFORM = ConsolePlatform()
