"""The service's parse pool: a stuck worker is replaced, and workers die with their parent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from herald.content.parse_pool import ParsePool, Unanswered, _Worker
from tests.indexing.processes import gone, wait_until


def stuck_where_no_budget_reaches() -> None:
    """Like a C call that never returns: no signal handler runs, no alarm interrupts it."""
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM, signal.SIGINT})
    time.sleep(3600)


async def test_a_stuck_worker_is_killed_and_replaced() -> None:
    pool = ParsePool(size=1)
    try:
        first = await pool.run(os.getpid)
        with pytest.raises(Unanswered, match=r"no answer within 0\.5 s"):
            await pool.run(stuck_where_no_budget_reaches, deadline=0.5)
        assert gone(first)
        second = await pool.run(os.getpid)
        assert second != first and await pool.run(sum, [1, 2]) == 3
    finally:
        pool.close()


async def test_a_call_that_fails_leaves_its_worker_in_service() -> None:
    pool = ParsePool(size=1)
    try:
        first = await pool.run(os.getpid)
        with pytest.raises(ZeroDivisionError):
            await pool.run(divmod, 1, 0)
        assert await pool.run(os.getpid) == first
    finally:
        pool.close()


OWNER = """
import asyncio, os, sys, time
from herald.content.parse_pool import ParsePool
pool = ParsePool(size=1)
print(asyncio.run(pool.run(os.getpid)), flush=True)
pool.submit(time.sleep, 3600)  # busy: it will not notice its pipe close
sys.stdin.read()
"""


def _sleeping(pid: int) -> bool:
    with open(f"/proc/{pid}/wchan", encoding="ascii") as wchan:
        return "nanosleep" in wchan.read()  # in time.sleep, not waiting on its pipe


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_workers_die_with_the_process_that_owns_them(how: signal.Signals) -> None:
    owner = subprocess.Popen(
        [sys.executable, "-c", OWNER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert owner.stdout is not None
        worker = int(owner.stdout.readline())
        wait_until(lambda: _sleeping(worker), what=f"worker {worker} to take the long call")
        owner.send_signal(how)
        owner.wait(timeout=60)
        wait_until(lambda: gone(worker), what=f"worker {worker} to end with its parent")
    finally:
        owner.kill()
        owner.wait()


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc")
def test_a_worker_keeps_no_descriptor_of_its_parent_open() -> None:
    """A pipe the service has open when a worker forks is not held by the worker, so that
    pipe's reader sees its end and its writer fails once the service closes its side."""
    reader, writer = os.pipe()
    pipe = os.readlink(f"/proc/self/fd/{reader}")
    worker = _Worker()
    try:
        assert worker.call(os.getpid, (), 10) == worker.process.pid  # past its start-up
        folder = f"/proc/{worker.process.pid}/fd"
        held = {os.readlink(f"{folder}/{fd}") for fd in os.listdir(folder)}
        assert pipe not in held, held
    finally:
        worker.stop()
        os.close(reader)
        os.close(writer)
