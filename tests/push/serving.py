"""A running `run_service` against the fake Telegram server, for the fault tests.

The same harness as `test_push_e2e.py`, with the database where a test needs it (on a small
disk) and the send rate a test needs (slow enough that a fault lands mid-broadcast).
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from fakes.telegram_server import TOKEN, FakeTelegram

from herald.app import run_service
from herald.config import load_config
from tests.conftest import REPO, store_at
from tests.push.faults import until

BANNER = "INCOMING TRANSMISSION"


@dataclass
class Running:
    tg: FakeTelegram
    content: Path
    db: Path
    stop: asyncio.Event
    task: asyncio.Task[None]

    def cards(self, chat: int) -> list[str]:
        return [m.text or "" for m in self.tg.sent(chat) if (m.text or "").startswith(BANNER)]

    def texts(self, chat: int) -> list[str]:
        return [m.text or "" for m in self.tg.sent(chat)]

    async def finish(self) -> None:
        """Stop the service; it must end cleanly (no exception, no exit)."""
        self.stop.set()
        await asyncio.wait_for(self.task, 30)


def post(title: str, body: str = "新文章正文，讲 Self-supervised。") -> str:
    return f"---\ntitle: {title}\ndate: 2025-11-20T10:00:00+08:00\ntags: [LLM]\n---\n\n{body}\n"


@asynccontextmanager
async def running_service(
    tmp_path: Path, *, chats: list[int], db: Path | None = None, per_second: float = 1000.0
) -> AsyncIterator[Running]:
    """The bundled content, `chats` subscribed, the service started and polling."""
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    db = db or tmp_path / "h.db"
    async with FakeTelegram() as tg:
        config = tmp_path / "herald.toml"
        config.write_text(
            f'[content]\ndir = "{content}"\n[store]\npath = "{db}"\n'
            f'[bot]\ndefault_language = "en"\n'
            f'[telegram]\nbase_url = "{tg.base_url}"\npoll_timeout = 1.0\n'
            f"max_per_second = {per_second}\nmax_per_chat_per_second = 20.0\n"
            f"max_per_group_per_minute = 600.0\n[push]\nretry_base_seconds = 0.2\n",
            encoding="utf-8",
        )
        tg.known_chats.update(chats)
        async with await store_at(db) as store:
            for chat in chats:
                await store.subscriptions.subscribe("telegram", str(chat))
        stop = asyncio.Event()
        settings = load_config(config, environ={"HERALD_TELEGRAM_TOKEN": TOKEN})
        task = asyncio.create_task(run_service(settings, stop, handle_signals=False))
        await until(lambda: bool(tg.calls("getUpdates")) or task.done(), seconds=60)
        assert not task.done(), task.exception()
        try:
            yield Running(tg, content, db, stop, task)
        finally:
            stop.set()
            if not task.done():
                await asyncio.wait_for(task, 30)
