"""uvicorn inside Herald's own event loop, beside the bots, in the service's task group.

The socket is bound before the service starts (a taken port is one line at start, not a
failure later), and bound by Herald, so a test can ask for port 0 and read the one it
got.  A listening socket queues connections at once: nothing has to wait for uvicorn.
uvicorn's own signal handling is off: the service's SIGINT/SIGTERM handler ends
everything, this server included, through `stop`.

Herald forks worker processes (the parse pool) at any time; a fork inherits every open
descriptor, and a child holding the listening socket would keep the port accepting
connections nobody answers after the reader stops.  Each forked child closes it at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import weakref
from collections.abc import Iterator

import uvicorn
from starlette.types import ASGIApp

log = logging.getLogger("herald.web")


_LISTENING: weakref.WeakSet[socket.socket] = weakref.WeakSet()


def _close_inherited() -> None:
    for listening in list(_LISTENING):
        listening.close()


os.register_at_fork(after_in_child=_close_inherited)


class _InLoopServer(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield  # Herald's handlers stay in place


class WebServer:
    def __init__(self, app: ASGIApp, *, host: str, port: int) -> None:
        self.app = app
        self.host = host
        self.port = port
        self._socket: socket.socket | None = None

    def bind(self) -> str:
        """Listen now; the local address, as a URL (the port the system gave for 0)."""
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        self._socket = socket.create_server((self.host, self.port), family=family)
        _LISTENING.add(self._socket)
        self.port = self._socket.getsockname()[1]
        host = f"[{self.host}]" if family == socket.AF_INET6 else self.host
        return f"http://{host}:{self.port}"

    async def serve(self, stop: asyncio.Event) -> None:
        """Serve until `stop` is set (or this task is cancelled), then close gracefully."""
        if self._socket is None:
            self.bind()
        assert self._socket is not None
        config = uvicorn.Config(
            self.app,
            log_level="warning",
            access_log=False,
            lifespan="off",
            server_header=False,
            timeout_graceful_shutdown=5,
        )
        server = _InLoopServer(config)
        serving = asyncio.create_task(server.serve(sockets=[self._socket]))
        stopped = asyncio.ensure_future(stop.wait())
        try:
            await asyncio.wait({serving, stopped}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopped.cancel()
            server.should_exit = True
            try:
                await serving
            finally:
                self._socket.close()
