"""The console's pager: `n` / `p` turn a long article's parts when one is on screen, the
list's pages otherwise, and say so at either end; `all` prints the whole article.

The real console session over a real SQLite store synced from a real folder, one line
of input at a time, as a reader types them.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from herald.adapters.console.session import ConsoleSession
from herald.app import App, open_app
from herald.config import load_config
from herald.core.i18n import Language
from tests.adapters.long_post import TITLE, write_long_post
from tests.conftest import WritePost


@contextlib.asynccontextmanager
async def synced_app(tmp_path: Path, content_dir: Path) -> AsyncIterator[App]:
    """The service `herald console` runs, on the test's folder, synced."""
    path = tmp_path / "herald.toml"
    path.write_text(
        f'[content]\ndir = "{content_dir}"\n[store]\npath = "{tmp_path / "h.db"}"\n',
        encoding="utf-8",
    )
    async with open_app(load_config(path, environ={})) as opened:
        await opened.sync()
        yield opened


@pytest.fixture
async def app(tmp_path: Path, content_dir: Path, write_post: WritePost) -> AsyncIterator[App]:
    write_long_post(write_post, date="2025-03-01")
    for day in range(1, 25):
        write_post(
            f"note-{day:02}.md", f"Note {day}.", title=f"Note {day}", date=f"2025-01-{day:02}"
        )
    async with synced_app(tmp_path, content_dir) as opened:
        yield opened


class Reader:
    """A reader at the console: types a line, reads what it printed."""

    def __init__(self, app: App, lang: Language = "en") -> None:
        self.out = io.StringIO()
        self.session = ConsoleSession(app.reader, lang=lang, out=self.out)

    async def type(self, line: str) -> str:
        start = len(self.out.getvalue())
        assert await self.session.handle(line)
        return self.out.getvalue()[start:]


def part_of(text: str) -> tuple[int, int]:
    found = re.search(r"^part (\d+)/(\d+)  \(n next part · p previous part", text, re.M)
    assert found, text[-300:]
    return int(found.group(1)), int(found.group(2))


async def test_n_and_p_turn_the_parts_of_a_long_article_and_say_so_at_either_end(
    app: App,
) -> None:
    reader = Reader(app)
    first = await reader.type("/read long-read")
    part, parts = part_of(first)
    assert part == 1 and parts > 3 and first.startswith(TITLE)
    assert "This is the first part." in await reader.type("p")
    shown = [first]
    for expected in range(2, parts + 1):
        text = await reader.type("n")
        assert part_of(text) == (expected, parts) and text.startswith(TITLE)
        shown.append(text)
    assert "This is the last part." in await reader.type("n")
    assert await reader.type("p") == shown[-2]  # the same part, the same text
    sections = "".join(shown)
    assert all(re.search(rf"Section {n}(?!\d)", sections) for n in range(1, 21))


async def test_all_prints_the_whole_article_and_n_then_turns_the_list(app: App) -> None:
    reader = Reader(app)
    await reader.type("/latest")
    await reader.type("/read 1")
    whole = await reader.type("all")
    assert all(re.search(rf"Section {n}(?!\d)", whole) for n in range(1, 21))
    assert "part 1/" not in whole
    assert "page 2/3" in await reader.type("n")  # nothing paged on screen: the list turns


async def test_an_article_on_screen_takes_n_from_the_list_until_the_list_is_back(
    app: App,
) -> None:
    reader = Reader(app)
    await reader.type("/latest 2")
    assert part_of(await reader.type("/read 1"))[0] == 1  # the long read, newest of all
    assert part_of(await reader.type("n"))[0] == 2  # its part 2, not the list's page 3
    assert "page 3/3" in await reader.type("/latest 3")
    short = await reader.type("21")  # a short note: shown whole, nothing to turn
    assert short.startswith("Note 5") and "part 1/" not in short
    assert (await reader.type("n")).strip() == "This is the last page."


async def test_the_pager_speaks_the_readers_language(app: App) -> None:
    reader = Reader(app, lang="zh")
    first = await reader.type("/read long-read")
    assert re.search(r"^第 1/\d+ 部分  \(n 下一部分 · p 上一部分 · all 整篇\)$", first, re.M)
    assert "这已经是第一部分了。" in await reader.type("p")
