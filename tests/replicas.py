"""`herald run` replicas as real processes, as an operator (or an orchestrator) starts them.

Each replica's log (stderr) is read as it comes, so a test can wait for a line ("leads
the content sync") with a deadline instead of sleeping, and show the whole log when an
assertion fails.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from pathlib import Path

from tests.push.test_crash_recovery import herald

LEADS = "this replica leads the content sync"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Replica:
    """One `herald run --config …` process and the lines it has logged so far."""

    def __init__(self, name: str, process: asyncio.subprocess.Process) -> None:
        self.name = name
        self.process = process
        self.lines: list[str] = []
        self._logged = asyncio.Condition()
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.process.stderr is not None
        while line := await self.process.stderr.readline():
            async with self._logged:
                self.lines.append(line.decode(errors="replace").rstrip())
                self._logged.notify_all()
        async with self._logged:  # ended: nobody waits for a line that cannot come
            self._logged.notify_all()

    def logged(self, text: str) -> int:
        """How many lines so far contain `text`."""
        return sum(1 for line in self.lines if text in line)

    async def wait_logged(self, text: str, *, times: int = 1, seconds: float = 60.0) -> None:
        def seen() -> bool:
            return self.logged(text) >= times or self._reader.done()

        async with asyncio.timeout(seconds), self._logged:
            await self._logged.wait_for(seen)
        assert self.logged(text) >= times, f"{self.name} never logged {text!r}:\n{self.log()}"

    def log(self) -> str:
        return "\n".join(f"  {self.name}| {line}" for line in self.lines)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)

    async def stop(self) -> int:
        """SIGTERM and wait: the exit status (0 for a clean stop)."""
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            status = await asyncio.wait_for(self.process.wait(), 30)
        except TimeoutError:
            self.process.kill()
            status = await self.process.wait()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reader
        return status


async def start_replica(name: str, config: Path) -> Replica:
    return Replica(name, await herald(config, "run"))


@contextlib.asynccontextmanager
async def replicas(configs: Sequence[Path]) -> AsyncIterator[list[Replica]]:
    """Start one replica per config; all are stopped (or reaped, if killed) at the end."""
    started = [await start_replica(f"r{n}", config) for n, config in enumerate(configs, 1)]
    try:
        yield started
    finally:
        for replica in started:
            await replica.stop()


async def until(
    condition: Callable[[], Awaitable[bool]], *, seconds: float, every: float = 0.05
) -> float:
    """Poll an async condition until it holds; the seconds it took (fails at the deadline)."""
    started = time.monotonic()
    while not await condition():
        assert time.monotonic() - started < seconds, f"not within {seconds} s"
        await asyncio.sleep(every)
    return time.monotonic() - started
