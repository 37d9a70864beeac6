"""Store backends behind the core ports (`herald.core.ports`), one package each.

`open_store` picks the backend a location names (a `postgresql://` URL is PostgreSQL,
anything else a SQLite file); every backend is imported only when chosen, so SQLite users
never load a PostgreSQL driver.  A new backend is a package here with an `open_store` of
the same shape, one entry in `BACKENDS`, and the contract test suite
(`tests/store/contract/`) passing against it.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from importlib import import_module
from pathlib import Path
from typing import Protocol

from herald.core.ports import Store, StoreError
from herald.limits import LEASE_SECONDS


class _Opener(Protocol):
    async def __call__(
        self, location: Path | str, *, excerpt_chars: int, lease_seconds: float
    ) -> Store: ...


BACKENDS: dict[str, str] = {"sqlite": "herald.store.sqlite", "postgres": "herald.store.postgres"}
"""Backend name → the package whose `open_store` opens it."""
URL_SCHEMES = {"postgresql": "postgres", "postgres": "postgres", "sqlite": "sqlite"}
"""URL scheme → backend (`sqlite:///herald.db` names a file, as in `herald migrate`)."""


def backend_of(location: Path | str) -> str:
    """The backend a location names: a URL's scheme, else a SQLite file."""
    if isinstance(location, Path):
        return "sqlite"
    scheme, found, _ = location.partition("://")
    return URL_SCHEMES.get(scheme.lower(), "sqlite") if found else "sqlite"


def sqlite_path(location: Path | str) -> Path:
    """The file a SQLite location names (`sqlite:///herald.db` or a plain path)."""
    text = str(location)
    return Path(text[len("sqlite://") :] if text.startswith("sqlite://") else text)


async def open_store(
    location: Path | str,
    *,
    excerpt_chars: int,
    backend: str | None = None,
    lease_seconds: float = LEASE_SECONDS,
) -> Store:
    """Open (creating and migrating if need be) the store at `location`; `lease_seconds`:
    how long an outbox claim stands on a store replicas share (`[push] lease_seconds`)."""
    backend = backend or backend_of(location)
    if backend not in BACKENDS:
        raise StoreError(f"unknown store backend {backend!r}; known: {', '.join(BACKENDS)}")
    if backend == "sqlite":
        location = sqlite_path(location)
    opener: _Opener = import_module(BACKENDS[backend]).open_store
    return await opener(location, excerpt_chars=excerpt_chars, lease_seconds=lease_seconds)


@contextlib.asynccontextmanager
async def sole_owner(location: Path | str) -> AsyncIterator[None]:
    """Serve a SQLite store alone for the block (a second `herald run` on it refuses to
    start: a file lock beside it).  A PostgreSQL store is shared: replicas serve it side
    by side, so nothing is held (its outbox leases and sync lead keep them apart)."""
    if backend_of(location) != "sqlite":
        yield
        return
    from herald.store.sqlite.owner import sole_owner as sqlite_owner

    with sqlite_owner(sqlite_path(location)):
        yield
