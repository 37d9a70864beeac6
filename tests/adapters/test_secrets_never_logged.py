"""Issue 14, case 13: no secret appears on stderr, at any log level, in any form.

At `-v` python-telegram-bot logs every request's parameters, `setWebhook`'s `secret_token`
among them; a rejected token comes back quoted in `InvalidToken`'s message; discord.py logs
its requests.  The real `herald run -v` is run against the fakes and its stderr searched
for the secrets as written and as a URL would carry them.
"""

from __future__ import annotations

import asyncio
import io
import logging
import socket
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import aiohttp
import pytest
from fakes.discord_server import GUILD_ID, FakeDiscord
from fakes.discord_server import TOKEN as DISCORD_TOKEN
from fakes.telegram_server import TOKEN as TELEGRAM_TOKEN
from fakes.telegram_server import FakeTelegram
from pydantic import SecretStr

from herald.adapters.telegram_adapter import TelegramSettings
from herald.logs import RedactSecrets, setup_logging
from tests.adapters.test_unreachable_at_start import DEADLINE, herald_run, seed
from tests.conftest import WritePost


def leaked(secrets: list[str], text: str) -> list[str]:
    forms = {form for secret in secrets for form in (secret, quote(secret, safe=""))}
    # A secret's tail is as good as the secret: look for every 16-character piece too.
    pieces = {form[i : i + 16] for form in forms for i in range(0, len(form) - 15, 8)}
    return sorted(piece for piece in pieces if piece in text)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_webhook_secret_and_token_never_reach_stderr_at_debug(
    tmp_path: Path, write_post: WritePost
) -> None:
    port = free_port()
    async with FakeTelegram() as tg:
        section = (
            f'[telegram]\nbase_url = "{tg.base_url}"\nmode = "webhook"\n'
            f'webhook_url = "https://bot.example.com/hook"\nwebhook_port = {port}\n'
        )
        config = seed(tmp_path, write_post, section)
        async with herald_run(config, {"HERALD_TELEGRAM_TOKEN": TELEGRAM_TOKEN}, "-v") as service:
            await tg.wait_for(lambda: bool(tg.calls("setWebhook")), DEADLINE)
            secret = tg.calls("setWebhook")[0]["secret_token"]
            settings = TelegramSettings().model_copy(update={"token": SecretStr(TELEGRAM_TOKEN)})
            assert secret == settings.webhook_secret()
            await service.wait_for(lambda lines: any("running as @" in line for line in lines))
            async with aiohttp.ClientSession() as http:  # a signed update, logged at DEBUG
                signed = await http.post(
                    f"http://127.0.0.1:{port}/hook",
                    json={"update_id": 1},
                    headers={"X-Telegram-Bot-Api-Secret-Token": secret},
                )
                assert signed.status == 200
            assert await service.stop() == 0
    stderr = "\n".join(service.lines)
    assert "setWebhook" in stderr and "'secret_token': '[token]'" in stderr  # logged, scrubbed
    assert leaked([TELEGRAM_TOKEN, secret], stderr) == []


async def test_a_rejected_token_is_one_line_that_does_not_quote_it(
    tmp_path: Path, write_post: WritePost
) -> None:
    wrong = "987654321:AAHwrongTokenThatTheFakeServerRejects_99"
    async with FakeTelegram() as tg:
        config = seed(tmp_path, write_post, f'[telegram]\nbase_url = "{tg.base_url}"\n')
        async with herald_run(config, {"HERALD_TELEGRAM_TOKEN": wrong}, "-v") as service:
            async with asyncio.timeout(DEADLINE):
                code = await service.process.wait()
    await asyncio.sleep(0)  # let the reader take the last lines
    errors = [line for line in service.lines if line.startswith("Error: ")]
    assert code == 2 and errors == [
        "Error: telegram: the token in HERALD_TELEGRAM_TOKEN was rejected"
    ]
    assert not any("Traceback" in line for line in service.lines)
    assert leaked([wrong], "\n".join(service.lines)) == []


async def test_the_discord_token_never_reaches_stderr_at_debug(
    tmp_path: Path, write_post: WritePost
) -> None:
    async with FakeDiscord() as fake:
        section = (
            f'[discord]\napi_base = "{fake.api_base}"\ngateway_url = "{fake.gateway_url}"\n'
            f"guild_id = {GUILD_ID}\n"
        )
        config = seed(tmp_path, write_post, section)
        async with herald_run(config, {"HERALD_DISCORD_TOKEN": DISCORD_TOKEN}, "-v") as service:
            await fake.wait_for(lambda: fake.identified > 0, DEADLINE)
            await fake.answered(await fake.slash("latest"))
            assert await service.stop() == 0
    stderr = "\n".join(service.lines)
    assert "discord" in stderr and leaked([DISCORD_TOKEN], stderr) == []


@pytest.fixture
def scrubbed_stderr() -> Iterator[io.StringIO]:
    """`setup_logging` writing to a buffer; the global hooks it sets are put back after."""
    saved = sys.stderr, sys.excepthook, threading.excepthook, logging.getLogger().handlers[:]
    buffer = io.StringIO()
    sys.stderr = buffer
    try:
        setup_logging(logging.DEBUG, [TELEGRAM_TOKEN, "s3cr3t-webhook-value"])
        yield buffer
    finally:
        sys.stderr, sys.excepthook, threading.excepthook = saved[:3]
        logging.getLogger().handlers[:] = saved[3]
        logging.captureWarnings(False)


def test_tracebacks_stacks_and_uncaught_thread_errors_are_scrubbed(
    scrubbed_stderr: io.StringIO,
) -> None:
    log = logging.getLogger("herald.test")
    try:
        raise RuntimeError(f"https://api.example/bot{quote(TELEGRAM_TOKEN, safe='')}/getMe")
    except RuntimeError:
        log.exception("request failed", stack_info=True)
    log.debug("params %s", {"secret_token": "s3cr3t-webhook-value"})

    def fails() -> None:
        raise ValueError(f"The token `{TELEGRAM_TOKEN}` was rejected by the server.")

    thread = threading.Thread(target=fails)
    thread.start()
    thread.join()
    text = scrubbed_stderr.getvalue()
    assert "request failed" in text and "uncaught exception in thread" in text
    assert text.count("[token]") >= 3
    assert leaked([TELEGRAM_TOKEN, "s3cr3t-webhook-value"], text) == []


def test_the_filter_also_knows_token_shapes_it_was_not_told_about() -> None:
    scrub = RedactSecrets().scrub
    assert scrub(f"GET /bot{TELEGRAM_TOKEN}/getMe") == "GET /bot[token]/getMe"
    assert scrub(f"/bot{quote(TELEGRAM_TOKEN, safe='')}/") == "/bot[token]/"
    discord_shaped = "MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GAbCdE.abcdefghijklmnopqrstuvwxyz0123456789AB"
    assert scrub(f"Authorization: Bot {discord_shaped}") == "Authorization: Bot [token]"
    assert scrub("sha256 0123abcd.ef.gh and a.b.c stay") == "sha256 0123abcd.ef.gh and a.b.c stay"
