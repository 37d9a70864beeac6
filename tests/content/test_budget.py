"""The time budget itself: it interrupts, nothing swallows it, and it leaves no trace."""

from __future__ import annotations

import contextlib
import signal
import threading
from types import FrameType

import pytest

from herald.content import budget
from herald.content.budget import OverBudget, keep_budget_alarm, plain_document, time_budget
from herald.content.document import LineBreak, Paragraph, Text
from herald.content.markdown import parse_markdown


def test_a_parse_over_its_budget_is_interrupted() -> None:
    with pytest.raises(OverBudget), time_budget(0.2):
        parse_markdown("[" * 300_000)  # seconds of work


def test_an_except_exception_on_the_way_cannot_swallow_it() -> None:
    def careless() -> None:
        while True:
            with contextlib.suppress(Exception):  # as some library code does
                sum(range(10_000))

    with pytest.raises(OverBudget), time_budget(0.1):
        careless()


def test_the_timer_and_handler_that_were_there_are_put_back() -> None:
    def outer(signum: int, frame: FrameType | None) -> None:
        raise AssertionError("the outer timer fired early")

    previous = signal.signal(signal.SIGALRM, outer)
    signal.setitimer(signal.ITIMER_REAL, 100)
    try:
        with time_budget(5):
            pass
        assert signal.getsignal(signal.SIGALRM) is outer
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 90 < left <= 100
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_a_worker_that_keeps_the_alarm_still_keeps_every_budget(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    previous = signal.getsignal(signal.SIGALRM)
    monkeypatch.setattr(budget, "_KEPT_IN", [])
    try:
        keep_budget_alarm()
        for _ in range(2):
            with pytest.raises(OverBudget), time_budget(0.05):
                while True:
                    sum(range(10_000))
            assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
        assert signal.getsignal(signal.SIGALRM) is budget._interrupt  # left installed
    finally:
        signal.signal(signal.SIGALRM, previous)


def test_off_the_main_thread_it_does_not_interrupt_and_does_not_fail() -> None:
    outcome: list[str] = []

    def work() -> None:
        with time_budget(0.01):
            sum(range(1_000_000))
        outcome.append("done")

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert outcome == ["done"]


def test_plain_text_keeps_every_character_and_line() -> None:
    text = "# Not a heading\n[x](y) *not emphasis*\n\n\n  indented\n \n"
    assert plain_document(text).blocks == (
        Paragraph((Text("# Not a heading"), LineBreak(), Text("[x](y) *not emphasis*"))),
        Paragraph((Text("  indented"),)),
    )
