"""Exactly-once across a crash: a real `herald run` process is SIGKILLed mid-broadcast.

After the restart every subscriber has the post, and only deliveries that were in flight at
the moment of the kill (at most `[push] concurrency`) may have been sent twice.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import sys
from collections import Counter
from pathlib import Path

from fakes.telegram_server import TOKEN, FakeTelegram

from tests.conftest import REPO, store_at

SUBSCRIBERS = 2000
CONCURRENCY = 16


async def herald(config: Path, *args: str) -> asyncio.subprocess.Process:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HERALD_TELEGRAM_TOKEN": TOKEN,
        "PYTHONIOENCODING": "utf-8",
    }
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "herald",
        *args,
        "--config",
        str(config),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
        env=env,
    )


def cards_per_chat(tg: FakeTelegram, chats: range) -> Counter[int]:
    return Counter(
        {
            chat: sum(
                1 for m in tg.sent(chat) if (m.text or "").startswith("INCOMING TRANSMISSION")
            )
            for chat in chats
        }
    )


async def test_sigkill_mid_broadcast_then_restart_serves_everyone_once(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    chats = range(50_000, 50_000 + SUBSCRIBERS)
    async with FakeTelegram() as tg:
        config = tmp_path / "herald.toml"
        config.write_text(
            f'[content]\ndir = "{content}"\n[store]\npath = "{tmp_path / "h.db"}"\n'
            f'[telegram]\nbase_url = "{tg.base_url}"\npoll_timeout = 1.0\n'
            f"max_per_second = 5000.0\n[push]\nconcurrency = {CONCURRENCY}\n",
            encoding="utf-8",
        )
        tg.known_chats.update(chats)
        first = await herald(config, "sync")
        assert await first.wait() == 0
        async with await store_at(tmp_path / "h.db") as store:
            for chat in chats:
                await store.subscriptions.subscribe("telegram", str(chat))

        service = await herald(config, "run")
        await tg.wait_for(lambda: bool(tg.calls("getUpdates")), seconds=30)
        (content / "breaking.md").write_text(
            "---\ntitle: Breaking\ndate: 2025-11-20\n---\n\nNews.\n", encoding="utf-8"
        )
        await tg.wait_for(lambda: tg.stats.sends >= SUBSCRIBERS // 4, seconds=60)
        service.send_signal(signal.SIGKILL)
        assert await service.wait() == -signal.SIGKILL
        delivered_before = sum(1 for n in cards_per_chat(tg, chats).values() if n)
        assert delivered_before < SUBSCRIBERS  # it really died mid-broadcast

        restarted = await herald(config, "run")
        await tg.wait_for(lambda: all(tg.messages[c] for c in chats), seconds=120)
        restarted.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(restarted.wait(), 30) == 0, (
            await restarted.stderr.read()
        ).decode()  # type: ignore[union-attr]

    counts = cards_per_chat(tg, chats)
    assert all(counts[chat] >= 1 for chat in chats)
    duplicates = sum(1 for n in counts.values() if n > 1)
    assert duplicates <= CONCURRENCY, f"{duplicates} chats got the post twice"
    assert max(counts.values()) <= 2
    print(f"\ncrash test: {delivered_before} delivered before SIGKILL, {duplicates} duplicates")
