"""A broadcast shared by three replicas, one SIGKILLed midway (issue 19).

Three `herald run` processes on one PostgreSQL database, Telegram in webhook mode behind
a round-robin balancer (the fake Bot API), deliver one new post to 2,000 subscribers
while readers keep asking for pages.  One replica is killed while it sends; the others
take its expired claims back and finish.  Every subscriber is served, only what the dead
one had in flight (at most `[push] concurrency` entries) may be sent twice, every reader
is answered meanwhile, and the fake, enforcing Telegram's limits, never counts more than
30 messages in a second from the three together nor answers one 429.
"""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import aiohttp
from fakes.telegram_server import FakeTelegram

from herald.store.postgres import open_store
from tests.conftest import REPO
from tests.push.test_crash_recovery import cards_per_chat
from tests.replicas import LEADS, Replica, free_port, replicas, until

SUBSCRIBERS = 2000
CONCURRENCY = 16
LEASE_SECONDS = 5
READERS = range(50_000, 50_006)
PUBLIC_URL = "https://bot.example.com/hook"
_SENT = re.compile(r'^herald_pushes_total\{[^}]*outcome="sent"[^}]*\} (\S+)$', re.M)


async def _pushes_sent(port: int) -> int:
    """What one replica says it delivered (its own /metrics)."""
    async with aiohttp.ClientSession() as http, http.get(f"http://127.0.0.1:{port}/metrics") as r:
        found = _SENT.search(await r.text())
    return int(float(found.group(1))) if found else 0


async def test_three_replicas_serve_every_subscriber_when_one_dies_midway(
    tmp_path: Path, postgres_url: str
) -> None:
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    chats = range(90_000, 90_000 + SUBSCRIBERS)
    ports = [free_port() for _ in range(3)]
    hooks = [free_port() for _ in range(3)]
    async with FakeTelegram(enforce_rate_limits=True) as tg:
        tg.known_chats.update(chats)
        tg.known_chats.update(READERS)
        configs = []
        for n, (port, hook) in enumerate(zip(ports, hooks, strict=True), 1):
            config = tmp_path / f"replica{n}.toml"
            config.write_text(
                f'[content]\ndir = "{content}"\n[store]\nurl = "{postgres_url}"\n'
                f'[web]\nlisten = "127.0.0.1"\nport = {port}\n'
                f'[telegram]\nbase_url = "{tg.base_url}"\nmode = "webhook"\n'
                f'webhook_url = "{PUBLIC_URL}"\nwebhook_port = {hook}\n'
                f"[push]\nconcurrency = {CONCURRENCY}\nlease_seconds = {LEASE_SECONDS}\n",
                encoding="utf-8",
            )
            configs.append(config)
        async with replicas(configs) as fleet:
            for replica in fleet:
                await replica.wait_logged("telegram: running as")
            tg.deliver_to([f"http://127.0.0.1:{hook}" for hook in hooks])
            store = await open_store(postgres_url, excerpt_chars=350)
            try:
                for chat in chats:
                    await store.subscriptions.subscribe("telegram", str(chat))
            finally:
                await store.close()

            (content / "breaking.md").write_text(
                "---\ntitle: Breaking\ndate: 2025-11-20\n---\n\nNews.\n", encoding="utf-8"
            )
            started = time.monotonic()
            victim, port = await _a_replica_sending(fleet, ports)
            victim.kill()
            await victim.process.wait()
            before = sum(1 for n in cards_per_chat(tg, chats).values() if n)
            assert before < SUBSCRIBERS, "it did not die midway"
            waits = [await _reader_waits(tg, reader) for reader in READERS]
            await tg.wait_for(lambda: all(tg.messages[c] for c in chats), seconds=300)
            took = time.monotonic() - started

    counts = cards_per_chat(tg, chats)
    assert all(counts[chat] >= 1 for chat in chats)
    duplicates = sum(1 for n in counts.values() if n > 1)
    assert duplicates <= CONCURRENCY, f"{duplicates} chats got the post twice"
    assert max(counts.values()) <= 2
    assert tg.stats.rejected_429 == 0
    assert tg.stats.max_per_second <= 30
    assert max(waits) < 5.0, waits  # replies go before the broadcast, on every replica
    readers_by = {delivered.replica for delivered in tg.webhook.delivered[-len(READERS) :]}
    assert len(readers_by) == 2  # the load balancer spread them over the two left alive
    led = "the leader" if victim.logged(LEADS) else "a follower"
    print(
        f"\nbroadcast to {SUBSCRIBERS} on 3 replicas, {led} SIGKILLed after {before} "
        f"delivered: all served in {took:.1f} s, {duplicates} duplicates, "
        f"peak {tg.stats.max_per_second}/s in total, 429s {tg.stats.rejected_429}, "
        f"readers answered in {min(waits):.2f}–{max(waits):.2f} s"
    )


async def _reader_waits(tg: FakeTelegram, reader: int) -> float:
    """How long a reader's /latest waits for its page while the broadcast goes on."""
    asked = time.monotonic()
    await tg.user_sends(reader, "/latest")
    await tg.wait_for(lambda: bool(tg.sent(reader)), seconds=60)
    return time.monotonic() - asked


async def _a_replica_sending(fleet: list[Replica], ports: list[int]) -> tuple[Replica, int]:
    """The first replica seen delivering, once at least two are (the broadcast is shared)."""
    found: list[int] = []

    async def two_sending() -> bool:
        found[:] = [n for n, port in enumerate(ports) if await _pushes_sent(port) >= 20]
        return len(found) >= 2

    await until(two_sending, seconds=60, every=0.1)
    return fleet[found[0]], ports[found[0]]
