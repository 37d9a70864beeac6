"""Metrics an operator scrapes: counted where things happen, read as Prometheus reads them."""

from __future__ import annotations

import time
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from herald.app import open_app
from herald.config import load_config
from herald.core.commands import BY_NAME, Chat, Request, execute
from herald.core.reader import ReaderService
from herald.indexing.sync import sync
from herald.metrics import Metrics
from herald.push.dispatcher import Dispatcher
from herald.push.errors import PermanentFailure, RetryAfter
from herald.push.pacing import ChatLimits, Pacer
from herald.store.sqlite import SqliteStore
from tests.conftest import WritePost
from tests.push.test_dispatcher import MemoryMessenger
from tests.push.virtual_time import VirtualClock


def samples(text: str) -> dict[str, float]:
    """Every sample of an exposition, keyed `name{label="value",…}`, as Prometheus parses it."""
    found: dict[str, float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            labels = ",".join(f'{k}="{v}"' for k, v in sorted(sample.labels.items()))
            found[f"{sample.name}{{{labels}}}"] = sample.value
    return found


async def scraped(metrics: Metrics, store: SqliteStore | None = None) -> dict[str, float]:
    return samples((await metrics.exposition(store.outbox if store else None)).decode())


async def test_pushes_are_counted_by_outcome_and_the_outbox_by_state(
    store: SqliteStore, content_dir: Path, write_post: WritePost
) -> None:
    metrics = Metrics()
    messenger = MemoryMessenger(
        pacer=Pacer(
            ChatLimits(per_second=1000.0, per_chat_per_second=1000.0),
            observer=metrics.meter("memo"),
        )
    )
    dispatcher = Dispatcher(
        store.outbox, ReaderService(store, timezone="UTC"), [messenger], observer=metrics
    )
    await sync(store.index, content_dir, excerpt_chars=350)
    for chat in ("ok", "gone", "busy"):
        await store.subscriptions.subscribe("memo", chat)
    messenger.failures = {"gone": [PermanentFailure("blocked")], "busy": [RetryAfter(30.0)]}
    write_post("new.md", "新文", title="New", date="2025-01-01")
    await sync(store.index, content_dir, excerpt_chars=350)

    before = await scraped(metrics, store)
    assert before['herald_outbox_entries{state="pending"}'] == 3
    assert before["herald_outbox_oldest_waiting_age_seconds{}"] >= 0
    assert await dispatcher.drain(messenger) == 3

    after = await scraped(metrics, store)
    assert after['herald_pushes_total{outcome="sent",platform="memo"}'] == 1
    assert after['herald_pushes_total{outcome="unreachable",platform="memo"}'] == 1
    assert after['herald_pushes_total{outcome="rate_limited",platform="memo"}'] == 1
    assert after['herald_sends_total{kind="push",outcome="sent",platform="memo"}'] == 1
    assert after['herald_sends_total{kind="push",outcome="failed",platform="memo"}'] == 2
    assert after['herald_send_duration_seconds_count{kind="push",platform="memo"}'] == 3
    assert after['herald_outbox_entries{state="sent"}'] == 1
    assert after['herald_outbox_entries{state="pending"}'] == 1  # the one told to wait


async def test_the_oldest_waiting_delivery_ages_until_it_is_sent(
    store: SqliteStore, content_dir: Path, write_post: WritePost
) -> None:
    metrics = Metrics()
    await sync(store.index, content_dir, excerpt_chars=350)
    await store.subscriptions.subscribe("memo", "1")
    write_post("new.md", "新文", title="New", date="2025-01-01")
    planned = time.time()
    await sync(store.index, content_dir, excerpt_chars=350)
    text = (await metrics.exposition(store.outbox, now=planned + 90)).decode()
    age = next(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "herald_outbox_oldest_waiting_age_seconds"
    )
    assert 85 <= age <= 90


async def test_a_429_pause_is_counted_with_its_seconds() -> None:
    metrics = Metrics()
    limits = ChatLimits(per_second=30.0, per_chat_per_second=1.0)
    pacer = Pacer(limits, clock=VirtualClock(), observer=metrics.meter("t"))
    pacer.pause(3.0)
    pacer.pause(2.0)
    samples = await scraped(metrics)
    assert samples['herald_rate_limited_total{platform="t"}'] == 2
    assert samples['herald_rate_limited_pause_seconds_total{platform="t"}'] == 5.0


async def test_replies_are_counted_apart_from_pushes() -> None:
    metrics = Metrics()
    pacer = Pacer(ChatLimits(per_second=30.0, per_chat_per_second=1.0), observer=metrics.meter("t"))
    async with pacer.reply_slot("1", group=False):
        pass
    samples = await scraped(metrics)
    assert samples['herald_sends_total{kind="reply",outcome="sent",platform="t"}'] == 1
    assert 'herald_sends_total{kind="push",outcome="sent",platform="t"}' not in samples


async def test_syncs_and_commands_are_timed(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "a.md").write_text("---\ntitle: A\n---\n\n正文。\n", encoding="utf-8")
    (content / "bad.md").write_text("---\ntitle: [x\n---\n", encoding="utf-8")
    config_file = tmp_path / "herald.toml"
    config_file.write_text(
        f'[content]\ndir = "{content}"\n[store]\npath = "{tmp_path / "h.db"}"\n', encoding="utf-8"
    )
    async with open_app(load_config(config_file, environ={})) as app:
        await app.sync()
        request = Request("", "en", Chat("console", "1"), None)
        await execute(app.reader, BY_NAME["latest"], request, observer=app.metrics)
        samples = await scraped(app.metrics)
    assert samples["herald_sync_duration_seconds_count{}"] == 1
    assert samples['herald_sync_files_total{change="added"}'] == 1
    assert samples['herald_sync_files_total{change="failed"}'] == 1
    assert samples['herald_command_duration_seconds_count{command="latest"}'] == 1
