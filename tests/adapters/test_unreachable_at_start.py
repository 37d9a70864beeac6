"""Issue 14, case 12: a platform unreachable at start is retried, not a 149-line traceback.

The real `herald run` starts with its platform's address refusing connections (a socket
bound but not listening); it must keep running — the watcher still syncs — log one line
per attempt, and connect by itself once the fake server answers on that address.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import signal
import socket
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path

from fakes.discord_server import GUILD_ID, FakeDiscord
from fakes.discord_server import TOKEN as DISCORD_TOKEN
from fakes.telegram_server import TOKEN as TELEGRAM_TOKEN
from fakes.telegram_server import FakeTelegram

from tests.conftest import WritePost

DEADLINE = 90.0
"""Generous: the machine is shared; every wait below is for a condition, not a time."""
LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ [A-Z]+ ")


class Service:
    """A `herald run` process whose stderr is collected line by line as it comes."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.lines: list[str] = []
        self._changed = asyncio.Condition()
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.process.stderr is not None
        async for raw in self.process.stderr:
            async with self._changed:
                self.lines.append(raw.decode("utf-8", "replace").rstrip("\n"))
                self._changed.notify_all()

    async def wait_for(self, condition: Callable[[list[str]], bool]) -> None:
        async with asyncio.timeout(DEADLINE), self._changed:
            await self._changed.wait_for(lambda: condition(self.lines))

    def count(self, text: str) -> int:
        return sum(text in line for line in self.lines)

    async def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        async with asyncio.timeout(DEADLINE):
            code = await self.process.wait()
            await self._reader
        return code


@contextlib.asynccontextmanager
async def herald_run(config: Path, env: dict[str, str], *more: str) -> AsyncIterator[Service]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "herald",
        "run",
        "--config",
        str(config),
        *more,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
        env={"PATH": "/usr/bin:/bin", "PYTHONIOENCODING": "utf-8", **env},
    )
    service = Service(process)
    try:
        yield service
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


@contextlib.asynccontextmanager
async def forwarding(listener: socket.socket, port: int) -> AsyncIterator[None]:
    """Start accepting on `listener` (until now it refused) and pipe each connection to the
    fake server's real port: the platform "comes back" at the address Herald was given."""

    async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.close()

    async def connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", port)
        await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer))

    server = await asyncio.start_server(connect, sock=listener)
    try:
        yield
    finally:
        server.close()


def refusing_socket() -> socket.socket:
    """Bound, so its port is ours, but not listening yet: connections are refused."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    return listener


def seed(tmp_path: Path, write_post: WritePost, section: str) -> Path:
    write_post("hello.md", "Hello.", title="Hello", date="2025-01-01")
    config = tmp_path / "herald.toml"
    config.write_text(
        f'[content]\ndir = "{tmp_path / "content"}"\n[store]\npath = "{tmp_path / "h.db"}"\n'
        f'[bot]\ndefault_language = "en"\n{section}',
        encoding="utf-8",
    )
    return config


async def outage_then_recovery(service: Service, content: Path, what: str) -> None:
    """Two refused attempts, each one line; the watcher keeps working meanwhile."""
    failed = f"{what} (127.0.0.1:"
    await service.wait_for(lambda lines: sum(failed in line for line in lines) >= 2)
    assert service.count("): cannot connect (attempt 2: ") == 1
    assert service.process.returncode is None
    (content / "broken.md").write_bytes(b"\xff\xfe not text")
    await service.wait_for(lambda lines: any("broken.md" in line for line in lines))
    assert service.count(failed) >= 2  # still trying, and the service is up


def assert_one_line_each(service: Service) -> None:
    assert not any("Traceback" in line for line in service.lines), "\n".join(service.lines)
    continued = [line for line in service.lines if not LOG_LINE.match(line)]
    assert not continued, continued  # every log record is one line


async def test_telegram_unreachable_at_start_is_retried_until_it_answers(
    tmp_path: Path, write_post: WritePost
) -> None:
    listener = refusing_socket()
    port = listener.getsockname()[1]
    section = f'[telegram]\nbase_url = "http://127.0.0.1:{port}/bot"\npoll_timeout = 1.0\n'
    config = seed(tmp_path, write_post, section)
    env = {"HERALD_TELEGRAM_TOKEN": TELEGRAM_TOKEN}
    async with herald_run(config, env) as service, FakeTelegram() as tg:
        await outage_then_recovery(service, tmp_path / "content", "telegram")
        async with forwarding(listener, tg.port):
            await tg.wait_for(lambda: bool(tg.calls("getUpdates")), DEADLINE)
            tg.known_chats.add(1001)
            await tg.user_sends(1001, "/latest")
            await tg.wait_for(lambda: bool(tg.sent(1001)), DEADLINE)
            assert "Hello" in (tg.sent(1001)[0].text or "")
            assert await service.stop() == 0
    assert service.count("): connected after") == 1
    assert_one_line_each(service)
    assert TELEGRAM_TOKEN.split(":")[1] not in "\n".join(service.lines)


async def test_discord_unreachable_at_start_is_retried_until_it_answers(
    tmp_path: Path, write_post: WritePost
) -> None:
    listener = refusing_socket()
    port = listener.getsockname()[1]
    section = (
        f'[discord]\napi_base = "http://127.0.0.1:{port}/api/v10"\n'
        f'gateway_url = "ws://127.0.0.1:{port}/gateway"\nguild_id = {GUILD_ID}\n'
    )
    config = seed(tmp_path, write_post, section)
    env = {"HERALD_DISCORD_TOKEN": DISCORD_TOKEN}
    async with herald_run(config, env) as service, FakeDiscord() as fake:
        await outage_then_recovery(service, tmp_path / "content", "discord")
        async with forwarding(listener, fake.port):
            await fake.wait_for(lambda: fake.identified > 0, DEADLINE)
            answer = await fake.answered(await fake.slash("latest"))
            assert answer.response is not None or fake.messages()
            assert await service.stop() == 0
    assert service.count("): connected after") == 1
    assert_one_line_each(service)
    assert DISCORD_TOKEN not in "\n".join(service.lines)
