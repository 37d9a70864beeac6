"""The benchmark suite at toy size: keeps `python3 dev.py bench` working, asserts no timings."""

from __future__ import annotations

import asyncio

from bench.parallel import parallel
from bench.push import broadcast_http, broadcast_overhead, first_push_latency
from bench.reading_under_load import reading_under_load
from bench.stages import stages
from bench.suite import run
from bench.timing import Percentiles
from bench.writer_cost import writer_cost


def test_the_sync_and_read_benchmarks_run_end_to_end() -> None:
    results = run(60, calls=5)
    assert results["posts loaded"] == 60
    for key in (
        "cold sync",
        "re-sync, nothing changed",
        "full parse, one core (reference), before the cold sync",
        "full parse, one core (reference), after the cold sync",
    ):
        assert results[key] > 0
    assert results["cold sync CPU, writing process (ms a post)"] > 0
    assert results["cold sync cores busy"] > 0
    assert results["cold sync: after the last batch was parsed"] > 0
    assert str(results["cold sync ÷ reference (mean of both)"]).endswith("%")
    assert "%–" in str(results["cold sync ÷ reference, against each"])
    assert results["excerpts rendered"] == 0  # 60 posts: a small sync renders them at once
    assert str(results["cold sync + excerpts rendered ÷ reference (mean of both)"]).endswith("%")
    assert isinstance(results["/latest page render, excerpts not stored yet"], Percentiles)
    assert isinstance(results["/latest page render"], Percentiles)
    assert results["search: no hit (量子纠缠)"].calls == 5
    assert any(key.startswith("peak RSS of a serving process") for key in results)


def test_the_stage_breakdown_runs_end_to_end() -> None:
    figures = stages(30)
    assert figures["Markdown → document (parse_markdown: routing + pyromark)"] > 0
    assert figures["Markdown → document, markdown-it (alternative)"] > 0
    assert figures["sync worker, whole (excerpt made in the same pass)"] > 0
    assert figures["cold sync in one process (CPU)"] > 0
    assert figures["reference: read, parse, every renderer (CPU)"] > 0


def test_the_parallel_check_runs_end_to_end() -> None:
    figures = parallel(20)
    assert figures["CPU a post, one process alone (ms)"] > 0
    assert figures["throughput of two cores ÷ one"] > 0


def test_the_writer_cost_check_runs_end_to_end() -> None:
    figures = writer_cost(250)  # above PARALLEL_THRESHOLD: the process pool is used
    assert len(figures) == 4
    for wall, own, workers in figures.values():
        assert wall > 0 and own > 0 and workers > 0


def test_the_push_benchmarks_run_end_to_end() -> None:
    latency = asyncio.run(first_push_latency(posts=20, rounds=1))
    assert "median" in next(iter(latency.values()))
    assert "sends/s" in next(iter(asyncio.run(broadcast_overhead(50)).values()))
    enforced = next(iter(asyncio.run(broadcast_http(10, enforce=True)).values()))
    assert "0 × 429" in enforced and "sustained" in enforced


def test_the_reading_under_load_benchmark_runs_end_to_end() -> None:
    figures = reading_under_load(10, 50, posts=30, quiet=3, every=(1, 2))
    assert figures["429s"] == "0" and figures["updates never answered"] == "0"
