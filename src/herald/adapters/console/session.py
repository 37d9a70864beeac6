"""One reader at a terminal: a line in → a core call → text out.

Works interactively and piped (`printf '/latest\n/read 3\n' | herald console`).  The
commands are the registry's; `n` / `p` turn what is on screen (the parts of a long
article, else the pages of the list) and say so at either end, `all` prints the whole
of a long article, a bare number opens that card, `/quit` (or the end of the input:
Ctrl-D) leaves, and so does Ctrl-C, at once, even while waiting for a line.  The
`INCOMING TRANSMISSION` banner is shown once a session: with the welcome, or above the
first feed when there was none (piped input).
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from contextlib import AsyncExitStack
from dataclasses import replace
from typing import TextIO

from herald.adapters import Services
from herald.adapters.console.lines import LineReader
from herald.core.actions import Feed, ReadAll, ReadPart, ShowLatest
from herald.core.commands import BY_NAME, Chat, Request, execute
from herald.core.i18n import Language, parse_language, t
from herald.core.pager import act_on_article, back_feed, is_paged, part_on_screen
from herald.core.reader import ReaderService
from herald.core.records import Delivery
from herald.core.views import Announcement, ArticleView, FeedPage, Notice, Reply
from herald.limits import ECHOED_COMMAND_CHARS
from herald.push.pacing import ChatLimits, Pacer
from herald.render.console_push import push_text
from herald.render.console_replies import article_parts, reply_text
from herald.render.split import cut_point

PLATFORM = "console"
CHAT = Chat(PLATFORM, "local", user_id="local", private=True)
_QUIT = frozenset({"/quit", "/exit", "quit", "exit"})
_NEXT = frozenset({"n", "next"})
_PREVIOUS = frozenset({"p", "prev"})
_ALL = frozenset({"all"})


class ConsoleSession:
    """Remembers what is on screen, so `n`/`p` turn it: a long article's parts, else the
    list's pages."""

    def __init__(self, reader: ReaderService, *, lang: Language, out: TextIO = sys.stdout):
        self.reader = reader
        self.lang: Language = lang
        self.out = out
        self.shown: Feed = ShowLatest(1)
        """The list `n`/`p` page through and a bare number counts in."""
        self.pages: int | None = None
        """How many pages that list had when shown (None: not shown yet)."""
        self.pager: ReadPart | None = None
        """The part of a long article on screen, if one is."""
        self.parts = 0
        self.banner_due = True

    def say(self, text: str) -> None:
        self.out.write(text.rstrip("\n") + "\n\n")
        self.out.flush()

    async def handle(self, line: str) -> bool:
        """Answer one line; False when the reader asked to quit."""
        line = line.strip()
        if not line:
            return True
        name, _, argument = line.partition(" ")
        name = name.lower()
        if name in _QUIT:
            return False
        reply = await self._answer(name, argument.strip())
        banner = self.banner_due and isinstance(reply, FeedPage)
        self._on_screen(reply)
        self.say(reply_text(reply, lang=self.lang, banner=banner))
        return True

    def _on_screen(self, reply: Reply) -> None:
        if isinstance(reply, FeedPage):
            self.shown, self.pages, self.pager = reply.current, reply.pages, None
            self.banner_due = False
        elif isinstance(reply, ArticleView):
            self.parts = len(article_parts(reply))
            paged = is_paged(reply, self.parts)
            part = part_on_screen(reply, self.parts)
            self.pager = ReadPart(reply.post_id, part, back_feed(reply)) if paged else None
        elif reply.heading is not None:  # the welcome (/start) carries the banner
            self.banner_due = False

    async def _answer(self, name: str, argument: str) -> Reply:
        command = BY_NAME.get(name.removeprefix("/")) if name.startswith("/") else None
        if command is not None and command.offered_on(PLATFORM):
            reading_list = await self.reader.reading_list(CHAT.platform, CHAT.chat_id)
            request = Request(argument, self.lang, CHAT, reading_list)
            reply = await execute(self.reader, command, request)
            if command.name == "language":
                self.lang = parse_language(argument) or self.lang
            if command.name == "help" and isinstance(reply, Notice):
                reply = replace(reply, text=f"{reply.text}\n{t(self.lang, 'console.hints')}")
            return reply
        if name in _NEXT or name in _PREVIOUS:
            return await self._turn(1 if name in _NEXT else -1)
        if name in _ALL and self.pager is not None:
            whole = ReadAll(self.pager.post_id, self.pager.back)
            return await act_on_article(self.reader, whole, lang=self.lang)
        if name.isdigit():
            return await self.reader.article(name, lang=self.lang, context=self.shown)
        cut = cut_point(name, ECHOED_COMMAND_CHARS)
        shown = name if cut == len(name) else name[:cut] + "…"
        return Notice(t(self.lang, "unknown.command", command=shown))

    async def _turn(self, step: int) -> Reply:
        """The next or previous part of the article on screen, else page of the list; at
        either end, a sentence saying so instead of the same text again."""
        if self.pager is not None:
            part = self.pager.part + step
            if part < 1 or part > self.parts:
                return Notice(
                    t(self.lang, "console.first_part" if part < 1 else "console.last_part")
                )
            return await act_on_article(self.reader, replace(self.pager, part=part), lang=self.lang)
        page = self.shown.page + step
        if page < 1:
            return Notice(t(self.lang, "console.first_page"))
        if self.pages is not None and page > self.pages:
            return Notice(t(self.lang, "console.last_page"))
        return await self.reader.feed(replace(self.shown, page=page), lang=self.lang)


async def run_console(
    reader: ReaderService,
    *,
    lang: Language,
    stdin: TextIO = sys.stdin,
    out: TextIO = sys.stdout,
    stop: asyncio.Event | None = None,
) -> None:
    """Answer lines until `/quit`, the end of the input (Ctrl-D) or `stop` (Ctrl-C: the
    service's signal handler sets it, and waiting for a line gives way at once)."""
    session = ConsoleSession(reader, lang=lang, out=out)
    lines = LineReader(stdin)
    stop = stop or asyncio.Event()
    interactive = stdin.isatty()
    if interactive:
        session.say(
            f"{t(lang, 'banner')}\n\n{t(lang, 'welcome')}\n({t(lang, 'console.quit_hint')})"
        )
        session.banner_due = False
    while True:
        if interactive:
            out.write("herald> ")
            out.flush()
        line = await _line_or_stop(lines, stop)
        if line is None:
            if interactive:  # the shell's prompt goes on a line of its own after "^C"
                out.write("\n")
                out.flush()
            return
        if not line or not await session.handle(line):
            return


async def _line_or_stop(lines: LineReader, stop: asyncio.Event) -> str | None:
    """The next line, or None once `stop` is set (the read is abandoned)."""
    reading = asyncio.ensure_future(lines.readline())
    stopping = asyncio.ensure_future(stop.wait())
    await asyncio.wait({reading, stopping}, return_when=asyncio.FIRST_COMPLETED)
    for task in (reading, stopping):
        if not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
    return reading.result() if not reading.cancelled() else None


class ConsoleMessenger:
    """Pushes to the terminal: a console `/subscribe` shows new posts as they land."""

    platform = PLATFORM

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.pacer = Pacer(ChatLimits(per_second=100.0, per_chat_per_second=100.0))

    def is_group(self, chat_id: str) -> bool:
        return False

    async def send(self, delivery: Delivery, post: Announcement) -> None:
        self.out.write("\n" + push_text(post, delivery.options.mode) + "\n\n")
        self.out.flush()


class ConsoleAdapter:
    def __init__(self, services: Services, *, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout):
        self.services = services
        self.stdin = stdin
        self.out = out

    async def open(self, stack: AsyncExitStack) -> ConsoleMessenger:
        return ConsoleMessenger(self.out)

    async def run(self, stop: asyncio.Event) -> None:
        """The terminal is the service's lifetime: its end stops everything."""
        try:
            await run_console(
                self.services.reader,
                lang=self.services.default_language,
                stdin=self.stdin,
                out=self.out,
                stop=stop,
            )
        finally:
            stop.set()
