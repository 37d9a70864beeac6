"""Parsing off the event loop, in a few worker processes that die with their parent.

Parsing one post is pure CPU and, on hostile input, slow (300 KB of `[`: 10 s).  On the
event loop it would stall every reader of the service for that long, and in a thread it
could not be interrupted.  So the service hands that work to this pool: each worker is a
forked process that runs one call at a time in its main thread, where the call keeps its
own time budget (`herald.content.budget`).  A worker that has not answered by its call's
deadline is stuck where no budget reaches (inside C code): it is killed and replaced, and
the caller gets `Unanswered`.

Each worker is forked by a long-lived thread of its own, because Linux's parent-death
signal (`die_with_parent`) fires when the *thread* that forked a child ends; that thread
lives as long as the process, so a worker dies the moment the process that owns it does —
SIGKILL included, where no clean-up code runs.  Workers are forked, like the sync's, so a
call must not use SQLite or anything else another thread may hold a lock in.

`shared_pool()` is the process's pool: like asyncio's default executor, a resource of the
process rather than of one object, started on first use and stopped at exit.
"""

from __future__ import annotations

import asyncio
import atexit
import ctypes
import gc
import logging
import multiprocessing
import os
import queue
import signal
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from herald.content.budget import (
    OverBudget,
    budget_for,
    keep_budget_alarm,
    over_budget_reason,
    parse_within_budget,
    plain_document,
)
from herald.content.document import Document
from herald.limits import PARSE_DEADLINE_GRACE_SECONDS, PARSE_WORKERS

log = logging.getLogger("herald.content")
Result = TypeVar("Result")
_PR_SET_PDEATHSIG = 1
_FORK = multiprocessing.get_context("fork")


class Unanswered(Exception):
    """A worker did not answer by its deadline, or died: it was replaced."""


def die_with_parent(parent: int) -> None:
    """In a freshly forked worker: be killed when `parent` (the thread that forked us)
    ends, however it ends, and leave Ctrl-C to the parent, which stops its workers.

    Linux only (`prctl(PR_SET_PDEATHSIG)`); elsewhere workers still end with an orderly
    parent.  If the parent died before the signal was set, nobody would send it: exit.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.set_wakeup_fd(-1)  # the parent's event loop would hear our signals otherwise
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


@dataclass(slots=True)
class _Call:
    function: Callable[..., Any]
    args: tuple[Any, ...]
    deadline: float | None
    future: Future[Any] = field(default_factory=Future)


class ParsePool:
    """A few worker processes; `await pool.run(function, *args, deadline=seconds)`."""

    def __init__(self, size: int = PARSE_WORKERS) -> None:
        self._size = size
        self._calls: queue.SimpleQueue[_Call | None] = queue.SimpleQueue()
        self._slots: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._closed = False

    def submit(
        self, function: Callable[..., Result], *args: Any, deadline: float | None = None
    ) -> Future[Result]:
        """Run `function(*args)` in a worker (`deadline`: seconds before it is killed)."""
        call = _Call(function, args, deadline)
        with self._lock:
            if self._closed:
                raise RuntimeError("the parse pool is closed")
            while len(self._slots) < self._size:
                slot = threading.Thread(target=self._serve, name="herald-parse", daemon=True)
                slot.start()
                self._slots.append(slot)
            self._calls.put(call)
        return call.future

    async def run(
        self, function: Callable[..., Result], *args: Any, deadline: float | None = None
    ) -> Result:
        return await asyncio.wrap_future(self.submit(function, *args, deadline=deadline))

    def close(self) -> None:
        """Stop every worker (a call in progress is let finish, up to its deadline)."""
        with self._lock:
            self._closed = True
            slots, self._slots = self._slots, []
        for _ in slots:
            self._calls.put(None)

    def _serve(self) -> None:
        worker: _Worker | None = None
        try:
            while (call := self._calls.get()) is not None:
                if not call.future.set_running_or_notify_cancel():
                    continue  # its caller gave up while it waited
                try:
                    worker = worker or _Worker()
                except OSError as exc:  # cannot fork now (out of memory, process limit)
                    call.future.set_exception(Unanswered(f"cannot start a worker ({exc})"))
                    continue
                try:
                    call.future.set_result(worker.call(call.function, call.args, call.deadline))
                except Unanswered as exc:
                    worker.kill()
                    worker = None
                    call.future.set_exception(exc)
                except BaseException as exc:  # the call's own failure: the worker is fine
                    call.future.set_exception(exc)
        finally:
            if worker is not None:
                worker.stop()


class _Worker:
    def __init__(self) -> None:
        ours, theirs = _FORK.Pipe()
        self.process = _FORK.Process(
            target=_work, args=(theirs, os.getpid()), name="herald-parse-worker", daemon=True
        )
        self.process.start()
        theirs.close()
        self.connection = ours

    def call(
        self, function: Callable[..., Any], args: tuple[Any, ...], deadline: float | None
    ) -> Any:
        try:
            self.connection.send((function, args))
            if not self.connection.poll(deadline):
                raise Unanswered(f"no answer within {deadline:.1f} s")
            succeeded, value = self.connection.recv()
        except (EOFError, OSError) as exc:
            raise Unanswered(f"the worker died ({exc!r})") from None
        if succeeded:
            return value
        raise value

    def kill(self) -> None:
        self.process.kill()
        self.process.join()
        self.connection.close()

    def stop(self) -> None:
        self.connection.close()  # the worker's next read ends it
        self.process.join(timeout=1)
        if self.process.is_alive():
            self.kill()


def _close_inherited(keep: int) -> None:
    """Close every descriptor the fork copied from its parent but the standard streams and
    the worker's own pipe.  A worker lives as long as the service, and a pipe end it held
    would stay open that long: another pool's reader would never see its end, its writer
    would block instead of failing (a sync's pool, stopped early, hung the interpreter's
    exit waiting on one)."""
    os.closerange(3, keep)
    os.closerange(keep + 1, os.sysconf("SC_OPEN_MAX"))


def _work(connection: Connection, parent: int) -> None:
    """A worker's life: calls in, results out, until the pipe closes."""
    _close_inherited(connection.fileno())
    die_with_parent(parent)
    keep_budget_alarm()
    gc.freeze()  # the fork's inherited heap: never walked, never copied
    while True:
        try:
            function, args = connection.recv()
        except (EOFError, OSError):
            return
        try:
            answer: tuple[bool, Any] = (True, function(*args))
        except (Exception, OverBudget) as exc:
            answer = (False, exc)
        try:
            connection.send(answer)
        except Exception as exc:  # an unpicklable result or error
            connection.send((False, RuntimeError(repr(exc))))


_shared: ParsePool | None = None
_shared_lock = threading.Lock()


def shared_pool() -> ParsePool:
    """The process's parse pool, started on first use, stopped at exit."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = ParsePool()
            atexit.register(_shared.close)
        return _shared


def _forget_in_child() -> None:
    """A forked child has none of the pool's threads: it starts its own if it needs one."""
    global _shared, _shared_lock
    _shared = None
    _shared_lock = threading.Lock()


os.register_at_fork(after_in_child=_forget_in_child)


_DOCUMENTS_KEPT = 64
_documents: OrderedDict[str, Document] = OrderedDict()
"""Recently opened articles' documents, by body: a popular post is parsed once."""


async def article_document(body: str, path: str, pool: ParsePool | None = None) -> Document:
    """An article's document, parsed in a worker within its budget; over it (or if the
    worker had to be killed) its plain text, and one warning in the log."""
    cached = _documents.get(body)
    if cached is not None:
        _documents.move_to_end(body)
        return cached
    seconds = budget_for(len(body))
    try:
        document, problem = await (pool or shared_pool()).run(
            parse_within_budget, body, deadline=seconds + PARSE_DEADLINE_GRACE_SECONDS
        )
    except Unanswered as exc:
        document, problem = plain_document(body), f"{over_budget_reason(seconds)} ({exc})"
    if problem is not None:
        log.warning("%s: %s", path, problem)
    _documents[body] = document
    while len(_documents) > _DOCUMENTS_KEPT:
        _documents.popitem(last=False)
    return document
