"""The cold-sync benchmark at toy size (issue 18): it runs, stores every excerpt in the
sync, and skips the Hugo ratio when asked; it asserts no timings."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.cold_sync import hugo_site
from bench.corpus import write_corpus


def test_the_cold_sync_benchmark_runs_end_to_end() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench.cold_sync", "--size", "40", "--rounds", "1", "--no-hugo"],
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert "- posts: 40" in done.stdout
    assert "- excerpts left to render: 0" in done.stdout
    assert "herald ÷ hugo: skipped (--no-hugo)" in done.stdout


def test_one_round_reports_every_figure(tmp_path: Path) -> None:
    root = tmp_path / "content"
    write_corpus(root, 12)
    done = subprocess.run(
        [sys.executable, "-m", "bench.cold_sync", "--once", str(root), str(tmp_path / "h.db")],
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["posts"] == 12 and figures["excerpts left to render"] == 0
    assert figures["excerpts rendered after the sync (s)"] >= 0
    assert figures["peak RSS, syncing process (MB)"] > 0


def test_the_hugo_site_reads_the_corpus_in_place(tmp_path: Path) -> None:
    site = hugo_site(tmp_path, tmp_path / "content")
    assert f'contentDir = "{tmp_path / "content"}"' in (site / "hugo.toml").read_text()
    assert "codeFences = false" in (site / "hugo.toml").read_text()
    assert (site / "layouts" / "_default" / "single.html").is_file()
