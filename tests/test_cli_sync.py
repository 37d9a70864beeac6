"""`herald sync` leaves a complete store: posts, index and every card's excerpt."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bench.corpus import write_corpus
from click.testing import CliRunner

from herald.cli import main
from herald.indexing.sync import BULK_INDEXING_THRESHOLD


def test_a_large_sync_stores_every_excerpt_in_its_one_pass(tmp_path: Path) -> None:
    content, db = tmp_path / "content", tmp_path / "h.db"
    write_corpus(content, BULK_INDEXING_THRESHOLD, seed=4)
    result = CliRunner().invoke(main, ["sync", "--content", str(content), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert f"added {BULK_INDEXING_THRESHOLD}," in result.output
    assert "excerpts rendered" not in result.output  # none left for a second pass
    with sqlite3.connect(db) as connection:
        row = connection.execute("SELECT count(*), count(excerpt) FROM posts").fetchone()
    assert row == (BULK_INDEXING_THRESHOLD, BULK_INDEXING_THRESHOLD)
    again = CliRunner().invoke(main, ["sync", "--content", str(content), "--db", str(db)])
    assert "excerpts rendered" not in again.output
