"""`python -m bench.search [--posts 100000] [--calls 300] [--keep DIR]`: search latency
for each query kind.

The corpus of `bench.corpus`, with one post in 25 also carrying the mixed-script terms of
Chinese ML notes (`LoRA微调`, `GPU显存`, `FP8训练`, `KV缓存`, `Qwen2.5-VL`), synced into a
real SQLite file by Herald's own sync; then each query is asked through `ReaderService`
(ranking, the page's summaries and their snippets) and rendered as the Telegram message
a reader gets, p50/p99 over `--calls` calls.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from bench.corpus import post_text
from bench.timing import Percentiles, repeat
from herald.core.reader import ReaderService
from herald.core.views import FeedPage
from herald.indexing.excerpts import render_pending_excerpts
from herald.indexing.sync import sync
from herald.render.telegram_replies import feed_message
from herald.store.sqlite import open_store

MIXED_EVERY = 25
MIXED_LINES = (
    "我们用LoRA微调模型，占用GPU显存。",
    "FP8训练省显存，KV缓存随序列长度增长。",
    "Qwen2.5-VL 的 Self-Attention 用 FlashAttention 实现。",
)
QUERIES = {
    "Chinese two-character word": "显存",
    "Chinese phrase": "检查点",
    "mixed Latin-Han word": "LoRA微调",
    "English word": "gradient",
    "English prefix": "quant",
    "no hit": "量子纠缠",
}


def write_search_corpus(root: Path, count: int) -> None:
    """`bench.corpus`, one post in MIXED_EVERY with a mixed-script line appended."""
    for index in range(count):
        name, text = post_text(index)
        if index % MIXED_EVERY == 0:
            text += "\n" + MIXED_LINES[(index // MIXED_EVERY) % len(MIXED_LINES)] + "\n"
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


async def search_figures(
    count: int, calls: int, folder: Path | None = None
) -> dict[str, Percentiles | float]:
    """The figures; `folder` keeps the corpus and store there (built once, reused after)."""
    if folder is None:
        with tempfile.TemporaryDirectory(prefix="herald-search-bench-") as temporary:
            return await search_figures(count, calls, Path(temporary))
    results: dict[str, Percentiles | float] = {}
    root = folder / "content"
    built = (folder / "built").exists()
    if not built:
        write_search_corpus(root, count)
    async with await open_store(folder / "herald.db", excerpt_chars=350) as store:
        if not built:
            started = time.perf_counter()
            await sync(store.index, root, excerpt_chars=350)
            await render_pending_excerpts(store.index, excerpt_chars=350)
            results["sync and excerpts (s)"] = time.perf_counter() - started
            (folder / "built").touch()
        reader = ReaderService(store, timezone="Asia/Shanghai")
        for label, query in QUERIES.items():

            async def search(_: int, query: str = query) -> None:
                reply = await reader.search(query, lang="zh")
                if isinstance(reply, FeedPage):
                    feed_message(reply)

            await search(0)  # the saved query's one write, and a warm cache
            results[f"{label} ({query})"] = await repeat(search, calls)
    return results


PREFIX_SETTINGS = ("", "2 3", "3 4 5")
PREFIXES = ("co", "com", "qua", "quan", "quant")


def prefix_index_cost(db_path: Path) -> list[str]:
    """The store's search index copied into fresh tables with each `prefix=` setting:
    build time, index size, and a prefix's 500th-newest match, as `ranked_matches` asks."""
    lines = []
    for setting in PREFIX_SETTINGS:
        scratch = db_path.with_name("prefix-cost.db")
        scratch.unlink(missing_ok=True)
        db = sqlite3.connect(scratch)
        db.execute("ATTACH ? AS stored", (str(db_path),))
        option = f", prefix = '{setting}'" if setting else ""
        db.execute(
            "CREATE VIRTUAL TABLE f USING fts5 (title, tags, body, "
            f"tokenize = 'unicode61 remove_diacritics 2'{option})"
        )
        started = time.perf_counter()
        db.execute("INSERT INTO f (rowid, title, tags, body) SELECT rowid, * FROM posts_fts")
        db.commit()
        built = time.perf_counter() - started
        (size,) = db.execute("SELECT sum(length(block)) FROM f_data").fetchone()
        figures = []
        for prefix in PREFIXES:
            samples = []
            for _ in range(20):
                started = time.perf_counter()
                db.execute(
                    "SELECT rowid FROM f WHERE f MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET 499",
                    (f'"{prefix}"*',),
                ).fetchall()
                samples.append(time.perf_counter() - started)
            figures.append(f"{prefix}* {statistics.median(samples) * 1000:.2f} ms")
        db.close()
        scratch.unlink()
        label = f"'{setting}'" if setting else "none"
        lines.append(
            f"prefix={label}: {size / 1e6:.0f} MB, built in {built:.1f} s; " + ", ".join(figures)
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.search")
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument(
        "--keep", type=Path, help="build the corpus and store in this folder once, reuse after"
    )
    parser.add_argument(
        "--prefix-cost",
        action="store_true",
        help="with --keep: what each FTS5 prefix-index setting costs and buys",
    )
    args = parser.parse_args()
    print(f"# search, {args.posts:,} posts — load average {os.getloadavg()[0]:.2f}")
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    results = asyncio.run(search_figures(args.posts, args.calls, args.keep))
    for label, value in results.items():
        print(f"- {label}: {value:.1f}" if isinstance(value, float) else f"- {label}: {value}")
    if args.prefix_cost and args.keep:
        for line in prefix_index_cost(args.keep / "herald.db"):
            print(f"- {line}", flush=True)
    print(f"(load average after: {os.getloadavg()[0]:.2f})")


if __name__ == "__main__":
    main()
