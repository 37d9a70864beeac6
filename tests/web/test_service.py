"""`herald run` starts the reader when `[web]` asks for it, says where, and stops it."""

from __future__ import annotations

import asyncio
import logging
import re
from pathlib import Path

import httpx
import pytest
from fakes.telegram_server import TOKEN, FakeTelegram

from herald.app import run_service
from herald.config import ConfigError, load_config
from tests.push.faults import until
from tests.web.site import write_site


def config_file(root: Path, web: str, telegram_url: str = "http://127.0.0.1:9") -> Path:
    content = write_site(root)
    path = root / "herald.toml"
    path.write_text(
        f'[content]\ndir = "{content}"\nsite = "plain"\n[store]\npath = "{root / "h.db"}"\n'
        f'[telegram]\nbase_url = "{telegram_url}"\npoll_timeout = 1.0\n{web}',
        encoding="utf-8",
    )
    return path


async def test_the_service_serves_the_reader_and_says_where(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="herald")
    async with FakeTelegram() as tg:
        path = config_file(
            tmp_path, '[web]\nport = 0\nbase_url = "https://r.example"\n', tg.base_url
        )
        config = load_config(path, environ={"HERALD_TELEGRAM_TOKEN": TOKEN})
        stop = asyncio.Event()
        task = asyncio.create_task(run_service(config, stop, handle_signals=False))
        await until(lambda: "web reader listening" in caplog.text or task.done(), seconds=60)
        assert not task.done(), task.exception()
        [line] = [r.getMessage() for r in caplog.records if "web reader" in r.getMessage()]
        match = re.search(
            r"listening on (http://127\.0\.0\.1:\d+) \(public: https://r\.example\)", line
        )
        assert match, line
        async with httpx.AsyncClient(base_url=match.group(1)) as client:
            assert (await client.get("/healthz")).text == "ok"
            assert (await client.get("/p/attention")).status_code == 200
        stop.set()
        await asyncio.wait_for(task, 30)
    with pytest.raises(httpx.ConnectError):  # stopped with the service
        async with httpx.AsyncClient(base_url=match.group(1)) as client:
            await client.get("/healthz")


def test_the_reader_is_off_by_default(tmp_path: Path) -> None:
    config = load_config(config_file(tmp_path, ""), environ={})
    assert not config.web.enabled and config.web.base_url is None


@pytest.mark.parametrize(
    ("section", "address"),
    [("port = 8123", ("127.0.0.1", 8123)), ('listen = "0.0.0.0"', ("0.0.0.0", 8080))],
)
def test_port_or_listen_turns_it_on(tmp_path: Path, section: str, address: tuple[str, int]) -> None:
    config = load_config(config_file(tmp_path, f"[web]\n{section}\n"), environ={})
    assert config.web.enabled and config.web.address == address


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ('base_url = "ftp://x"', "[web] base_url: should be an absolute https or http URL"),
        ("port = 70000", "[web] port: Input should be less than or equal to 65535"),
        ('port = "80"', "[web] port: Input should be a valid integer"),
        ("colour = 1", "[web] colour: unknown key"),
    ],
)
def test_bad_web_settings_are_one_line(tmp_path: Path, section: str, message: str) -> None:
    with pytest.raises(ConfigError) as refused:
        load_config(config_file(tmp_path, f"[web]\n{section}\n"), environ={})
    assert str(refused.value).endswith(message) and "\n" not in str(refused.value)
