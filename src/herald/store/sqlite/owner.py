"""One serving process per store: an advisory lock beside the SQLite file.

Two `herald run` on one database would both deliver, and the second one's start-up
recovery would put the first one's in-flight deliveries back in the queue: duplicate
pushes.  So the service holds `<db>.lock` for as long as it runs, with its PID in it for the
message a second one prints.  `herald sync`, `check` and `outbox` do not take it: they only
meet SQLite's own locks, which the service waits out.

The lock is a POSIX record lock (`fcntl.lockf`), not `flock`: it belongs to the process, so
the worker processes forked for parsing and rendering never hold it, and it dies with the
process however that ends (a SIGKILLed service leaves a lock file that blocks no one).  A
record lock is also released when the process closes *any* descriptor of the file, so this
process opens it once and remembers which files it holds.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from herald.core.ports import StoreError

_HELD: set[Path] = set()
"""Lock files this process holds (a second owner in the same process is refused too)."""


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


@contextlib.contextmanager
def sole_owner(database: Path) -> Iterator[None]:
    """Hold the store's owner lock for the block, or raise `StoreError` at once."""
    if str(database) == ":memory:":  # private to this connection: nobody to share it with
        yield
        return
    path = lock_path(database).resolve()
    if path in _HELD:
        raise StoreError(f"{database} is already served by this process")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise StoreError(f"{path}: cannot create the owner lock ({exc.strerror})") from None
    try:
        try:
            fcntl.lockf(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise StoreError(_refusal(database, descriptor)) from None
        os.ftruncate(descriptor, 0)
        os.write(descriptor, f"{os.getpid()}\n".encode())
        _HELD.add(path)
        try:
            yield
        finally:
            _HELD.discard(path)
    finally:
        os.close(descriptor)  # releases the lock


def _refusal(database: Path, descriptor: int) -> str:
    holder = os.pread(descriptor, 32, 0).decode("ascii", "replace").strip()
    who = f"another herald (pid {holder})" if holder.isdigit() else "another herald"
    return f"{database} is already served by {who}; stop it first or use another --db"
