"""A throwaway PostgreSQL cluster for the tests and the benchmarks: found, initialised,
started, thrown away.

Debian's server binaries (`/usr/lib/postgresql/<n>/bin`, or `$HERALD_PG_BINDIR`) run as
the current user, or, when that is root (CI containers), as the OS user `postgres`
(`nobody` failing that): `initdb` and `postgres` both refuse to run as root.  The cluster
lives in a fresh 0700 folder that user owns; the server is `postgres` itself, a direct
child of this process, on 127.0.0.1 at a free port and a unix socket in that folder.
Ready means its `postmaster.pid` says so.  Durability is off: the data is thrown away.

The pytest fixtures over it are in `tests/pg.py`; `bench.backends` starts one the same
way.  Standard library only, plus psycopg for creating databases.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg

_SEARCHED = ("/usr/lib/postgresql/*/bin", "/usr/pgsql-*/bin", "/usr/local/pgsql/bin")
_SETTINGS = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "300",
    "log_min_messages": "warning",
}
START_TIMEOUT = 60.0
"""Generous: initdb and the first start take a few seconds on a loaded 2-core machine."""


class PostgresNotInstalled(RuntimeError):
    """No PostgreSQL server binaries here: the one reason to skip."""


def find_bindir() -> Path:
    """The newest folder that holds both `initdb` and `postgres`."""
    candidates = [os.environ.get("HERALD_PG_BINDIR", "")]
    for pattern in _SEARCHED:
        found = glob.glob(pattern)
        found.sort(key=lambda path: [int(n) for n in re.findall(r"\d+", path)], reverse=True)
        candidates += found
    for candidate in filter(None, candidates):
        folder = Path(candidate)
        if all(os.access(folder / name, os.X_OK) for name in ("initdb", "postgres")):
            return folder
    raise PostgresNotInstalled(
        "PostgreSQL is not installed (no initdb and postgres in /usr/lib/postgresql/*/bin or "
        "$HERALD_PG_BINDIR): the PostgreSQL tests are skipped; install it with "
        "`apt-get install postgresql` (under CI=true this is a failure)"
    )


def _server_user() -> pwd.struct_passwd | None:
    """Who runs the server when we are root (None: ourselves)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    raise RuntimeError("running as root with neither a 'postgres' nor a 'nobody' user")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresServer:
    """One running throwaway cluster; `stop()` ends it and deletes its folder."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.user = _server_user()
        self.base = Path(tempfile.mkdtemp(prefix="herald-pg-", dir="/tmp"))  # short: socket
        if self.user is not None:
            os.chown(self.base, self.user.pw_uid, self.user.pw_gid)
        self.base.chmod(0o700)
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def data(self) -> Path:
        return self.base / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def _as_user(self) -> dict[str, object]:
        if self.user is None:
            return {}
        return {"user": self.user.pw_uid, "group": self.user.pw_gid, "extra_groups": []}

    def _env(self) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
        env.update(LC_ALL="C", HOME=str(self.base))
        return env

    def start(self) -> None:
        initdb = subprocess.run(  # type: ignore[call-overload]
            [
                str(self.bindir / "initdb"),
                *("--pgdata", str(self.data), "--username", "postgres"),
                *("--encoding", "UTF8", "--locale", "C", "--auth", "trust"),
                "--no-sync",
            ],
            cwd=self.base,
            env=self._env(),
            capture_output=True,
            text=True,
            **self._as_user(),
        )
        if initdb.returncode != 0:
            raise RuntimeError(f"initdb failed: {initdb.stderr.strip()}")
        for _ in range(5):  # a probed port may be taken before the server binds it
            self.port = _free_port()
            if self._spawn():
                return
        raise RuntimeError(f"postgres did not start: {self._log_tail()}")

    def _spawn(self) -> bool:
        settings = {
            **_SETTINGS,
            "listen_addresses": "127.0.0.1",
            "port": str(self.port),
            "unix_socket_directories": str(self.base),
        }
        args = [str(self.bindir / "postgres"), "-D", str(self.data)]
        for name, value in settings.items():
            args += ["-c", f"{name}={value}"]
        with (self.base / "server.log").open("ab") as log:
            self.process = subprocess.Popen(  # type: ignore[call-overload]
                args,
                cwd=self.base,
                env=self._env(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                **self._as_user(),
            )
        assert self.process is not None
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            with contextlib.suppress(OSError):
                lines = (self.data / "postmaster.pid").read_text().splitlines()
                if len(lines) >= 8 and lines[7].strip() == "ready":
                    return True
            time.sleep(0.02)  # polling a file the server writes: there is nothing to await
        self.stop()
        raise RuntimeError(f"postgres was not ready in {START_TIMEOUT:.0f} s")

    def _log_tail(self) -> str:
        with contextlib.suppress(OSError):
            return " | ".join((self.base / "server.log").read_text().splitlines()[-5:])
        return "(no log)"

    def create_database(self, name: str, *, template: str | None = None) -> str:
        """A new database (a copy of `template` if given); its URL."""
        copy = f" TEMPLATE {template}" if template else ""
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"{copy}'.encode())
        return self.url(name)

    def halt(self) -> None:
        """Stop the server, keeping its data (`resume` starts it again on the same port)."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            for sig in (signal.SIGINT, signal.SIGQUIT, signal.SIGKILL):  # fast, then harder
                process.send_signal(sig)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(15)
                    break

    def resume(self) -> None:
        if not self._spawn():
            raise RuntimeError(f"postgres did not start again: {self._log_tail()}")

    def stop(self) -> None:
        self.halt()
        shutil.rmtree(self.base, ignore_errors=True)
