"""`/metrics` on a running `herald run`: a push and a sync show up as Prometheus reads them."""

from __future__ import annotations

import asyncio
import logging
import re
from pathlib import Path

import httpx
import pytest
from fakes.telegram_server import TOKEN, FakeTelegram

from herald.app import run_service
from herald.config import load_config
from tests.conftest import store_at
from tests.push.faults import until
from tests.test_metrics import samples
from tests.web.test_service import config_file


async def test_a_push_and_a_sync_are_scraped(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="herald")
    async with FakeTelegram() as tg:
        tg.known_chats.add(42)
        path = config_file(tmp_path, "[web]\nport = 0\n", tg.base_url)
        async with await store_at(tmp_path / "h.db") as store:
            await store.subscriptions.subscribe("telegram", "42", ())
        config = load_config(path, environ={"HERALD_TELEGRAM_TOKEN": TOKEN})
        stop = asyncio.Event()
        task = asyncio.create_task(run_service(config, stop, handle_signals=False))
        try:
            await until(lambda: "web reader listening" in caplog.text or task.done(), seconds=60)
            assert not task.done(), task.exception()
            url = re.search(r"listening on (http://[\d.:]+)", caplog.text)
            assert url is not None
            await until(lambda: bool(tg.calls("getUpdates")), seconds=30)
            (config.content.dir / "brand-new.md").write_text(
                "---\ntitle: Brand new\ndate: 2025-06-01\n---\n\n新文章。\n", encoding="utf-8"
            )
            await until(lambda: bool(tg.sent(42)), seconds=30)
            async with httpx.AsyncClient(base_url=url.group(1)) as client:

                async def scrape() -> dict[str, float]:
                    answer = await client.get("/metrics")
                    assert answer.status_code == 200
                    assert answer.headers["content-type"].startswith("text/plain; version=")
                    return samples(answer.text)

                found = await scrape()
                for _ in range(50):  # the sent mark is written just after the answer
                    if found.get('herald_outbox_entries{state="sent"}') == 1:
                        break
                    await asyncio.sleep(0.1)
                    found = await scrape()
        finally:
            stop.set()
            await asyncio.wait_for(task, 30)
    assert found['herald_pushes_total{outcome="sent",platform="telegram"}'] == 1
    assert found['herald_sends_total{kind="push",outcome="sent",platform="telegram"}'] == 1
    assert found['herald_outbox_entries{state="sent"}'] == 1
    assert found["herald_outbox_oldest_waiting_age_seconds{}"] == 0
    assert found["herald_sync_duration_seconds_count{}"] >= 2  # at start, then the new file
    assert found['herald_sync_files_total{change="added"}'] >= 1
    assert found.get('herald_rate_limited_total{platform="telegram"}', 0) == 0
