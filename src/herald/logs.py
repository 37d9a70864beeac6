"""Logging set-up with one guarantee: no secret (token, webhook secret) reaches stderr.

Libraries log request URLs (python-telegram-bot's contain the token) and request
parameters (at DEBUG, `setWebhook`'s `secret_token`), and exceptions quote them
(`InvalidToken: The token … was rejected`).  So every record is scrubbed at the handler,
whatever logger produced it — message, traceback and stack — and so are tracebacks that
would bypass logging: warnings, and exceptions nobody caught, in any thread.

Second, a retry the libraries expect is one line: discord.py logs each gateway reconnect
with a full traceback, python-telegram-bot its bootstrap's last try; folded into one line
with their cause, the log shows an outage as one line per attempt.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
from collections.abc import Iterable
from types import TracebackType
from urllib.parse import quote

_TOKEN_SHAPES = re.compile(
    # Telegram, <bot id>:<secret>, also right after "/bot" in a URL and URL-quoted (%3A);
    # Discord, three base64 parts.  Delimited by what cannot be part of a token.
    r"(?<![0-9])\d{5,}(?::|%3A)[A-Za-z0-9_-]{30,}(?![A-Za-z0-9_-])"
    r"|(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{23,28}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{27,}"
    r"(?![A-Za-z0-9_-])"
)
REDACTED = "[token]"
_REASON_CHARS = 200
_EXPECTED_RETRIES = (
    ("discord.client", "Attempting a reconnect"),
    ("telegram.ext", "Network Retry Loop"),
)
"""(logger, message start) of records that report a retry the library makes by itself."""


def one_line(exc: BaseException) -> str:
    """An exception as a short line: its type and message, whitespace collapsed."""
    text = " ".join(str(exc).split())
    line = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return line if len(line) <= _REASON_CHARS else line[: _REASON_CHARS - 1] + "…"


class RedactSecrets(logging.Filter):
    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        known = [s for s in secrets if s]
        # As written, and as they appear inside a URL (a token's `:` is `%3A` there).
        self.secrets = sorted({*known, *(quote(s, safe="") for s in known)}, key=len)[::-1]

    def scrub(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return _TOKEN_SHAPES.sub(REDACTED, text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and _expected_retry(record):
            error = record.exc_info[1]
            message = f"{message} ({one_line(error)})" if error else message
            record.exc_info = record.exc_text = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg = self.scrub(message)
        record.args = ()
        if record.exc_text:
            record.exc_text = self.scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = self.scrub(record.stack_info)
        return True


def _expected_retry(record: logging.LogRecord) -> bool:
    return any(
        record.name.startswith(name) and str(record.msg).startswith(start)
        for name, start in _EXPECTED_RETRIES
    )


def setup_logging(level: int, secrets: Iterable[str] = ()) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("httpx", "httpcore", "aiosqlite", "discord.gateway", "discord.client"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))
    # Whatever would print a traceback straight to stderr goes through the scrubbed handler.
    logging.captureWarnings(True)
    sys.excepthook = _log_uncaught
    threading.excepthook = _log_uncaught_in_thread


def _log_uncaught(
    kind: type[BaseException], error: BaseException, traceback: TracebackType | None
) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, traceback)
        return
    logging.getLogger("herald").critical("uncaught exception", exc_info=(kind, error, traceback))


def _log_uncaught_in_thread(hook: threading.ExceptHookArgs) -> None:
    if hook.exc_value is None or issubclass(hook.exc_type, SystemExit):
        return
    thread = hook.thread.name if hook.thread else "?"
    logging.getLogger("herald").error(
        "uncaught exception in thread %s",
        thread,
        exc_info=(hook.exc_type, hook.exc_value, hook.exc_traceback),
    )
