"""Issue 14, case 10: killing `herald sync` leaves no worker process behind.

Before, the process pool's workers outlived a killed sync and parsed on until their batch
was done (minutes, for a large batch), holding the cores; after Ctrl-C the sync itself
waited for them.  Now they are killed with their parent: by the kernel when it dies
(`PR_SET_PDEATHSIG`, so SIGKILL too), by the sync itself when it stops early.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from herald.indexing.sync import BATCH_SIZE, PARALLEL_THRESHOLD
from tests.indexing.processes import children, cpu_ticks, gone, wait_until

FILES = max(PARALLEL_THRESHOLD, BATCH_SIZE) + 60
SLOW_BODY = "[" * 40_000
"""About half a second to parse each (inside its budget): a batch is minutes of work."""


@pytest.fixture
def big_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    folder.mkdir()
    for i in range(FILES):
        (folder / f"{i:03}.md").write_text(
            f"---\ntitle: Post {i}\ndate: 2025-01-01\n---\n\n{SLOW_BODY}\n", encoding="utf-8"
        )
    return folder


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
def test_a_killed_sync_leaves_no_worker_behind(
    tmp_path: Path, big_folder: Path, how: signal.Signals
) -> None:
    command = [sys.executable, "-m", "herald.cli", "sync", "--content", str(big_folder)]
    with (tmp_path / "sync.log").open("w") as log:
        herald = subprocess.Popen(
            [*command, "--db", str(tmp_path / "h.db")], cwd=tmp_path, stdout=log, stderr=log
        )
    try:
        workers: set[int] = set()

        def parsing() -> bool:
            workers.update(children(herald.pid))
            return len(workers) >= 2 and all(cpu_ticks(pid) > 0 for pid in workers)

        wait_until(parsing, what="the sync's workers to be parsing")
        herald.send_signal(how)
        herald.wait(timeout=60)  # Ctrl-C too: no waiting for batches in progress
        wait_until(
            lambda: all(gone(pid) for pid in workers), what=f"workers {sorted(workers)} to end"
        )
    finally:
        herald.kill()
        herald.wait()
