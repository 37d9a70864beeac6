"""The running service on PostgreSQL shares its token's send budget with other replicas.

`herald run` on a PostgreSQL store (the real python-telegram-bot stack, against a fake
Bot API that enforces Telegram's flood limits) gets its budget from the composition root:
the database's.  Two more replicas of the same token (processes, `budget_replica.py`)
broadcast meanwhile, and so does the service; a reader's /latest is answered ahead of all
three broadcasts, and together they never go over Telegram's limits.
"""

from __future__ import annotations

import asyncio
import shutil
import time
from pathlib import Path

import psycopg
from fakes.telegram_server import TOKEN, FakeTelegram

from herald.app import run_service
from herald.config import load_config
from herald.push.budget import budget_key
from herald.store import open_store
from tests.conftest import REPO
from tests.store.postgres.test_shared_budget_replicas import replicas

ALICE = 1001
SERVICE_SUBSCRIBERS = list(range(50_000, 50_100))
OTHERS = [list(range(90_000 + 1000 * rank, 90_000 + 1000 * rank + 150)) for rank in range(2)]


async def test_a_reader_is_answered_while_three_replicas_broadcast(
    tmp_path: Path, postgres_url: str
) -> None:
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    async with await open_store(postgres_url, excerpt_chars=350) as store:
        for chat in SERVICE_SUBSCRIBERS:
            await store.subscriptions.subscribe("telegram", str(chat))
    async with FakeTelegram(enforce_rate_limits=True) as tg:
        tg.known_chats.update([*SERVICE_SUBSCRIBERS, ALICE, *OTHERS[0], *OTHERS[1]])
        path = tmp_path / "herald.toml"
        path.write_text(
            f'[content]\ndir = "{content}"\n[store]\nurl = "{postgres_url}"\n'
            f'[bot]\ndefault_language = "en"\n'
            f'[telegram]\nbase_url = "{tg.base_url}"\npoll_timeout = 1.0\n'
            f"[push]\nretry_base_seconds = 0.2\nconcurrency = 32\n",
            encoding="utf-8",
        )
        config = load_config(path, environ={"HERALD_TELEGRAM_TOKEN": TOKEN})
        stop = asyncio.Event()
        service = asyncio.create_task(run_service(config, stop, handle_signals=False))
        try:
            await tg.wait_for(lambda: bool(tg.calls("getUpdates")) or service.done(), 60)
            assert not service.done(), service.exception()
            pushes = [*OTHERS, []]
            async with replicas(postgres_url, tg, pushes, [[], [], []]) as others:
                (content / "breaking.md").write_text(
                    "---\ntitle: Breaking\ndate: 2025-11-20\n---\n\nNews.\n", encoding="utf-8"
                )
                await tg.wait_for(lambda: any(tg.stats.sent_at[c] for c in SERVICE_SUBSCRIBERS))
                await tg.wait_for(lambda: tg.stats.sends >= 120, 30)
                asked = time.monotonic()
                await tg.user_sends(ALICE, "/latest")
                await tg.wait_for(lambda: bool(tg.sent(ALICE)), 30)
                answered = tg.stats.sent_at[ALICE][0]
                for replica in others:
                    await replica.result()
            await tg.wait_for(
                lambda: all(tg.stats.sent_at[chat] for chat in SERVICE_SUBSCRIBERS), 60
            )
        finally:
            stop.set()
            await asyncio.wait_for(service, 30)
        stats = tg.stats
    others = [moment for part in OTHERS for chat in part for moment in stats.sent_at[chat]]
    own = [moment for chat in SERVICE_SUBSCRIBERS for moment in stats.sent_at[chat]]
    assert any(moment > answered for moment in others)  # all three were broadcasting
    assert any(moment > answered for moment in own)
    assert answered - asked < 1.0
    assert stats.rejected_429 == 0
    assert stats.max_per_second <= 30
    assert tg.unanswered() == 0
    with psycopg.connect(postgres_url) as conn:
        budgets = conn.execute("SELECT budget FROM send_budgets").fetchall()
    assert budgets == [(budget_key("telegram", TOKEN),)]  # one budget, the service's too
