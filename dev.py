#!/usr/bin/env python3
"""Bootstrap and task runner behind the two README commands.

Why a Python script and not a Makefile: a fresh machine is promised nothing but Python 3.11,
so the one file that sets everything up must need nothing else.  It creates `.venv`,
installs Herald with its test extras when `pyproject.toml` changed, then runs the task.

    python3 dev.py run      # the bot on ./content with the embedded defaults
    python3 dev.py test     # lint, type-check and the whole test suite
    python3 dev.py bench    # the benchmark suite (see BENCHMARKS.md)
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".herald-installed"


def _run(*args: str | Path) -> None:
    completed = subprocess.run([str(a) for a in args], cwd=ROOT)
    if completed.returncode:
        sys.exit(completed.returncode)


def ensure_environment() -> None:
    """Create the virtualenv and (re)install only when the dependency list changed."""
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not (BIN / "python").exists():
        print("dev.py: creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("dev.py: installing herald and its dependencies ...", flush=True)
    pip = [BIN / "python", "-m", "pip", "--disable-pip-version-check", "-q"]
    _run(*pip, "install", "--upgrade", "pip")
    _run(*pip, "install", "-e", ".[test]")
    STAMP.write_text(wanted)


def main(argv: list[str]) -> None:
    task, *rest = argv or ["run"]
    ensure_environment()
    if task == "run":
        os.execv(BIN / "herald", [str(BIN / "herald"), "run", *rest])
    elif task == "test":
        folders = ("src", "tests", "bench", "fakes", "dev.py")
        sources = [name for name in folders if (ROOT / name).exists()]
        _run(BIN / "ruff", "check", *sources)
        _run(BIN / "ruff", "format", "--check", *sources)
        _run(BIN / "mypy")
        _run(BIN / "mypy", "bench")
        _run(BIN / "python", "-m", "pytest", *rest)
    elif task == "bench":
        _run(BIN / "python", "-m", "bench", *rest)
    elif task == "setup":
        pass
    else:
        sys.exit(f"dev.py: unknown task {task!r}; use run, test, bench or setup")


if __name__ == "__main__":
    main(sys.argv[1:])
