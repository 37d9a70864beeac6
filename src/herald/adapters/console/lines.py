"""Lines from standard input that a Ctrl-C can stop waiting for.

`asyncio.to_thread(stdin.readline)` blocks a thread that no signal reaches: Ctrl-C set the
service's stop event, everything else stopped, and the process still waited — for that
thread, and then for the loop's executor to shut down around it.  So a terminal or a pipe
(whatever can wait for a line) is read through the event loop instead (`add_reader`,
then one `os.read` that readiness guarantees will not block): waiting for a line is then
an ordinary await, which `stop` interrupts.  A regular file, a `StringIO` or a platform
without `add_reader` never waits, and is read the plain way.
"""

from __future__ import annotations

import asyncio
import codecs
import errno
import io
import os
import stat
from typing import TextIO

_CHUNK = 65536


class LineReader:
    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.fd = _waitable_fd(stream)
        self._decoder = codecs.getincrementaldecoder(stream.encoding or "utf-8")("replace")
        self._pending = ""
        self._ended = False

    async def readline(self) -> str:
        """The next line with its newline; the last one may lack it; "" at the end."""
        while self.fd is not None and "\n" not in self._pending and not self._ended:
            try:
                chunk = await self._read(self.fd)
            except (NotImplementedError, PermissionError):
                # A loop that cannot watch descriptors (Windows), or one that cannot be
                # watched (`< /dev/null`): neither ever waits, so read the plain way.
                self.fd = None
                break
            self._pending += self._decoder.decode(chunk, final=not chunk)
            self._ended = not chunk
        if self.fd is None and not self._pending:
            return await asyncio.to_thread(self.stream.readline)
        line, newline, self._pending = self._pending.partition("\n")
        return line + newline

    async def _read(self, fd: int) -> bytes:
        """What is there once `fd` is readable (b"" at the end); cancellable while waiting."""
        while True:
            await _readable(fd)
            try:
                return os.read(fd, _CHUNK)
            except BlockingIOError:  # someone else read it first: wait again
                continue
            except OSError as exc:
                if exc.errno == errno.EIO:  # the terminal hung up: that is the end
                    return b""
                raise


async def _readable(fd: int) -> None:
    loop = asyncio.get_running_loop()
    ready: asyncio.Future[None] = loop.create_future()

    def wake() -> None:
        if not ready.done():
            ready.set_result(None)

    loop.add_reader(fd, wake)
    try:
        await ready
    finally:
        loop.remove_reader(fd)


def _waitable_fd(stream: TextIO) -> int | None:
    """The descriptor to read through the loop: a terminal, a pipe or a socket; None
    for anything that cannot make a read wait (or cannot be watched by the loop)."""
    try:
        fd = stream.fileno()
        mode = os.fstat(fd).st_mode
    except (OSError, ValueError, io.UnsupportedOperation):
        return None
    waits = stat.S_ISCHR(mode) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)
    return fd if waits else None
