"""Which failures an operator can fix, and the one line that says so.

Everything here is something the operator did or the machine lacks — a wrong config value,
a store that cannot be used, a platform that refused the token, a path that is not there —
never a bug: those keep their traceback (through the log, so it is scrubbed of secrets).
The running service hands them up through a task group, so groups are looked into.
"""

from __future__ import annotations

from herald.adapters import AdapterError
from herald.config import ConfigError
from herald.core.ports import StoreError

_EXPECTED = (ConfigError, StoreError, AdapterError, OSError)


def expected_failure(exc: BaseException) -> str | None:
    """The line to print for a failure the operator can fix, or None for anything else."""
    if isinstance(exc, BaseExceptionGroup):
        lines = [expected_failure(inner) for inner in exc.exceptions]
        return lines[0] if lines and all(line is not None for line in lines) else None
    if not isinstance(exc, _EXPECTED):
        return None
    if isinstance(exc, OSError) and exc.strerror:
        text = f"{exc.filename}: {exc.strerror}" if exc.filename else exc.strerror
    else:
        text = str(exc) or type(exc).__name__
    return " ".join(text.split())
