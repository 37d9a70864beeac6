"""Which SQLite errors are faults that pass, and the one line that names each.

A full disk, another process holding the write lock past the busy timeout, an I/O error, a
file turned read-only or a folder that cannot be opened for the journal: none of them is a
bug or a broken database, and each clears by itself (space is freed, `herald sync`
finishes, the mount comes back).  They become `StoreUnavailable`, the one exception the
service waits out and retries; every other SQLite error stays what it is.

Errors are told apart by SQLite's own result code (`sqlite_errorcode`, Python ≥ 3.11),
never by their text, so a trigger's `RAISE(ABORT, 'database or disk is full')` is still a
constraint failure.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from herald.core.ports import StoreUnavailable

SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_PROTOCOL = 15

_PASSING = {
    SQLITE_BUSY: "locked by another process",
    SQLITE_LOCKED: "locked by another process",
    SQLITE_READONLY: "read-only",
    SQLITE_IOERR: "disk I/O error",
    SQLITE_FULL: "disk full",
    SQLITE_CANTOPEN: "cannot open its files",
    SQLITE_PROTOCOL: "locking protocol error",
}
"""Primary result code → what it means for the operator."""


def primary_code(exc: BaseException) -> int | None:
    """SQLite's primary result code of an error it raised (None: not SQLite's own)."""
    code = getattr(exc, "sqlite_errorcode", None) if isinstance(exc, sqlite3.Error) else None
    return code & 0xFF if isinstance(code, int) else None


def is_busy(exc: BaseException) -> bool:
    """Another connection holds the lock this statement needed."""
    return primary_code(exc) in (SQLITE_BUSY, SQLITE_LOCKED)


def unavailable(
    exc: BaseException, path: Path, *, waited: float | None = None
) -> StoreUnavailable | None:
    """The `StoreUnavailable` an error stands for, or None if it is not a passing fault.

    The line keeps SQLite's own words ("database or disk is full") after Herald's, so an
    operator sees both the meaning and the cause.
    """
    code = primary_code(exc)
    if code not in _PASSING:
        return None
    meaning = _PASSING[code]
    if waited is not None and code in (SQLITE_BUSY, SQLITE_LOCKED):
        meaning = f"{meaning} for over {waited:g} s"
    return StoreUnavailable(f"{path}: {meaning} ({exc})")
