"""A time budget for the parse of one post, and what a post over it is served as.

Markdown parsing is quadratic on some inputs (300 KB of `[` took 10 s, 500 KB half a
minute), and a post is whatever its author, or an attacker with write access to the
folder, put there.  So the parse of one post runs under a budget proportional to its size
(`budget_for`), far above what real posts need; a post over it is served as plain text,
its body as plain paragraphs exactly as written (`plain_document`): nothing is lost,
nothing stalls.

The budget is a `SIGALRM` timer, which Python delivers between bytecodes of the main
thread, so it only works there: every parse that needs one runs in the main thread of a
worker process (`herald.content.parse_pool`, `herald.indexing.workers`) or of a command
(`herald check`).  Elsewhere `time_budget` does not interrupt anything; code that must be
bounded never runs there.
"""

from __future__ import annotations

import os
import re
import signal
import threading
import time
from types import FrameType

from herald.content.document import Document, Inline, LineBreak, Paragraph, Text
from herald.content.markdown import parse_markdown
from herald.limits import PARSE_BUDGET_SECONDS, PARSE_BUDGET_SECONDS_PER_MB

_BLANK_LINES = re.compile(r"\n[ \t]*\n")


class OverBudget(BaseException):
    """The work took longer than its budget and was interrupted.  A `BaseException`, like
    `KeyboardInterrupt`, so no `except Exception` on the way can swallow it (and with it
    the one alarm there is)."""


def budget_for(length: int) -> float:
    """Seconds the parse and render of a text of `length` characters (or bytes) may take."""
    return PARSE_BUDGET_SECONDS + PARSE_BUDGET_SECONDS_PER_MB * length / 1e6


def over_budget_reason(seconds: float) -> str:
    return f"took over {seconds:.1f} s to render; served as plain text"


def can_interrupt() -> bool:
    """Whether `time_budget` can interrupt work here (the main thread, with SIGALRM)."""
    return threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")


_KEPT_IN: list[int] = []
"""The process that keeps the alarm's handler installed (`keep_budget_alarm`), if any."""


def keep_budget_alarm() -> None:
    """In a worker that keeps budgets all day: leave the alarm's handler installed, so a
    budget costs two `setitimer` calls, not a handler swap each time (nor a look at the
    handler: `signal.getsignal` costs more than both calls, its enum conversion failing
    for a function).  Nothing else in such a worker sets SIGALRM."""
    signal.signal(signal.SIGALRM, _interrupt)
    _KEPT_IN[:] = [os.getpid()]


class time_budget:  # lower case: it reads as a function, `with time_budget(seconds):`
    """Raise `OverBudget` in the block once `seconds` have passed (main thread only).

    Whatever timer and handler were there before (a test runner's timeout, say) are put
    back, the timer with the time it had left.  A class rather than a generator: it is
    entered once per post of every sync."""

    __slots__ = ("_armed", "_handler", "_previous", "_seconds", "_started")

    def __init__(self, seconds: float) -> None:
        self._seconds = seconds
        self._armed = False

    def __enter__(self) -> None:
        if not can_interrupt():
            return
        self._armed = True
        self._started = time.monotonic()
        kept = _KEPT_IN and _KEPT_IN[0] == os.getpid()  # not a process forked off it
        self._handler = _interrupt if kept else signal.getsignal(signal.SIGALRM) or signal.SIG_DFL
        if self._handler is not _interrupt:
            signal.signal(signal.SIGALRM, _interrupt)
        self._previous = signal.setitimer(signal.ITIMER_REAL, self._seconds)

    def __exit__(self, *exc_info: object) -> None:
        if not self._armed:
            return
        while True:  # the alarm may go off just as the work ends: it is too late to count
            try:
                signal.setitimer(signal.ITIMER_REAL, 0)
                if self._handler is not _interrupt:
                    signal.signal(signal.SIGALRM, self._handler)
                break
            except OverBudget:
                continue
        delay, interval = self._previous
        if delay:
            left = max(delay - (time.monotonic() - self._started), 1e-6)
            signal.setitimer(signal.ITIMER_REAL, left, interval)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise OverBudget


def plain_document(text: str) -> Document:
    """`text` as plain paragraphs (blank lines between them, line breaks kept), every
    character as written: what a post over budget is served as.  Linear in its size."""
    blocks = []
    for chunk in _BLANK_LINES.split(text):
        lines = chunk.strip("\n").split("\n")
        if not any(line.strip() for line in lines):
            continue
        inlines: list[Inline] = []
        for number, line in enumerate(lines):
            if number:
                inlines.append(LineBreak())
            inlines.append(Text(line))
        blocks.append(Paragraph(tuple(inlines)))
    return Document(tuple(blocks))


def parse_within_budget(body: str) -> tuple[Document, str | None]:
    """The post's document, or its plain text and why (for a worker's main thread)."""
    seconds = budget_for(len(body))
    try:
        with time_budget(seconds):
            return parse_markdown(body), None
    except OverBudget:
        return plain_document(body), over_budget_reason(seconds)
