"""`python -m bench.stages [N]`: CPU per post of each step of a sync and of the reference.

The cold-sync target compares a two-core sync with a one-core "parse and render everything"
reference.  This splits both into their steps, on the same posts, so it is visible which
steps they share (reading the file and its frontmatter, the Markdown parse, the excerpt)
and which only one of them pays (the sync: search text from the source, CJK bigrams,
moving results between processes, SQLite; the reference: search text from the document
and three renderers).  A sync makes each card's excerpt from the same parse, in the
worker, whatever its size.  Beside each step that has two implementations, the other one
on the same posts: the markdown-it front end (`markdown_it_document`) against the one
`parse_markdown` uses, libyaml against the plain-frontmatter reader, unicodeit against
the one-pass LaTeX → Unicode.  It also times a whole cold sync in one process.

Each step runs over every post, three rounds, the best round counted (this is a noisy
shared machine); the cyclic collector is paused while a step runs, so steps are not
charged for collections caused by the posts kept in memory between them.
"""

from __future__ import annotations

import asyncio
import gc
import pickle
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import unicodeit
import yaml

from bench.corpus import write_corpus
from bench.suite import empty_store, full_parse_one_core
from herald.content.document import Document, Math
from herald.content.loader import discover, read_post
from herald.content.markdown import markdown_it_document, parse_markdown
from herald.content.plain_yaml import plain_mapping
from herald.content.post import Post
from herald.content.prepass import prepared
from herald.content.searchable import searchable_text
from herald.indexing.prepare import prepare_batch
from herald.indexing.sync import BATCH_SIZE, sync
from herald.indexing.tokens import index_text
from herald.render import (
    discord_messages,
    excerpt,
    plain_text,
    search_text,
    telegram_messages,
)
from herald.render.latex_unicode import replace as latex_to_unicode

T = TypeVar("T")
ROUNDS = 3


def per_post_ms(step: Callable[[T], object], items: Sequence[T]) -> float:
    best = float("inf")
    for _ in range(ROUNDS):
        gc.disable()
        started = time.process_time()
        for item in items:
            step(item)
        best = min(best, time.process_time() - started)
        gc.enable()
    return best / len(items) * 1000


async def _cold_sync_seconds(root: Path, db_path: Path, workers: int) -> float:
    async with empty_store(db_path) as store:
        started = time.process_time()
        await sync(store.index, root, excerpt_chars=350, workers=workers)
        return time.process_time() - started


def stages(count: int) -> dict[str, float]:
    base = Path(tempfile.mkdtemp(prefix="herald-stages-"))
    try:
        root = base / "content"
        write_corpus(root, count, seed=0)
        paths = discover(root)
        # The two whole pipelines first, while this process holds little: a large heap makes
        # every collection slower, which would charge them for the step caches below.
        figures = {
            "reference: read, parse, every renderer (CPU)": min(
                _cpu(lambda: full_parse_one_core(root, paths)) for _ in range(2)
            ),
            "cold sync in one process (CPU)": min(
                asyncio.run(_cold_sync_seconds(root, base / "stages.db", workers=1))
                for _ in range(2)
            ),
        }
        figures = {label: value / len(paths) * 1000 for label, value in figures.items()}
        figures.update(_steps(root, paths))
        return figures
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _steps(root: Path, paths: list[Path]) -> dict[str, float]:
    posts = [post for path in paths if isinstance(post := read_post(root, path), Post)]
    documents: list[tuple[Post, Document]] = [(p, parse_markdown(p.body)) for p in posts]
    texts = [searchable_text(post.body) for post in posts]
    headers = [_header(path) for path in paths]
    sources = [prepared(post.body) for post in posts]
    formulas = sorted({m.tex for _, doc in documents for m in _math(doc.blocks)})
    jobs: list[tuple[str, str | None]] = [(p.relative_to(root).as_posix(), None) for p in paths]
    batches = [jobs[i : i + BATCH_SIZE] for i in range(0, len(jobs), BATCH_SIZE)]
    prepared_batches = [prepare_batch(root, batch, 350) for batch in batches]
    per_batch = len(jobs) / len(batches)
    return {
        "read + frontmatter": per_post_ms(lambda path: read_post(root, path), paths),
        "frontmatter: plain reader (used when it applies)": per_post_ms(plain_mapping, headers),
        "frontmatter: libyaml + PyYAML constructor (alternative)": per_post_ms(
            lambda header: yaml.load(header, Loader=yaml.CSafeLoader), headers
        ),
        "Markdown → document (parse_markdown: routing + pyromark)": per_post_ms(
            lambda post: parse_markdown(post.body), posts
        ),
        "Markdown → document, markdown-it (alternative)": per_post_ms(
            markdown_it_document, sources
        ),
        "excerpt from the document": per_post_ms(
            lambda pair: excerpt(pair[1], lang=pair[0].lang), documents
        ),
        "LaTeX → Unicode, one pass (a formula, not a post; no cache)": _formulas_ms(
            latex_to_unicode, formulas
        ),
        "LaTeX → Unicode, unicodeit.replace (alternative; a formula)": _formulas_ms(
            unicodeit.replace, formulas
        ),
        "reference only: search text from the document": per_post_ms(
            lambda pair: search_text(pair[1]), documents
        ),
        "sync only: search text from the source": per_post_ms(
            lambda post: searchable_text(post.body), posts
        ),
        "sync only: CJK bigrams for the index": per_post_ms(index_text, texts),
        "sync only: results between processes (pickle)": per_post_ms(
            lambda batch: pickle.loads(pickle.dumps(batch)), prepared_batches
        )
        / per_batch,
        "reference only: Telegram HTML": per_post_ms(
            lambda pair: telegram_messages(pair[1]), documents
        ),
        "reference only: Discord Markdown": per_post_ms(
            lambda pair: discord_messages(pair[1]), documents
        ),
        "reference only: plain text": per_post_ms(lambda pair: plain_text(pair[1]), documents),
        "sync worker, whole (excerpt made in the same pass)": per_post_ms(
            lambda batch: prepare_batch(root, batch, 350), batches
        )
        / per_batch,
    }


def _header(path: Path) -> str:
    text = path.read_text(encoding="utf-8").lstrip("\n")
    return text.split("\n---", 1)[0].removeprefix("---").strip("\n")


def _math(nodes: object) -> list[Math]:
    """Every inline formula of a document (what an excerpt converts)."""
    if isinstance(nodes, Math):
        return [nodes]
    if isinstance(nodes, tuple):
        return [found for node in nodes for found in _math(node)]
    slots: tuple[str, ...] = getattr(nodes, "__slots__", ())
    return [found for name in slots for found in _math(getattr(nodes, name))]


def _formulas_ms(convert: Callable[[str], object], formulas: list[str]) -> float:
    """CPU a formula of `convert`, each formula once a round (no cache can help), best
    of the rounds, the collector paused as in `per_post_ms`."""
    if not formulas:
        return 0.0
    return per_post_ms(convert, formulas)


def _cpu(call: Callable[[], object]) -> float:
    started = time.process_time()
    call()
    return time.process_time() - started


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    print(f"# CPU per post, {count:,} posts (best of {ROUNDS} rounds)\n")
    for label, value in stages(count).items():
        print(f"- {label}: {value:.3f} ms")


if __name__ == "__main__":
    main()
