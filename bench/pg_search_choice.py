"""`python -m bench.pg_search_choice [posts]`: why PostgreSQL searches Herald's own tokens.

Issue 19 left the choice open: bigram tokens in a `tsvector` (`simple` configuration), or
pg_trgm over the text (pg_bigm is not packaged with Debian's server).  Both are built here
over the same posts' search text on the throwaway cluster, and each answers the queries
readers type: a two-character Chinese word, a longer one, an English word.  The figures
are the index's build time and size and the median / worst of 20 queries counting the
matches; the match counts are printed too, since an index that is fast but finds
something else is no answer.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import psycopg
from fakes.postgres_server import PostgresServer, find_bindir

from bench.corpus import write_corpus
from herald.content.loader import read_post
from herald.content.post import LoadError
from herald.content.searchable import searchable_text
from herald.indexing.tokens import index_text

QUERIES = ("显存", "梯度检查点", "gradient")
_TSQUERY = {
    "显存": "'显存'",
    "梯度检查点": "'梯度' <-> '度检' <-> '检查' <-> '查点'",
    "gradient": "'gradient'",
}
"""What Herald's tokens make of each query (`herald.store.postgres.lexemes`), written out."""
_INDEXES = (
    ("pg_trgm GIN over the text", "CREATE INDEX ON t USING gin (body gin_trgm_ops)"),
    ("tsvector of Herald's tokens, GIN", "CREATE INDEX ON t USING gin (tsv)"),
)


def _timed(conn: psycopg.Connection, sql: str, params: tuple[object, ...]) -> tuple[str, int]:
    samples, found = [], 0
    for _ in range(20):
        started = time.perf_counter()
        found = conn.execute(sql, params).fetchone()[0]  # type: ignore[index]
        samples.append((time.perf_counter() - started) * 1000)
    return f"{statistics.median(samples):.1f} / {max(samples):.1f} ms", found


def main(posts: int) -> None:
    with tempfile.TemporaryDirectory(prefix="herald-bench-") as folder:
        content = Path(folder) / "content"
        write_corpus(content, posts)
        texts = []
        for path in sorted(content.rglob("*.md")):
            post = read_post(content, path)
            if not isinstance(post, LoadError):
                texts.append(searchable_text(post.body))
        server = PostgresServer(find_bindir())
        server.start()
        try:
            with psycopg.connect(server.create_database("choice"), autocommit=True) as conn:
                conn.execute("CREATE EXTENSION pg_trgm")
                conn.execute("CREATE TABLE t (id int PRIMARY KEY, body text, tsv tsvector)")
                with conn.cursor().copy("COPY t (id, body) FROM STDIN") as copy:
                    for number, text in enumerate(texts):
                        copy.write_row((number, text))
                rows = {}
                for name, build in _INDEXES:
                    started = time.perf_counter()
                    if "tsvector" in name:
                        with conn.cursor() as cursor:
                            cursor.executemany(
                                "UPDATE t SET tsv = to_tsvector('simple', %s) WHERE id = %s",
                                [(index_text(text), n) for n, text in enumerate(texts)],
                            )
                    conn.execute(build)
                    rows[name] = {"build": f"{time.perf_counter() - started:.1f} s"}
                conn.execute("VACUUM ANALYZE t")
                sizes = conn.execute(
                    "SELECT pg_relation_size(indexrelid) FROM pg_index "
                    "WHERE indrelid = 't'::regclass AND NOT indisprimary ORDER BY indexrelid"
                ).fetchall()
                for figures, (size,) in zip(rows.values(), sizes, strict=True):
                    figures["index size"] = f"{size / 1e6:.1f} MB"
                for query in QUERIES:
                    like = _timed(
                        conn, "SELECT count(*) FROM t WHERE body ILIKE %s", (f"%{query}%",)
                    )
                    ts = _timed(
                        conn, "SELECT count(*) FROM t WHERE tsv @@ %s::tsquery", (_TSQUERY[query],)
                    )
                    rows["pg_trgm GIN over the text"][query] = f"{like[0]} ({like[1]} found)"
                    rows["tsvector of Herald's tokens, GIN"][query] = f"{ts[0]} ({ts[1]} found)"
        finally:
            server.stop()
    names = list(rows)
    print(f"| {posts:,} posts | {' | '.join(names)} |\n| --- |{' --- |' * len(names)}")
    for key in rows[names[0]]:
        print(f"| {key} | {' | '.join(rows[name][key] for name in names)} |")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
