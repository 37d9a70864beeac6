"""The port contract: every test in this folder runs against every store backend.

A backend is a name in `BACKENDS` and a way to open a fresh, empty store of that kind;
a second backend passes when this whole folder does.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from herald.core.ports import Store
from herald.store import open_store

BACKENDS = ["sqlite", "postgres"]
OpenStore = Callable[..., Awaitable[Store]]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def location(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """Where the store under test lives: a file, or a fresh database on the test cluster."""
    if backend == "postgres":
        return str(request.getfixturevalue("postgres_url"))
    return tmp_path / "herald.db"


@pytest.fixture
async def open_fresh(backend: str, location: Path | str) -> AsyncIterator[OpenStore]:
    """Open the store under test again (another process's view, or other settings)."""
    opened: list[Store] = []

    async def opener(*, excerpt_chars: int = 350) -> Store:
        store = await open_store(location, excerpt_chars=excerpt_chars, backend=backend)
        opened.append(store)
        return store

    yield opener
    for store in opened:
        await store.close()


@pytest.fixture
async def store(open_fresh: OpenStore) -> Store:
    return await open_fresh()
