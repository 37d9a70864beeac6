"""The console's feed as the reference captures show it: 10 cards a page, the
`INCOMING TRANSMISSION` banner once a session (not on every page turn), hints in the
reader's language, and `p` on page 1 saying so, like `n` on the last page."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from herald.app import App
from tests.adapters.test_console_interrupt import Terminal, _own_terminal
from tests.adapters.test_console_pager import Reader, synced_app
from tests.conftest import WritePost

BANNER = "INCOMING TRANSMISSION"


def notes(write_post: WritePost, count: int = 24) -> None:
    for day in range(1, count + 1):
        write_post(
            f"note-{day:02}.md", f"Note {day}.", title=f"Note {day}", date=f"2025-01-{day:02}"
        )


@pytest.fixture
async def app(tmp_path: Path, content_dir: Path, write_post: WritePost) -> AsyncIterator[App]:
    notes(write_post)
    async with synced_app(tmp_path, content_dir) as opened:
        yield opened


async def test_a_page_holds_ten_cards_by_default(app: App) -> None:
    page = await Reader(app).type("/latest")
    assert re.findall(r"^\[(\d+)\] ", page, re.M) == [str(n) for n in range(1, 11)]
    assert "page 1/3" in page


async def test_the_banner_heads_the_first_feed_and_no_page_turn(app: App) -> None:
    reader = Reader(app)
    first = await reader.type("/latest")
    assert first.startswith(f"{BANNER}\n\nLATEST UPDATES")
    for line in ("n", "n", "p", "/latest", "/search Note"):
        assert BANNER not in await reader.type(line), line


async def test_after_the_welcome_the_first_feed_has_no_banner(app: App) -> None:
    reader = Reader(app)
    assert (await reader.type("/start")).startswith(BANNER)
    assert (await reader.type("/latest")).startswith("LATEST UPDATES")


async def test_p_on_page_one_says_so_like_n_on_the_last_page(app: App) -> None:
    reader = Reader(app)
    assert "page 1/3" in await reader.type("/latest")
    assert (await reader.type("p")).strip() == "This is the first page."
    assert "page 2/3" in await reader.type("n")
    assert "page 3/3" in await reader.type("n")
    assert (await reader.type("n")).strip() == "This is the last page."
    assert "page 2/3" in await reader.type("p")
    tagless = Reader(app)  # nothing shown yet: the latest's first page is where it starts
    assert (await tagless.type("p")).strip() == "This is the first page."


async def test_the_hints_speak_the_readers_language(app: App) -> None:
    english = await Reader(app).type("/latest")
    assert english.rstrip().endswith("page 1/3  (/read <n> · n next page · p previous page)")
    chinese = Reader(app, lang="zh")
    page = await chinese.type("/latest")
    assert page.rstrip().endswith("第 1/3 页  (/read <编号> · n 下一页 · p 上一页)")
    assert (await chinese.type("p")).strip() == "这已经是第一页了。"
    assert "n / p — 下一页 / 上一页" in await chinese.type("/help")


async def test_a_single_page_offers_no_page_turns(app: App) -> None:
    page = await Reader(app).type("/search Note 7")
    assert page.rstrip().endswith("(/read <n>)")


@pytest.fixture
def terminal(tmp_path: Path, content_dir: Path, write_post: WritePost) -> Iterator[Terminal]:
    """`herald console` at a real (pseudo-)terminal: the interactive welcome."""
    notes(write_post, count=3)
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
    try:
        yield Terminal(process, master)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(master)


def test_at_a_terminal_the_banner_comes_with_the_welcome_only(terminal: Terminal) -> None:
    terminal.read_until(b"herald> ")
    assert "(/quit 退出)" in terminal.text  # the default language's hint
    terminal.type(b"/latest\n")
    terminal.read_until("第 1/1 页".encode())
    terminal.type(b"p\n")
    terminal.read_until("这已经是第一页了。".encode())
    terminal.type(b"\x04")
    assert terminal.exit_status() == 0
    assert terminal.text.count(BANNER) == 1 and "Traceback" not in terminal.text
