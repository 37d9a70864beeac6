"""Shared fixtures: real files in a temporary content folder, a real SQLite file."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
import yaml
from hypothesis import settings

from herald.store.database import Database

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
ICLR_POSTS = SHARED / "corpora" / "iclr-blogposts-2025" / "posts"

WritePost = Callable[..., Path]

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


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    db = await Database.open(tmp_path / "herald.db")
    try:
        yield db
    finally:
        await db.close()
