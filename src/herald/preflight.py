"""Checks a command makes before it opens anything, so a wrong path is one clear line.

SQLite reports `store.path = "/dev/null"` as "disk I/O error" from deep inside a migration,
and a folder as "unable to open database file" followed by a dying worker thread; both
are a mistake in one key, so they are caught here and phrased as that key's problem.
"""

from __future__ import annotations

import os
from pathlib import Path

from herald.config import Config, ConfigError


def check_store_path(config: Config, *, from_command_line: bool) -> None:
    """Raise `ConfigError` naming the key (or `--db`) when the store cannot live there.

    A missing file is created (with its folders), as opening the store would: only trying
    tells a read-only or full file system, or a folder root may not write in, apart.
    """
    path = config.store.path
    if str(path) == ":memory:" or config.store.url is not None:  # a server checks itself
        return
    where = "--db" if from_command_line else f"{config.source or 'config'}: [store] path"
    problem = _store_path_problem(path)
    if problem is not None:
        raise ConfigError(f"{where}: {path}: {problem}")


def _store_path_problem(path: Path) -> str | None:
    if path.is_dir():
        return f"is a folder; name a database file in it, e.g. {path / 'herald.db'}"
    if path.exists() and not path.is_file():
        return "is not a regular file (a device or a pipe?); name a database file"
    folder = path.parent
    existing = next(parent for parent in (folder, *folder.parents) if parent.exists())
    if not existing.is_dir():
        return f"cannot be created: {existing} is a file, not a folder"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o644))
    except OSError as exc:
        return f"cannot be created: {exc.strerror or exc}"
    # SQLite writes its journal (`-wal`, `-shm`) beside the database file.
    if not os.access(path, os.R_OK | os.W_OK) or not os.access(folder, os.W_OK | os.X_OK):
        return "cannot be written here (permission denied or a read-only file system)"
    return None
