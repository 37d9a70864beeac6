"""The terminal adapter: chat with Herald on standard input, no token, no network.

Works interactively and piped (`printf '/latest\n/read 3\n' | herald console`).  Like every
adapter it only translates: a line in → a core call → text out.
"""

from __future__ import annotations

import asyncio
import sys
from typing import TextIO

from herald.content.render import plain_text
from herald.core.actions import Action, ShowLatest, ShowSearch, ShowTag
from herald.core.commands import help_text
from herald.core.i18n import Language, t
from herald.core.service import Feed, ReaderService, page_argument
from herald.core.views import ArticleView, Card, FeedPage, Notice, Reply, TagList

PLATFORM = "console"
CHAT_ID = "local"
RULE = "─" * 40


def render_feed(page: FeedPage, *, banner: bool = True) -> str:
    lines = [t(page.lang, "banner"), ""] if banner else []
    lines.append(page.heading)
    for card in page.cards:
        tags = " ".join(f"#{tag}" for tag in card.tags)
        meta = " · ".join(part for part in (card.date_text, tags) if part)
        lines += ["", f"[{card.number}] {card.title}", f"    {meta}", card.excerpt]
    hint = "/read <n>" + (" · n / p" if page.pages > 1 else "")
    lines += ["", f"{page.page_label}  ({hint})"]
    return "\n".join(lines)


def render_article(article: ArticleView) -> str:
    tags = " ".join(f"#{tag}" for tag in article.tags)
    meta = " · ".join(part for part in (article.date_text, tags, article.slug) if part)
    return "\n".join([article.title, meta, RULE, plain_text(article.document), RULE])


def render_tags(tags: TagList) -> str:
    listed = [f"#{tag} ({count})" for tag, count in tags.tags]
    return "\n".join([tags.heading, "  ".join(listed), "", "/tag <name>"])


def render(reply: Reply) -> str:
    if isinstance(reply, FeedPage):
        return render_feed(reply)
    if isinstance(reply, ArticleView):
        return render_article(reply)
    if isinstance(reply, TagList):
        return render_tags(reply)
    return reply.text


class ConsoleSession:
    """One reader at a terminal; remembers the last list so `/read 3` and `n`/`p` work."""

    def __init__(self, reader: ReaderService, *, lang: Language, out: TextIO = sys.stdout):
        self.reader = reader
        self.lang: Language = lang
        self.out = out
        self.context: Feed = ShowLatest(1)

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
        if name in {"/quit", "/exit", "quit", "exit"}:
            return False
        reply = await self._dispatch(name, argument.strip())
        if isinstance(reply, FeedPage):
            self.context = reply.current  # type: ignore[assignment]
        self.say(render(reply))
        return True

    async def _dispatch(self, name: str, argument: str) -> Reply:
        lang = self.lang
        match name:
            case "/start":
                return Notice(f"{t(lang, 'banner')}\n\n{t(lang, 'welcome')}")
            case "/help":
                hints = "n / p — next / previous page · /quit"
                return Notice(help_text(lang, heading=t(lang, "help.heading")) + "\n" + hints)
            case "/latest":
                page = page_argument(argument, lang=lang)
                if isinstance(page, Notice):
                    return page
                return await self.reader.latest(page, lang=lang)
            case "/read":
                return await self.reader.article(argument, lang=lang, context=self.context)
            case "/search":
                return await self.reader.search(argument, lang=lang)
            case "/tags":
                return await self.reader.tags(lang=lang)
            case "/tag":
                return await self.reader.by_tag(argument, lang=lang)
            case "/subscribe":
                return await self.reader.subscribe(
                    PLATFORM, CHAT_ID, tuple(argument.split()), lang=lang
                )
            case "/unsubscribe":
                return await self.reader.unsubscribe(
                    PLATFORM, CHAT_ID, tuple(argument.split()), lang=lang
                )
            case "/language":
                if argument not in {"zh", "en"}:
                    return Notice(t(lang, "language.usage"))
                self.lang = "zh" if argument == "zh" else "en"
                return Notice(t(self.lang, "language.set"))
            case "n" | "next" | "p" | "prev":
                step = 1 if name in {"n", "next"} else -1
                return await self._turn(self.context, step)
            case _:
                if not name.startswith("/") and name.isdigit():
                    return await self.reader.article(name, lang=lang, context=self.context)
                shown = name if len(name) <= 40 else name[:40] + "…"
                return Notice(t(lang, "unknown.command", command=shown))

    async def _turn(self, context: Action, step: int) -> Reply:
        assert isinstance(context, ShowLatest | ShowTag | ShowSearch)
        page = max(1, context.page + step)
        if isinstance(context, ShowLatest):
            target: Feed = ShowLatest(page)
        else:
            target = type(context)(context.key, page)
        return await self.reader.feed(target, lang=self.lang)


async def run_console(
    reader: ReaderService, *, lang: Language, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout
) -> None:
    session = ConsoleSession(reader, lang=lang, out=out)
    interactive = stdin.isatty()
    if interactive:
        session.say(f"{t(lang, 'banner')}\n\n{t(lang, 'welcome')}\n(/quit)")
    while True:
        if interactive:
            out.write("herald> ")
            out.flush()
        line = await asyncio.to_thread(stdin.readline)
        if not line:
            return
        if not await session.handle(line):
            return


class ConsoleMessenger:
    """Pushes to the terminal: a console `/subscribe` shows new posts as they land."""

    platform = PLATFORM

    def __init__(self, out: TextIO) -> None:
        from herald.push.messenger import ChatLimits

        self.out = out
        self.limits = ChatLimits(per_second=100.0, per_chat_per_second=100.0)

    def is_group(self, chat_id: str) -> bool:
        return False

    async def send_card(self, chat_id: str, card: Card, *, lang: str) -> None:
        tags = " ".join(f"#{tag}" for tag in card.tags)
        meta = " · ".join(part for part in (card.date_text, tags) if part)
        lines = [
            t(lang, "banner"),
            "",
            card.title,
            f"    {meta}",
            card.excerpt,
            f"(/read {card.slug})",
        ]
        self.out.write("\n" + "\n".join(lines) + "\n\n")
        self.out.flush()
