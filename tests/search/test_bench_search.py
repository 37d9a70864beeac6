"""`python -m bench.search` at toy size: it keeps working; asserts no timings."""

from __future__ import annotations

import asyncio

from bench.search import QUERIES, search_figures
from bench.timing import Percentiles


def test_the_search_benchmark_runs_every_query_kind() -> None:
    results = asyncio.run(search_figures(60, 3))
    for label, query in QUERIES.items():
        figure = results[f"{label} ({query})"]
        assert isinstance(figure, Percentiles) and figure.calls == 3
