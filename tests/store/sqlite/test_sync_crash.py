"""A first sync killed half-way leaves a usable, empty store that the next sync fills.

A large first sync writes straight into the database file under a rollback journal
(`Database.transaction(bulk_load=True)`), so this is the case where a crash must be
undone by SQLite's journal rather than by simply ignoring an uncommitted WAL.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
from pathlib import Path

from herald.indexing.sync import BULK_INDEXING_THRESHOLD, sync
from herald.store.sqlite import open_store
from tests.conftest import WritePost

POSTS = BULK_INDEXING_THRESHOLD + 200

CHILD = """
import asyncio, sys
from pathlib import Path
from herald.indexing.sync import sync
from herald.store.sqlite import open_store

def progress(done: int, total: int) -> None:
    print(done, flush=True)

async def main() -> None:
    store = await open_store(Path(sys.argv[1]), excerpt_chars=350)
    try:
        await sync(store.index, Path(sys.argv[2]), excerpt_chars=350, progress=progress, workers=2)
    finally:
        await store.close()
    print("finished", flush=True)

asyncio.run(main())
"""


async def test_sigkill_during_a_bulk_first_sync_then_sync_again(
    tmp_path: Path, content_dir: Path, write_post: WritePost
) -> None:
    for i in range(POSTS):
        write_post(f"{i:05}.md", f"第 {i} 篇：梯度检查点与显存。\n\n" * 20, title=f"T{i}")
    path = tmp_path / "h.db"
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        CHILD,
        str(path),
        str(content_dir),
        stdout=asyncio.subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        start_new_session=True,  # its own process group: the kill takes its workers too
    )
    assert child.stdout is not None
    while True:  # kill it once half of the posts are parsed and being written
        line = (await child.stdout.readline()).decode().strip()
        assert line and line != "finished", "the sync ended before it could be killed"
        if int(line) >= POSTS // 2:
            break
    os.killpg(child.pid, signal.SIGKILL)
    await child.wait()
    assert os.path.exists(f"{path}-journal")  # noqa: ASYNC240 -- the journal it left behind

    store = await open_store(path, excerpt_chars=350)
    try:
        db = store.database
        async with db.connection.execute("PRAGMA journal_mode") as cursor:
            assert tuple(await cursor.fetchone() or ()) == ("wal",)
        async with db.connection.execute("SELECT count(*) FROM posts") as cursor:
            assert tuple(await cursor.fetchone() or ()) == (0,)
        report = await sync(store.index, content_dir, excerpt_chars=350)
        assert len(report.added) == POSTS and not report.failed
    finally:
        await store.close()
    with sqlite3.connect(path) as check:
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert check.execute("SELECT count(*) FROM posts_fts").fetchone() == (POSTS,)
