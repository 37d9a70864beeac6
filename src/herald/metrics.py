"""Prometheus metrics: what an operator watches to know Herald is keeping its promises.

Each service has its own registry (not prometheus_client's global one), so two Herald
instances in one process, or one test after another, never add to each other's counts.
The names follow Prometheus' conventions (`_total` counters, `_seconds` units, base
units only); labels are bounded sets (platforms, kinds, outcomes, command names),
never chat ids or slugs.

What is measured, and where:

- every message a platform accepted or refused, by kind (a reply to a person or a push)
  and how long it waited for its turn in the token's budget plus the platform's answer
  (`herald.push.pacing.Pacer`, through a `SendMeter`);
- every "too many requests" answer and the pause it imposed;
- every push's outcome as the dispatcher files it (`herald.push.dispatcher`);
- the outbox's depth by state and the age of its oldest waiting delivery, read from the
  store when scraped;
- every sync's duration and what it changed (`herald.app.App.sync`), and whether this
  replica leads the sync (`herald.roles`);
- how long each command took to make its reply (`herald.core.commands.execute`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest

from herald.core.ports import Outbox
from herald.core.records import SyncReport

CONTENT_TYPE = CONTENT_TYPE_LATEST
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
_SYNC_BUCKETS = (0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0, 30.0, 60.0, 300.0)


class Metrics:
    """The service's metrics and their registry."""

    def __init__(self) -> None:
        registry = self.registry = CollectorRegistry(auto_describe=True)
        self.sends = Counter(
            "herald_sends",
            "Messages handed to a platform, by kind (reply or push) and outcome "
            "(sent: accepted; failed: refused or lost).",
            ["platform", "kind", "outcome"],
            registry=registry,
        )
        self.send_seconds = Histogram(
            "herald_send_duration_seconds",
            "From asking the token's send budget for a turn to the platform's answer.",
            ["platform", "kind"],
            buckets=_LATENCY_BUCKETS,
            registry=registry,
        )
        self.rate_limited = Counter(
            "herald_rate_limited",
            "'Too many requests' answers (HTTP 429) from a platform.",
            ["platform"],
            registry=registry,
        )
        self.paused_seconds = Counter(
            "herald_rate_limited_pause_seconds",
            "Seconds the platform asked Herald to stop sending, summed.",
            ["platform"],
            registry=registry,
        )
        self.pushes = Counter(
            "herald_pushes",
            "Push deliveries by outcome: sent, rate_limited (rescheduled as asked), "
            "retry (a temporary failure), gave_up (attempts exhausted), unreachable "
            "(the chat is gone: unsubscribed), skipped (the post is no longer published).",
            ["platform", "outcome"],
            registry=registry,
        )
        self.outbox_entries = Gauge(
            "herald_outbox_entries",
            "Outbox entries by state, when last scraped.",
            ["state"],
            registry=registry,
        )
        self.outbox_oldest = Gauge(
            "herald_outbox_oldest_waiting_age_seconds",
            "Age of the oldest delivery still to be sent (0 when none waits).",
            registry=registry,
        )
        self.sync_seconds = Histogram(
            "herald_sync_duration_seconds",
            "Content syncs, start to end.",
            buckets=_SYNC_BUCKETS,
            registry=registry,
        )
        self.sync_files = Counter(
            "herald_sync_files",
            "Files a sync added, updated, removed or could not serve.",
            ["change"],
            registry=registry,
        )
        self.sync_leader = Gauge(
            "herald_sync_leader",
            "1 while this replica leads the content sync (watcher, scheduler, excerpts), "
            "else 0: across replicas the sum should be 1.",
            registry=registry,
        )
        self.command_seconds = Histogram(
            "herald_command_duration_seconds",
            "From a command reaching Herald's core to its reply being ready (its send is "
            'herald_send_duration_seconds{kind="reply"}).',
            ["command"],
            buckets=_LATENCY_BUCKETS,
            registry=registry,
        )

    def meter(self, platform: str) -> SendMeter:
        """What one platform's send budget reports to."""
        return SendMeter(self, platform)

    def pushed(self, platform: str, outcome: str) -> None:
        """A push delivery filed by the dispatcher (`herald.push.dispatcher`)."""
        self.pushes.labels(platform, outcome).inc()

    def leading(self, leads: bool) -> None:
        self.sync_leader.set(1 if leads else 0)

    def commanded(self, command: str, seconds: float) -> None:
        self.command_seconds.labels(command).observe(seconds)

    def synced(self, report: SyncReport, seconds: float) -> None:
        self.sync_seconds.observe(seconds)
        for change, count in (
            ("added", len(report.added)),
            ("updated", len(report.updated)),
            ("removed", len(report.removed)),
            ("failed", len(report.failed)),
        ):
            if count:
                self.sync_files.labels(change).inc(count)

    async def exposition(self, outbox: Outbox | None = None, *, now: float | None = None) -> bytes:
        """The text format Prometheus scrapes, with the outbox read fresh."""
        if outbox is not None:
            stats = await outbox.stats(errors=0)
            for state, count in stats.counts.items():
                self.outbox_entries.labels(state).set(count)
            oldest = stats.oldest_waiting
            age = 0.0 if oldest is None else max(0.0, (now or time.time()) - oldest)
            self.outbox_oldest.set(age)
        return generate_latest(self.registry)


@dataclass(frozen=True, slots=True)
class SendMeter:
    """One platform's view of the metrics, for its send budget."""

    metrics: Metrics
    platform: str

    def sent(self, *, reply: bool, ok: bool, seconds: float) -> None:
        kind = "reply" if reply else "push"
        self.metrics.sends.labels(self.platform, kind, "sent" if ok else "failed").inc()
        self.metrics.send_seconds.labels(self.platform, kind).observe(seconds)

    def limited(self, seconds: float) -> None:
        self.metrics.rate_limited.labels(self.platform).inc()
        self.metrics.paused_seconds.labels(self.platform).inc(max(0.0, seconds))
