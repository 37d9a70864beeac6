"""Shared fixtures: real files in a temporary content folder, a real SQLite store.

The tests read `../shared` (beside the repository): the ICLR corpus and the feed captures.
Under `CI=true` a missing `../shared` fails the run instead of skipping those tests.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
import yaml
from hypothesis import settings

from herald.core.ports import Store
from herald.store.sqlite import Database, SqliteStore, open_store

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
ICLR_POSTS = SHARED / "corpora" / "iclr-blogposts-2025" / "posts"

WritePost = Callable[..., Path]
pytest_plugins = ["tests.pg"]  # the `postgres` and `postgres_url` fixtures


def pytest_sessionstart(session: pytest.Session) -> None:
    """Without `../shared` the corpus tests skip on a laptop; in CI that is a failure."""
    if os.environ.get("CI") and not ICLR_POSTS.is_dir():
        pytest.exit(f"CI: {SHARED} must be beside the repository (see README)", returncode=2)


# CI replays the same examples every run (a submission must not fail on a new random
# example); developers' runs keep exploring, and what they find becomes a named test.
settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    folder.mkdir()
    return folder


@pytest.fixture
def write_post(content_dir: Path) -> WritePost:
    """Write a post with YAML frontmatter; returns its path."""

    def write(name: str, body: str = "正文。", **meta: object) -> Path:
        path = content_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        header = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) if meta else ""
        text = f"---\n{header}---\n\n{body}\n" if meta else f"{body}\n"
        path.write_text(text, encoding="utf-8")
        return path

    return write


def store_at(path: Path) -> Awaitable[SqliteStore]:
    """The SQLite store in that file, opened as another process would:
    `async with await store_at(path) as store`."""
    return open_store(path, excerpt_chars=350)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqliteStore]:
    """The embedded store; the port contract (`tests/store/contract/`) runs on every backend."""
    opened = await open_store(tmp_path / "herald.db", excerpt_chars=350)
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture
def database(store: SqliteStore) -> Database:
    """The SQLite file underneath, for tests of SQLite itself."""
    return store.database


async def pending(store: Store) -> int:
    """How many posts still wait for their card excerpt to be stored."""
    return len(await store.index.cards_to_render())
