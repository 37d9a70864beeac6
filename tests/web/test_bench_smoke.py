"""`bench.web` at toy size: keeps the reader's benchmark working, asserts no timings."""

from __future__ import annotations

from pathlib import Path

from bench.timing import Percentiles
from bench.web import site_figures, web_figures

from tests.web.site import write_site


async def test_the_reader_benchmark_runs_end_to_end(tmp_path: Path) -> None:
    results = await web_figures(40, 5, tmp_path / "bench")
    for key in (
        "first view: lookup, parse, render",
        "again: from the page cache",
        "again with its ETag: 304",
        "feed page /",
        "search /search?q=显存",
    ):
        figures = results[key]
        assert isinstance(figures, Percentiles) and figures.calls > 0, key
    site = await site_figures(write_site(tmp_path / "site"))
    assert any(key.endswith("first view of each of 25 posts") for key in site)
