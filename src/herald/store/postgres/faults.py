"""Which PostgreSQL errors are faults that pass, and the one line that names each.

The server restarting or out of reach, a full disk, a database put read-only (a replica
promoted elsewhere, `default_transaction_read_only`), a lock not granted in time, too many
connections: none is a bug in Herald, and each clears by itself.  They become
`StoreUnavailable`, the one exception the service waits out and retries, exactly as
SQLite's are (`herald.store.sqlite.faults`).  Serialization failures and deadlocks pass
too; `Database.run` retries those itself before giving up.

Errors are told apart by SQLSTATE, never by their text.  An error without one is the
driver's: a connection refused, lost or closed (`OperationalError`, `InterfaceError`), or
no connection from the pool in time (`PoolTimeout`, an `OperationalError`).
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import psycopg

from herald.core.ports import StoreUnavailable

_PASSING_CLASSES = {
    "08": "connection lost",
    "53": "out of resources (disk full, memory or connections)",
    "57": "the server is stopping, starting or cancelled the statement",
    "58": "I/O error on the server",
}
"""SQLSTATE class → what it means for the operator."""
_PASSING_STATES = {
    "53100": "disk full",
    "53300": "too many connections",
    "25006": "read-only",
    "55P03": "a lock was not granted in time",
    "40001": "serialization failure (retried)",
    "40P01": "deadlock (retried)",
}
RETRIED_STATES = frozenset({"40001", "40P01"})
"""Another transaction got in the way: running the same one again succeeds."""


def redacted(url: str) -> str:
    """The URL without its password (and without query parameters, which may hold one)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    user = f"{parts.username}@" if parts.username else ""
    return urlunsplit((parts.scheme, f"{user}{host}", parts.path, "", ""))


def unavailable(exc: BaseException, where: str) -> StoreUnavailable | None:
    """The `StoreUnavailable` an error stands for, or None if it is not a passing fault.

    The line keeps the server's own words after Herald's meaning."""
    if not isinstance(exc, psycopg.Error):
        return None
    state = exc.sqlstate
    if state is None:
        if not isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError):
            return None
        meaning = "cannot reach the database"
    elif state in _PASSING_STATES:
        meaning = _PASSING_STATES[state]
    elif state[:2] in _PASSING_CLASSES:
        meaning = _PASSING_CLASSES[state[:2]]
    else:
        return None
    cause = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return StoreUnavailable(f"{where}: {meaning} ({cause})")
