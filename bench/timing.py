"""Small timing helpers: wall clock for one-off steps, percentiles for repeated calls."""

from __future__ import annotations

import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Percentiles:
    p50_ms: float
    p99_ms: float
    calls: int

    def __str__(self) -> str:
        return f"p50 {self.p50_ms:.2f} ms · p99 {self.p99_ms:.2f} ms ({self.calls} calls)"


def percentiles(samples: list[float]) -> Percentiles:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return Percentiles(statistics.median(ordered) * 1000, p99 * 1000, len(ordered))


async def repeat(call: Callable[[int], Awaitable[object]], times: int) -> Percentiles:
    samples = []
    for index in range(times):
        started = time.perf_counter()
        await call(index)
        samples.append(time.perf_counter() - started)
    return percentiles(samples)
