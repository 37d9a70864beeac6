"""A fake Telegram Bot API server on 127.0.0.1 for end-to-end tests.

The real python-telegram-bot stack talks HTTP to it (`ApplicationBuilder().base_url(...)`).
Tests act as users (`user_sends`, `user_presses`, `user_inline_query`) and assert on what
the bot sent.  It enforces the Bot API's rules with Telegram's error descriptions: entity
parsing, the 4096-character limit, 64-byte callback data, 50 inline results, "message is not
modified", and (optionally) the flood limits, replying 429 with retry_after: 30 messages in
any second, a bucket of 4 a chat refilled at 1/s (groups: 20/min, and never more than 20 in
any minute).  It counts the 429s, the updates the bot never answered (`unanswered`), and
when each chat's messages arrived (`Stats.sent_at`), for latency figures.  After
`setWebhook` updates are POSTed to the bot instead of polled (`getUpdates` is then a 409,
as on Telegram), through a load balancer to the replicas a test names (`deliver_to`,
`fakes/telegram_webhooks.py`).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import math
import re
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from fakes.telegram_rules import (
    CAPTION_LIMIT,
    MESSAGE_LIMIT,
    EntityError,
    FloodControl,
    check_keyboard,
    parse_html,
    utf16_length,
)
from fakes.telegram_webhooks import Webhook

TOKEN = "123456789:AAHtestTokenForHeraldFakeServer_0123456"
BOT = {
    "id": 123456789,
    "is_bot": True,
    "first_name": "Herald",
    "username": "herald_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": True,
}
_STRING_FIELDS = {
    "text",
    "caption",
    "parse_mode",
    "callback_query_id",
    "inline_query_id",
    "url",
    "language_code",
    "secret_token",
    "next_offset",
    "cache_time_text",
}
_SENDS = {"sendMessage", "sendPhoto", "editMessageText"}


class ApiError(Exception):
    def __init__(self, status: int, description: str, retry_after: float | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after


@dataclass
class Sent:
    chat_id: int
    message_id: int
    text: str | None = None
    html: str | None = None
    parse_mode: str | None = None
    reply_markup: dict[str, Any] | None = None
    photo_bytes: int = 0
    caption: str | None = None
    edits: int = 0
    thread_id: int | None = None
    """The forum topic it was sent in (None: the chat, or a forum's General topic)."""
    forum: bool = False

    def json(self) -> dict[str, Any]:
        chat_type = "private" if self.chat_id > 0 else "supergroup"
        body: dict[str, Any] = {
            "message_id": self.message_id,
            "date": int(time.time()),
            "chat": {"id": self.chat_id, "type": chat_type},
            "from": BOT,
        }
        if self.forum:
            body["chat"]["is_forum"] = True
        if self.thread_id is not None:
            body["message_thread_id"] = self.thread_id
            body["is_topic_message"] = True
        if self.text is not None:
            body["text"] = self.text
        if self.photo_bytes:
            body["photo"] = [
                {
                    "file_id": f"photo{self.message_id}",
                    "file_unique_id": "u",
                    "width": 1,
                    "height": 1,
                }
            ]
            if self.caption:
                body["caption"] = self.caption
        if self.reply_markup:
            body["reply_markup"] = self.reply_markup
        return body

    @property
    def buttons(self) -> list[dict[str, Any]]:
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [button for row in rows for button in row]


@dataclass
class Fault:
    status: int
    description: str
    retry_after: float | None = None
    delay: float = 0.0


@dataclass
class Stats:
    sends: int = 0
    per_chat: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    max_per_second: int = 0
    max_per_chat_second: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    rejected_429: int = 0
    first_send_at: float | None = None
    """`time.monotonic()` of the first and last accepted send: the sustained rate a client
    achieved, without its start-up."""
    last_send_at: float | None = None
    sent_at: dict[int, list[float]] = field(default_factory=lambda: defaultdict(list))
    """`time.monotonic()` of every accepted send and edit, per chat."""


class FakeTelegram:
    def __init__(
        self,
        *,
        enforce_rate_limits: bool = False,
        group_limit_per_minute: int = 20,
        chat_burst: int = 4,
    ):
        self.enforce_rate_limits = enforce_rate_limits
        self.group_limit_per_minute = group_limit_per_minute
        self.flood = FloodControl(chat_burst=chat_burst, group_per_minute=group_limit_per_minute)
        self._awaiting_answer: dict[int, int] = defaultdict(int)
        """Per chat, messages and button presses the bot has not answered yet."""
        self._inline_waiting: set[str] = set()
        self.requests: list[tuple[str, dict[str, Any]]] = []
        self.messages: dict[int, dict[int, Sent]] = defaultdict(dict)
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.callback_answers: dict[str, dict[str, Any]] = {}
        self.inline_answers: dict[str, list[dict[str, Any]]] = {}
        self.inline_buttons: dict[str, dict[str, Any]] = {}
        """The button above an inline answer's results, by query id."""
        self.members: dict[tuple[int, int], str] = {}
        self.blocked: set[int] = set()
        self.kicked: set[int] = set()
        self.known_chats: set[int] = set()
        self.forums: dict[int, set[int]] = {}
        """Forum supergroups and their topics (`message_thread_id`s): `add_forum`."""
        self.faults: dict[str, deque[Fault]] = defaultdict(deque)
        self.stats = Stats()
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count[int]] = defaultdict(lambda: itertools.count(1))
        self._query_ids = itertools.count(1)
        self._changed = asyncio.Condition()
        self._send_times: deque[float] = deque()
        self._chat_times: dict[int, deque[float]] = defaultdict(deque)
        self._closing = False
        self._polls = 0
        """getUpdates calls so far: a newer one ends a poll still waiting, as Telegram does."""
        self.conflicts = 0
        """Polls ended by another one (two processes polling one token)."""
        self.webhook = Webhook()
        """`setWebhook`'s registration and its deliveries (`deliver_to` starts them)."""
        self._webhook_task: asyncio.Task[None] | None = None
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- lifecycle -----------------------------------------------------------------------

    async def __aenter__(self) -> FakeTelegram:
        app = web.Application(client_max_size=20 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self._webhook_task = asyncio.create_task(self.webhook.run(self._changed))
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._closing = True
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._webhook_task
        async with self._changed:
            self._changed.notify_all()
        if self._runner:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    # -- acting as users -----------------------------------------------------------------

    def user(self, user_id: int, language_code: str = "en") -> dict[str, Any]:
        return {
            "id": user_id,
            "is_bot": False,
            "first_name": f"User{user_id}",
            "language_code": language_code,
        }

    async def user_sends(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        language_code: str = "en",
        channel: bool = False,
        topic: int | None = None,
    ) -> int:
        """A user (or, with `channel=True`, a channel's administrator) posts `text`; with
        `topic`, in that topic of a forum (`add_forum`), as Telegram marks it."""
        user_id = user_id or chat_id
        self.known_chats.add(chat_id)
        if channel:
            chat: dict[str, Any] = {"id": chat_id, "type": "channel", "title": "Channel"}
        elif chat_id > 0:
            chat = {"id": chat_id, "type": "private", "first_name": f"User{user_id}"}
        else:
            chat = {"id": chat_id, "type": "supergroup", "title": "Group"}
        message: dict[str, Any] = {
            "message_id": next(self._message_ids[chat_id]),
            "date": int(time.time()),
            "chat": chat,
            "text": text,
        }
        if chat_id in self.forums:
            chat["is_forum"] = True
        if topic is not None:
            assert topic in self.forums.get(chat_id, ()), "add_forum(chat, topics) first"
            message["message_thread_id"] = topic
            message["is_topic_message"] = True
        if channel:
            message["sender_chat"] = chat
        else:
            message["from"] = self.user(user_id, language_code)
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": utf16_length(command)}
            ]
        await self._push({"channel_post" if channel else "message": message})
        return int(message["message_id"])

    async def user_presses(
        self,
        chat_id: int,
        message_id: int,
        data: str,
        *,
        user_id: int | None = None,
        language_code: str = "en",
    ) -> str:
        sent = self.messages[chat_id].get(message_id)
        message = (
            sent.json()
            if sent
            else {"message_id": message_id, "date": 0, "chat": {"id": chat_id, "type": "private"}}
        )
        query_id = f"cb{next(self._query_ids)}"
        await self._push(
            {
                "callback_query": {
                    "id": query_id,
                    "from": self.user(user_id or chat_id, language_code),
                    "chat_instance": f"ci{chat_id}",
                    "data": data,
                    "message": message,
                }
            }
        )
        return query_id

    async def user_inline_query(
        self, query: str, *, user_id: int = 42, language_code: str = "en"
    ) -> str:
        query_id = f"iq{next(self._query_ids)}"
        await self._push(
            {
                "inline_query": {
                    "id": query_id,
                    "from": self.user(user_id, language_code),
                    "query": query,
                    "offset": "",
                }
            }
        )
        return query_id

    def add_forum(self, chat_id: int, *topics: int) -> None:
        """A supergroup with topics: sends may name one (`message_thread_id`), Telegram
        refuses an unknown one, and a user's message in a topic says so."""
        self.known_chats.add(chat_id)
        self.forums.setdefault(chat_id, set()).update(topics)

    def deliver_to(self, addresses: list[str]) -> None:
        """Webhook mode behind a load balancer: POST each update to the next of these
        replicas (`http://127.0.0.1:<port>`), as `fakes.telegram_webhooks` describes."""
        self.webhook.deliver_to(addresses)

    def set_member_status(self, chat_id: int, user_id: int, status: str) -> None:
        self.members[(chat_id, user_id)] = status

    def fail_next(
        self,
        method: str,
        *,
        status: int = 500,
        description: str = "Internal Server Error",
        retry_after: float | None = None,
        delay: float = 0.0,
        times: int = 1,
    ) -> None:
        for _ in range(times):
            self.faults[method].append(Fault(status, description, retry_after, delay))

    # -- observing -----------------------------------------------------------------------

    def sent(self, chat_id: int) -> list[Sent]:
        return list(self.messages[chat_id].values())

    def calls(self, method: str) -> list[dict[str, Any]]:
        return [params for name, params in self.requests if name == method]

    async def wait_for(self, condition: Callable[[], bool], seconds: float = 10.0) -> None:
        async with asyncio.timeout(seconds), self._changed:
            await self._changed.wait_for(condition)

    # -- the API -------------------------------------------------------------------------

    def unanswered(self) -> int:
        """Updates the bot never answered: a message or a button press is answered by the
        next message sent or edited in its chat, an inline query by its answer."""
        return sum(self._awaiting_answer.values()) + len(self._inline_waiting)

    async def _push(self, update: dict[str, Any]) -> None:
        update["update_id"] = next(self._update_ids)
        if "inline_query" in update:
            self._inline_waiting.add(update["inline_query"]["id"])
        else:
            message = update.get("message") or update.get("channel_post")
            message = message or update["callback_query"]["message"]
            self._awaiting_answer[int(message["chat"]["id"])] += 1
        if self.webhook.active:
            self.webhook.push(update)
        else:
            self._updates.append(update)
        async with self._changed:
            self._changed.notify_all()

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != TOKEN:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        method = request.match_info["method"]
        params = await self._params(request)
        self.requests.append((method, params))
        async with self._changed:
            self._changed.notify_all()
        try:
            fault = self.faults[method].popleft() if self.faults[method] else None
            if fault is not None:
                if fault.delay:
                    await asyncio.sleep(fault.delay)
                raise ApiError(fault.status, fault.description, fault.retry_after)
            handler = getattr(self, f"api_{method}", None)
            if handler is None:
                raise ApiError(404, "Not Found: method not found")
            if method in _SENDS:
                self._check_flood(params)
            result = await handler(params)
            self._answered(method, params)
        except ApiError as error:
            body: dict[str, Any] = {
                "ok": False,
                "error_code": error.status,
                "description": error.description,
            }
            if error.retry_after is not None:
                body["parameters"] = {"retry_after": error.retry_after}
            return web.json_response(body, status=error.status)
        finally:
            async with self._changed:
                self._changed.notify_all()
        return web.json_response({"ok": True, "result": result})

    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            params.update(await request.json())
            return params
        if request.content_type.startswith("multipart/"):
            reader = await request.multipart()
            async for part in reader:
                name = str(part.name)  # type: ignore[union-attr]
                if part.filename:  # type: ignore[union-attr]
                    params[name] = bytes(await part.read())  # type: ignore[union-attr]
                else:
                    params[name] = await part.text()  # type: ignore[union-attr]
        else:
            params.update(dict(await request.post()))
        for key, value in list(params.items()):
            if isinstance(value, str) and key not in _STRING_FIELDS:
                with contextlib.suppress(ValueError):
                    params[key] = json.loads(value)
        return params

    def _check_flood(self, params: dict[str, Any]) -> None:
        now = time.monotonic()
        chat_id = int(params.get("chat_id", 0))
        wait = self.flood.wait(chat_id, now)
        if self.enforce_rate_limits and wait > 0:
            self.stats.rejected_429 += 1
            seconds = max(1, math.ceil(wait))  # Telegram says whole seconds
            raise ApiError(429, f"Too Many Requests: retry after {seconds}", retry_after=seconds)
        self.flood.count(chat_id, now)
        times, chat_times = self._send_times, self._chat_times[chat_id]
        while times and now - times[0] >= 1.0:
            times.popleft()
        window = 60.0 if chat_id < 0 else 1.0
        while chat_times and now - chat_times[0] >= window:
            chat_times.popleft()
        times.append(now)
        chat_times.append(now)
        if self.stats.first_send_at is None:
            self.stats.first_send_at = now
        self.stats.last_send_at = now
        self.stats.sends += 1
        self.stats.per_chat[chat_id] += 1
        self.stats.sent_at[chat_id].append(now)
        self.stats.max_per_second = max(self.stats.max_per_second, len(times))
        peak = self.stats.max_per_chat_second
        peak[chat_id] = max(peak[chat_id], len(chat_times))

    def _answered(self, method: str, params: dict[str, Any]) -> None:
        if method == "answerInlineQuery":
            self._inline_waiting.discard(str(params["inline_query_id"]))
        elif method in _SENDS:
            chat_id = int(params["chat_id"])
            self._awaiting_answer[chat_id] = max(0, self._awaiting_answer[chat_id] - 1)

    def _chat(self, params: dict[str, Any]) -> int:
        chat_id = int(params["chat_id"])
        if chat_id in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if chat_id in self.kicked:
            raise ApiError(403, "Forbidden: bot was kicked from the group chat")
        if chat_id not in self.known_chats:
            raise ApiError(400, "Bad Request: chat not found")
        return chat_id

    def _thread(self, chat_id: int, params: dict[str, Any]) -> int | None:
        """The forum topic a send names, as Telegram checks it."""
        if params.get("message_thread_id") in (None, ""):
            return None
        thread = int(params["message_thread_id"])
        if thread not in self.forums.get(chat_id, ()):
            raise ApiError(400, "Bad Request: message thread not found")
        return thread

    @staticmethod
    def _text(text: str, parse_mode: str | None, limit: int, what: str) -> str:
        if parse_mode and parse_mode.upper() == "HTML":
            try:
                visible = parse_html(text)
            except EntityError as error:
                raise ApiError(400, f"Bad Request: can't parse entities: {error}") from None
        elif parse_mode:
            raise ApiError(400, f"Bad Request: unsupported parse_mode {parse_mode} in this fake")
        else:
            visible = text
        if what == "text" and not visible.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if utf16_length(visible) > limit:
            raise ApiError(
                400, f"Bad Request: message {'caption ' if what == 'caption' else ''}is too long"
            )
        return visible

    @staticmethod
    def _markup(params: dict[str, Any]) -> dict[str, Any] | None:
        markup = params.get("reply_markup")
        problem = check_keyboard(markup, private=str(params.get("chat_id", "")).isdigit())
        if problem:
            raise ApiError(400, problem)
        return markup  # type: ignore[no-any-return]

    async def api_getMe(self, params: dict[str, Any]) -> Any:
        return BOT

    async def api_deleteWebhook(self, params: dict[str, Any]) -> Any:
        self.webhook.url = None
        return True

    async def api_setWebhook(self, params: dict[str, Any]) -> Any:
        url = str(params.get("url") or "")
        if not url.startswith("https://"):
            raise ApiError(
                400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
            )
        self.webhook.register(url, params.get("secret_token"))
        return True

    async def api_close(self, params: dict[str, Any]) -> Any:
        return True

    async def api_getUpdates(self, params: dict[str, Any]) -> Any:
        if self.webhook.active:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        if offset:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        self._polls += 1
        mine = self._polls
        async with self._changed:
            self._changed.notify_all()  # a poll still waiting is ended by this one
        if not self._updates and timeout and not self._closing:
            try:
                async with asyncio.timeout(timeout), self._changed:
                    await self._changed.wait_for(
                        lambda: bool(self._updates) or self._closing or self._polls != mine
                    )
            except TimeoutError:
                pass
            if self._polls != mine:
                self.conflicts += 1
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only "
                    "one bot instance is running",
                )
        return self._updates[: int(params.get("limit") or 100)]

    async def api_sendMessage(self, params: dict[str, Any]) -> Any:
        chat_id = self._chat(params)
        parse_mode = params.get("parse_mode")
        visible = self._text(str(params.get("text", "")), parse_mode, MESSAGE_LIMIT, "text")
        sent = Sent(
            chat_id,
            next(self._message_ids[chat_id]),
            visible,
            str(params["text"]),
            parse_mode,
            self._markup(params),
            thread_id=self._thread(chat_id, params),
            forum=chat_id in self.forums,
        )
        self.messages[chat_id][sent.message_id] = sent
        return sent.json()

    async def api_sendPhoto(self, params: dict[str, Any]) -> Any:
        chat_id = self._chat(params)
        photo = params.get("photo")
        if not isinstance(photo, bytes | str) or not photo:
            raise ApiError(400, "Bad Request: there is no photo in the request")
        caption = params.get("caption")
        if caption is not None:
            caption = self._text(str(caption), params.get("parse_mode"), CAPTION_LIMIT, "caption")
        size = len(photo) if isinstance(photo, bytes) else 1
        sent = Sent(
            chat_id,
            next(self._message_ids[chat_id]),
            None,
            None,
            None,
            self._markup(params),
            photo_bytes=size,
            caption=caption,
            thread_id=self._thread(chat_id, params),
            forum=chat_id in self.forums,
        )
        self.messages[chat_id][sent.message_id] = sent
        return sent.json()

    async def api_editMessageText(self, params: dict[str, Any]) -> Any:
        chat_id = int(params["chat_id"])
        sent = self.messages[chat_id].get(int(params["message_id"]))
        if sent is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        parse_mode = params.get("parse_mode")
        visible = self._text(str(params.get("text", "")), parse_mode, MESSAGE_LIMIT, "text")
        markup = self._markup(params)
        if (str(params["text"]), markup) == (sent.html, sent.reply_markup):
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message "
                "content and reply markup are exactly the same as a current content "
                "and reply markup of the message",
            )
        sent.text, sent.html, sent.reply_markup = visible, str(params["text"]), markup
        sent.edits += 1
        return sent.json()

    async def api_answerCallbackQuery(self, params: dict[str, Any]) -> Any:
        query_id = str(params["callback_query_id"])
        if query_id in self.callback_answers or not query_id.startswith("cb"):
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        self.callback_answers[query_id] = params
        return True

    async def api_answerInlineQuery(self, params: dict[str, Any]) -> Any:
        query_id = str(params["inline_query_id"])
        if query_id in self.inline_answers or not query_id.startswith("iq"):
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        results = params.get("results") or []
        if len(results) > 50:
            raise ApiError(400, "Bad Request: RESULTS_TOO_MUCH")
        for result in results:
            content = result.get("input_message_content", {})
            self._text(
                content.get("message_text", ""), content.get("parse_mode"), MESSAGE_LIMIT, "text"
            )
            problem = check_keyboard(result.get("reply_markup"))
            if problem:
                raise ApiError(400, problem)
        button = params.get("button")
        if button is not None:
            text, start = button.get("text", ""), button.get("start_parameter", "")
            if not 1 <= len(text) <= 64:
                raise ApiError(400, "Bad Request: BUTTON_TEXT_INVALID")
            if "web_app" not in button and not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", start):
                raise ApiError(400, "Bad Request: START_PARAM_INVALID")
            self.inline_buttons[query_id] = button
        self.inline_answers[query_id] = results
        return True

    async def api_setMyCommands(self, params: dict[str, Any]) -> Any:
        self.commands[str(params.get("language_code") or "")] = params["commands"]
        return True

    async def api_getMyCommands(self, params: dict[str, Any]) -> Any:
        return self.commands.get(str(params.get("language_code") or ""), [])

    async def api_getChatMember(self, params: dict[str, Any]) -> Any:
        chat_id, user_id = int(params["chat_id"]), int(params["user_id"])
        status = self.members.get((chat_id, user_id), "member")
        member: dict[str, Any] = {"status": status, "user": self.user(user_id)}
        if status == "creator":
            member["is_anonymous"] = False
        if status == "administrator":
            member.update(
                {
                    key: True
                    for key in (
                        "can_be_edited",
                        "can_manage_chat",
                        "can_delete_messages",
                        "can_manage_video_chats",
                        "can_restrict_members",
                        "can_promote_members",
                        "can_change_info",
                        "can_invite_users",
                        "can_post_stories",
                        "can_edit_stories",
                        "can_delete_stories",
                    )
                }
            )
            member["is_anonymous"] = False
        return member
