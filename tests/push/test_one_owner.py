"""Issue 14, case 8: two `herald run` on one database.

Real processes, as an operator would start them.  The second refuses to start with one
line and exit status 2 while the first is mid-broadcast; the first keeps delivering and
nothing is sent twice (on 494c7a0 the second's start-up recovery put the first one's
in-flight deliveries back in the queue, and both delivered).  `herald outbox` and
`herald sync` from another shell are not refused: the lock is only for serving.  The
SIGKILL case (a stale lock file must not block the restart) is
`test_crash_recovery.py`'s restart.
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from fakes.telegram_server import FakeTelegram

from tests.conftest import REPO, store_at
from tests.push.faults import outbox_states
from tests.push.test_crash_recovery import cards_per_chat, herald

SUBSCRIBERS = range(70_000, 70_040)


async def finished(process: asyncio.subprocess.Process) -> tuple[int, str]:
    _, stderr = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return process.returncode, stderr.decode()


async def test_a_second_herald_run_on_the_same_store_refuses_to_start(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    db = tmp_path / "h.db"
    async with FakeTelegram() as tg:
        config = tmp_path / "herald.toml"
        config.write_text(
            f'[content]\ndir = "{content}"\n[store]\npath = "{db}"\n'
            f'[telegram]\nbase_url = "{tg.base_url}"\npoll_timeout = 1.0\n'
            f"max_per_second = 8.0\nmax_per_chat_per_second = 20.0\n",
            encoding="utf-8",
        )
        tg.known_chats.update(SUBSCRIBERS)
        assert (await finished(await herald(config, "sync")))[0] == 0
        async with await store_at(db) as store:
            for chat in SUBSCRIBERS:
                await store.subscriptions.subscribe("telegram", str(chat))

        first = await herald(config, "run")
        await tg.wait_for(lambda: bool(tg.calls("getUpdates")), seconds=60)
        (content / "breaking.md").write_text(
            "---\ntitle: Breaking\ndate: 2025-11-20\n---\n\nNews.\n", encoding="utf-8"
        )
        await tg.wait_for(lambda: tg.stats.sends >= 5, seconds=60)  # mid-broadcast

        status, stderr = await finished(await herald(config, "run"))
        assert status == 2
        [line] = stderr.strip().splitlines()
        assert "already served by another herald" in line and str(first.pid) in line

        status, stdout_err = await finished(await herald(config, "outbox"))
        assert status == 0, stdout_err  # the other commands are not refused
        assert (await finished(await herald(config, "sync")))[0] == 0

        await tg.wait_for(lambda: all(tg.messages[c] for c in SUBSCRIBERS), seconds=90)
        await tg.wait_for(lambda: outbox_states(db) == {"sent": len(SUBSCRIBERS)}, seconds=60)
        first.terminate()
        status, stderr = await finished(first)
        assert status == 0, stderr
    counts = cards_per_chat(tg, SUBSCRIBERS)
    assert set(counts.values()) == {1}, counts  # every subscriber once, no one twice
