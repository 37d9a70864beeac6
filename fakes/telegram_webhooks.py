"""Webhook delivery for the fake Bot API: Telegram's side of `setWebhook`, with a load
balancer in front of the bot's replicas.

Telegram POSTs each update as JSON to the registered URL, with the registered secret in
`X-Telegram-Bot-Api-Secret-Token`, and delivers it again until it gets a 2xx answer.
Behind a load balancer the URL is one public address and each POST reaches one replica:
here the test names the replicas' local addresses (`deliver_to`) and each POST goes to
the next one in turn (round robin), a failed one to the next again.  Updates go one at a
time, in order, as Telegram does for one chat.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import aiohttp

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
RETRY_SECONDS = 0.2
"""Telegram waits longer before delivering again; the tests need not."""


@dataclass
class Delivered:
    update_id: int
    replica: int
    """Which of the addresses given to `deliver_to` answered it (its index)."""


@dataclass
class Webhook:
    """What `setWebhook` registered, and the deliveries made to it."""

    url: str | None = None
    secret_token: str | None = None
    targets: list[str] = field(default_factory=list)
    delivered: list[Delivered] = field(default_factory=list)
    failed_posts: int = 0
    """POSTs that got no 2xx answer (each update is then delivered again)."""
    _queue: asyncio.Queue[dict[str, Any]] = field(default_factory=asyncio.Queue)
    _ready: asyncio.Event = field(default_factory=asyncio.Event)
    _posts: int = 0

    @property
    def active(self) -> bool:
        return self.url is not None

    def register(self, url: str, secret_token: str | None) -> None:
        self.url, self.secret_token = url, secret_token

    def deliver_to(self, addresses: list[str]) -> None:
        """The replicas behind the load balancer: `http://127.0.0.1:<port>` each; the
        registered URL's path is kept, as a load balancer forwards it."""
        self.targets = list(addresses)
        self._ready.set()

    @property
    def next_replica(self) -> int:
        """Whose turn the next POST is (an index into the addresses)."""
        return self._posts % len(self.targets)

    def push(self, update: dict[str, Any]) -> None:
        self._queue.put_nowait(update)

    async def run(self, changed: asyncio.Condition) -> None:
        """Deliver queued updates for as long as the fake runs."""
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as http:
            while True:
                update = await self._queue.get()
                await self._ready.wait()
                await self._deliver(http, update)
                async with changed:
                    changed.notify_all()

    async def _deliver(self, http: aiohttp.ClientSession, update: dict[str, Any]) -> None:
        assert self.url is not None
        path = urlsplit(self.url).path
        headers = {SECRET_HEADER: self.secret_token} if self.secret_token else {}
        while True:
            replica = self.next_replica
            self._posts += 1
            with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                async with http.post(
                    self.targets[replica] + path, json=update, headers=headers
                ) as answer:
                    if 200 <= answer.status < 300:
                        self.delivered.append(Delivered(int(update["update_id"]), replica))
                        return
            self.failed_posts += 1
            await asyncio.sleep(RETRY_SECONDS)
