"""Store backends behind the core ports (`herald.core.ports`), one package each.

`open_store` picks the backend a configuration names; every backend is imported only when
chosen, so SQLite users never load a PostgreSQL driver.  A new backend is a package here
with an `open_store` of the same shape, one entry in `BACKENDS`, and the contract test
suite (`tests/store/contract/`) passing against it.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import Protocol

from herald.core.ports import Store, StoreError


class _Opener(Protocol):
    async def __call__(self, location: Path, *, excerpt_chars: int) -> Store: ...


BACKENDS: dict[str, str] = {"sqlite": "herald.store.sqlite"}
"""Backend name → the package whose `open_store` opens it."""


async def open_store(location: Path, *, excerpt_chars: int, backend: str = "sqlite") -> Store:
    """Open (creating and migrating if need be) the store at `location`."""
    if backend not in BACKENDS:
        raise StoreError(f"unknown store backend {backend!r}; known: {', '.join(BACKENDS)}")
    opener: _Opener = import_module(BACKENDS[backend]).open_store
    return await opener(location, excerpt_chars=excerpt_chars)
