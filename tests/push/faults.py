"""Real storage faults for the tests: another process's write lock, a small full disk.

Both are made with the real thing, never by patching Herald: a second SQLite connection
that holds `BEGIN IMMEDIATE` (what `herald sync` does for the length of its sync), and a
tmpfs of a few megabytes filled to the last byte (what a full disk is).  The lock is taken
and released in a worker thread: taken on the event loop, it could wait for a transaction
of the service's that needs the loop to finish.
"""

from __future__ import annotations

import asyncio
import errno
import os
import sqlite3
import subprocess
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import pytest


async def until(condition: Callable[[], bool], seconds: float = 30.0) -> None:
    """Poll a condition until it holds; fail the test after `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)


@asynccontextmanager
async def write_lock_held(path: Path) -> AsyncIterator[None]:
    """Another writer holds the database's write lock for the block."""
    other = sqlite3.connect(path, isolation_level=None, timeout=60, check_same_thread=False)
    try:
        await asyncio.to_thread(other.execute, "BEGIN IMMEDIATE")
        try:
            yield
        finally:
            await asyncio.to_thread(other.execute, "ROLLBACK")
    finally:
        other.close()


def outbox_states(path: Path) -> dict[str, int]:
    """The outbox as another process reads it."""
    with sqlite3.connect(path, timeout=60) as db:
        return dict(db.execute("SELECT state, count(*) FROM outbox GROUP BY state").fetchall())


@contextmanager
def small_disk(folder: Path, megabytes: int) -> Iterator[Path]:
    """A real file system of `megabytes` mounted on `folder` (a tmpfs), or the test skips.

    Mounting needs root; where it is refused there is no honest way to fill a disk under
    SQLite, so the test says why it did not run rather than fake the fault.
    """
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        pytest.skip("a full disk needs a tmpfs, and mounting one needs root")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(disk: Path) -> Path:
    """Write a file that takes every free byte of `disk`; delete it to free the space."""
    filler = disk / "filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (1 << 20, 1 << 12, 1):
            block = b"\0" * size
            while True:
                try:
                    if os.write(descriptor, block) < size:
                        break
                except OSError as exc:
                    if exc.errno != errno.ENOSPC:
                        raise
                    break
    finally:
        os.close(descriptor)
    return filler
