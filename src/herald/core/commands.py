"""The command registry: every chat command, defined once, for every platform.

errbot's `@botcmd` idea: a command's name, its argument, which platforms offer it and the
core call it makes live in one entry here, and its sentences in `herald.core.i18n`
(`command.<name>`, `argument.<arg>`, `usage.<arg>`).  The Telegram handlers and command
menus, the Discord app-command tree, the console and `/help` all iterate `COMMANDS`, so
adding a command is an entry here, its core function and its sentences.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal, Protocol

from herald.core.actions import Feed, ShowLatest, ShowTag
from herald.core.i18n import LANGUAGES, Language, parse_language, t
from herald.core.paging import page_argument
from herald.core.ports import StoreUnavailable
from herald.core.reader import ReaderService
from herald.core.settings import settings_command, with_settings
from herald.core.start_links import HELP_START, tag_in_start
from herald.core.views import Button, FeedPage, Notice, Reply

ArgumentKind = Literal["page", "text", "words", "language"]
"""`page`: a positive number; `text`: one free-text value; `words`: several values
(tags); `language`: one of `LANGUAGES`."""
Completion = Literal["posts", "tags"]
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Argument:
    name: str
    """Its name in Discord's options and the key of its sentences (`argument.<name>`)."""
    kind: ArgumentKind
    required: bool = False
    completes: Completion | None = None
    """What a platform with autocomplete suggests while it is typed."""


@dataclass(frozen=True, slots=True)
class Chat:
    """Where a command was sent, in platform-neutral terms."""

    platform: str
    chat_id: str
    user_id: str | None = None
    private: bool = True
    topic: str | None = None
    """A topic of the chat (a Telegram forum topic): subscriptions and settings there are
    the topic's own."""


@dataclass(frozen=True, slots=True)
class Request:
    """One command as the core sees it, whatever platform it came from."""

    argument: str
    lang: Language
    chat: Chat
    reading_list: Feed | None = None
    """The list this chat was shown last, for `/read <n>`."""


Run = Callable[[ReaderService, Request], Awaitable[Reply]]


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    run: Run
    argument: Argument | None = None
    manages_chat: bool = False
    """Changes what the chat receives: in groups only its administrators may use it."""
    platforms: frozenset[str] | None = None
    """None: every platform."""

    def offered_on(self, platform: str) -> bool:
        return self.platforms is None or platform in self.platforms

    def description(self, lang: str) -> str:
        return t(lang, f"command.{self.name}")

    def usage(self, lang: str, *, prefix: str = "/") -> str:
        shown = f" {t(lang, f'usage.{self.argument.name}')}" if self.argument else ""
        return f"{prefix}{self.name}{shown}"


async def _start(reader: ReaderService, request: Request) -> Reply:
    if request.argument.strip() == HELP_START:  # from an inline query's hint button
        return await _help(reader, request)
    ref = tag_in_start(request.argument)
    if ref is not None:  # a tag tapped on a card: t.me/<bot>?start=_t_<tag ref>
        return await reader.feed(ShowTag(ref), lang=request.lang)
    if request.argument.strip():  # a deep link: t.me/<bot>?start=<post>
        return await reader.article(request.argument, lang=request.lang)
    lang = request.lang
    latest = Button(t(lang, "latest.heading"), ShowLatest(1))
    return Notice(t(lang, "welcome"), heading=t(lang, "banner"), buttons=(latest,))


async def _help(reader: ReaderService, request: Request) -> Reply:
    return Notice(help_text(request.chat.platform, request.lang))


async def _latest(reader: ReaderService, request: Request) -> Reply:
    page = page_argument(request.argument, lang=request.lang)
    return page if isinstance(page, Notice) else await reader.latest(page, lang=request.lang)


async def _read(reader: ReaderService, request: Request) -> Reply:
    return await reader.article(request.argument, lang=request.lang, context=request.reading_list)


async def _search(reader: ReaderService, request: Request) -> Reply:
    return await reader.search(request.argument, lang=request.lang)


async def _tags(reader: ReaderService, request: Request) -> Reply:
    return await reader.tags(lang=request.lang)


async def _tag(reader: ReaderService, request: Request) -> Reply:
    return await reader.by_tag(request.argument, lang=request.lang)


async def _subscribe(reader: ReaderService, request: Request) -> Reply:
    chat, lang = request.chat, request.lang
    tags = tuple(request.argument.split())
    notice = await reader.subscribe(chat.platform, chat.chat_id, tags, lang=lang, topic=chat.topic)
    here = await reader.subscriptions.get(chat.platform, chat.chat_id, topic=chat.topic)
    return with_settings(notice, here, lang)  # the options, with their toggles


async def _unsubscribe(reader: ReaderService, request: Request) -> Reply:
    chat = request.chat
    tags = tuple(request.argument.split())
    return await reader.unsubscribe(
        chat.platform, chat.chat_id, tags, lang=request.lang, topic=chat.topic
    )


async def _settings(reader: ReaderService, request: Request) -> Reply:
    chat = request.chat
    return await settings_command(
        reader.subscriptions,
        chat.platform,
        chat.chat_id,
        request.argument,
        topic=chat.topic,
        lang=request.lang,
    )


async def _language(reader: ReaderService, request: Request) -> Reply:
    chosen = parse_language(request.argument)
    user = request.chat.user_id
    if chosen is None or user is None:
        return Notice(t(request.lang, "language.usage"))
    await reader.preferences.set_language(request.chat.platform, user, chosen)
    return Notice(t(chosen, "language.set"))


COMMANDS: tuple[Command, ...] = (
    Command("start", _start, Argument("article", "text")),
    Command("help", _help),
    Command("latest", _latest, Argument("page", "page")),
    Command("read", _read, Argument("article", "text", required=True, completes="posts")),
    Command("search", _search, Argument("query", "text", required=True)),
    Command("tags", _tags),
    Command("tag", _tag, Argument("name", "text", required=True, completes="tags")),
    Command("subscribe", _subscribe, Argument("tags", "words", completes="tags"), True),
    Command("unsubscribe", _unsubscribe, Argument("tags", "words", completes="tags"), True),
    Command("settings", _settings, Argument("change", "words"), manages_chat=True),
    Command("language", _language, Argument("language", "language", required=True)),
)
BY_NAME = {command.name: command for command in COMMANDS}


class CommandObserver(Protocol):
    """Who hears how long each command took (the service's metrics, `herald.metrics`)."""

    def commanded(self, command: str, seconds: float) -> None: ...


async def execute(
    reader: ReaderService,
    command: Command,
    request: Request,
    *,
    observer: CommandObserver | None = None,
) -> Reply:
    """Run a command; a list it shows becomes the chat's reading list (for `/read <n>`).

    A command that writes (`/subscribe`, `/language`, a new `/search`) while the store
    refuses writes (disk full, locked) gets a polite "try again in a minute", never an
    error.  Remembering the reading list is a convenience: if the store refuses it, the
    list is still shown (only `/read <n>` counts in the previous one).
    """
    started = time.perf_counter()
    try:
        reply = await _run(reader, command, request)
    finally:
        if observer is not None:
            observer.commanded(command.name, time.perf_counter() - started)
    return reply


async def _run(reader: ReaderService, command: Command, request: Request) -> Reply:
    try:
        reply = await command.run(reader, request)
    except StoreUnavailable as fault:
        log.warning("/%s could not be saved: %s", command.name, fault)
        return Notice(t(request.lang, "store.unavailable"), is_error=True)
    if isinstance(reply, FeedPage):
        chat = request.chat
        try:
            await reader.remember_list(chat.platform, chat.chat_id, reply.current)
        except StoreUnavailable as fault:
            log.warning(
                "the list shown in %s:%s was not remembered: %s", chat.platform, chat.chat_id, fault
            )
    return reply


def commands_for(platform: str) -> tuple[Command, ...]:
    return tuple(command for command in COMMANDS if command.offered_on(platform))


def help_text(platform: str, lang: str, *, prefix: str = "/") -> str:
    lines = [t(lang, "help.heading")]
    for command in commands_for(platform):
        lines.append(f"{command.usage(lang, prefix=prefix)} — {command.description(lang)}")
    return "\n".join(lines)


def language_choices() -> tuple[tuple[str, str], ...]:
    """(value, label) of every language, for platforms that offer a choice."""
    return tuple((lang, t(lang, f"language.{lang}")) for lang in LANGUAGES)
