"""Issue 14, case 14: Ctrl-C (and Ctrl-D) quit the interactive console, cleanly.

A real `herald console` on a pseudo-terminal, so `isatty()` is true and the prompt is shown,
exactly as a reader at a terminal has it.  The console used to wait for its input line in a
thread that SIGINT cannot end (and that the loop's shutdown then waited for): the service
stopped around it and the process never exited.
"""

from __future__ import annotations

import fcntl
import os
import select
import signal
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import WritePost

DEADLINE = 60.0
"""Generous, for a shared machine: the old console never exited at all."""


class Terminal:
    """The reader's side of a pseudo-terminal with `herald console` on the other side."""

    def __init__(self, process: subprocess.Popen[bytes], master: int) -> None:
        self.process = process
        self.master = master
        self.output = b""

    def read_until(self, wanted: bytes) -> None:
        deadline = time.monotonic() + DEADLINE
        while wanted not in self.output:
            left = deadline - time.monotonic()
            assert left > 0, f"no {wanted!r} in {self.output.decode(errors='replace')}"
            if not self._read(left):
                raise AssertionError(f"ended before {wanted!r}: {self.output!r}")

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return True
        try:
            chunk = os.read(self.master, 4096)
        except OSError:  # EIO: every process holding the terminal has gone
            return False
        self.output += chunk
        return bool(chunk)

    def type(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def exit_status(self) -> int:
        """Wait for the process to end, reading what it still prints meanwhile."""
        deadline = time.monotonic() + DEADLINE
        while self.process.poll() is None:
            assert time.monotonic() < deadline, "the console did not quit"
            self._read(0.2)
        while self._read(0.0) and self.output:  # the rest of the output
            pass
        return self.process.returncode

    @property
    def text(self) -> str:
        return self.output.decode("utf-8", errors="replace")


def _own_terminal() -> None:
    """In the child: make the pseudo-terminal its controlling terminal, so the terminal
    itself turns Ctrl-C into SIGINT (the process is a session leader already)."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


@pytest.fixture
def console(tmp_path: Path, content_dir: Path, write_post: WritePost) -> Iterator[Terminal]:
    write_post("hello.md", "Hello.", title="Hello", date="2025-01-01")
    master, slave = os.openpty()
    where = ["--content", str(content_dir), "--db", str(tmp_path / "h.db")]
    process = subprocess.Popen(
        [sys.executable, "-m", "herald", "console", *where],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env={"PATH": "/usr/bin:/bin", "PYTHONIOENCODING": "utf-8", "TERM": "dumb"},
        start_new_session=True,
        preexec_fn=_own_terminal,
    )
    os.close(slave)
    terminal = Terminal(process, master)
    try:
        terminal.read_until(b"herald> ")
        yield terminal
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(master)


def test_sigint_quits_the_console_promptly_without_a_traceback(console: Terminal) -> None:
    console.type(b"/latest\n")
    console.read_until(b"Hello")
    console.read_until(b"herald> ")
    console.process.send_signal(signal.SIGINT)
    assert console.exit_status() == 0
    assert "Traceback" not in console.text and "KeyboardInterrupt" not in console.text


def test_ctrl_c_typed_at_the_prompt_quits(console: Terminal) -> None:
    console.type(b"/lat")  # half a line typed, then Ctrl-C
    console.type(b"\x03")
    assert console.exit_status() == 0
    assert "Traceback" not in console.text


def test_ctrl_d_at_the_prompt_quits(console: Terminal) -> None:
    console.type(b"\x04")
    assert console.exit_status() == 0
    assert "Traceback" not in console.text
