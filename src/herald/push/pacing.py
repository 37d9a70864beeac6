"""One send budget per bot token: replies to people first, pushes with what is left.

Telegram counts every message a bot sends against one budget per token (about 30 a second
overall, about one a second in a private chat with short bursts allowed, 20 a minute in a
group), whoever in the bot sends it.  `Pacer` is that budget, shared by the adapter's
replies (python-telegram-bot's rate limiter) and the push dispatcher:

- **Overall**, no sliding window ever holds more than the limit as the platform counts
  (a `Window` over answer times, see `send_windows.py`; a token bucket of capacity N
  would let 2N through in one window).  Pushes are also spread one per 1/limit seconds,
  so a broadcast never fills a window in one burst that replies then wait behind; replies
  are not spread, so a few at once go at once while the window has room.
- **Per chat**, a bucket (`ChatBudget`): `chat_burst` messages at once, then the chat's
  sustained rate; one message in flight per chat, so a chat's messages keep their order.
- **Priority**: a reply (`reply_slot`) takes the next overall slot before any waiting push
  (`push_slot`); within each kind, first come first served; a chat with no token left
  waits without holding up anyone else.
- **429**: `pause` stops every send until the platform's `retry_after` has passed (a pause
  extended meanwhile is honoured); whoever hears the 429 calls it.

Each message's outcome and wait, and each pause, are reported to an optional
`SendObserver` (the service's metrics, `herald.metrics`).

One task per budget hands out the slots while anyone waits; with nobody waiting a free
slot is taken at once, without a task switch or an allocation beyond the slot itself.
Time comes from an injected `Clock`, so tests run on virtual time.
"""

from __future__ import annotations

import asyncio
import math
from collections import deque
from dataclasses import dataclass
from types import TracebackType
from typing import Protocol

from herald.push.send_windows import MONOTONIC, ChatBudget, Clock, Window

_MAX_TRACKED_CHATS = 4096
"""Beyond this many chats, those whose buckets are full again are forgotten."""


@dataclass(frozen=True, slots=True)
class ChatLimits:
    """Sending rates a platform allows; `per_group_per_minute` applies to group chats,
    `chat_burst` messages may leave at once in a chat that has been quiet."""

    per_second: float
    per_chat_per_second: float
    per_group_per_minute: float | None = None
    chat_burst: int = 1


class SendObserver(Protocol):
    """Who hears how each message went (the service's metrics)."""

    def sent(self, *, reply: bool, ok: bool, seconds: float) -> None:
        """A message left, or failed: `seconds` from asking for its turn to the answer."""

    def limited(self, seconds: float) -> None:
        """The platform said "too many requests, wait `seconds`"."""


class Slot:
    """One message's turn, taken with `async with`.  The exit records when the platform
    answered, which is when the windows start counting the message down."""

    __slots__ = (
        "_asked",
        "_chat",
        "_chat_index",
        "_future",
        "_pacer",
        "_reply",
        "_sent_index",
        "_unanswered",
    )

    def __init__(self, pacer: Pacer, chat: ChatBudget, *, reply: bool) -> None:
        self._pacer = pacer
        self._chat = chat
        self._reply = reply
        self._asked = pacer.clock.now()
        self._future: asyncio.Future[None] | None = None
        self._sent_index = -1
        self._chat_index = -1
        self._unanswered = False

    async def __aenter__(self) -> None:
        await self._pacer._acquire(self)

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        pacer = self._pacer
        pacer._release(self)
        if pacer.observer is not None:
            seconds = pacer.clock.now() - self._asked
            pacer.observer.sent(reply=self._reply, ok=error is None, seconds=seconds)


class Pacer:
    def __init__(
        self,
        limits: ChatLimits,
        *,
        clock: Clock = MONOTONIC,
        observer: SendObserver | None = None,
    ) -> None:
        self.limits = limits
        self.clock = clock
        self.observer = observer
        self._sent = Window(limits.per_second, 1.0)
        self._spacing = self._sent.period / self._sent.count
        self._tolerance = self._spacing / 2
        """A push may go this early on its spacing: timer lateness is made up, not lost."""
        self._next = -math.inf
        self._paused_until = -math.inf
        self._chats: dict[str, ChatBudget] = {}
        self._replies: deque[Slot] = deque()
        self._pushes: deque[Slot] = deque()
        self._scheduler: asyncio.Task[None] | None = None
        self._nap: asyncio.Future[None] | None = None

    def reply_slot(self, chat_id: str, *, group: bool) -> Slot:
        """The turn of a message answering a person: before every push that waits."""
        return Slot(self, self._chat(chat_id, group), reply=True)

    def push_slot(self, chat_id: str, *, group: bool) -> Slot:
        """The turn of a push: it goes when no reply is waiting for the slot."""
        return Slot(self, self._chat(chat_id, group), reply=False)

    def pause(self, seconds: float) -> None:
        """The platform said "too many requests": nothing leaves for `seconds`."""
        self._paused_until = max(self._paused_until, self.clock.now() + seconds)
        if self.observer is not None:
            self.observer.limited(seconds)

    # -- taking and giving back ------------------------------------------------------------

    async def _acquire(self, slot: Slot) -> None:
        now = self.clock.now()
        chat = slot._chat
        if (
            self._scheduler is None
            and max(self._paused_until, self._sent.free_at(), chat.ready_at()) <= now
            and (slot._reply or self._next - self._tolerance <= now)
        ):
            self._grant(slot, now)
            return
        loop = asyncio.get_running_loop()
        future = slot._future = loop.create_future()
        (self._replies if slot._reply else self._pushes).append(slot)
        chat.waiting += 1
        if self._scheduler is None:
            self._scheduler = loop.create_task(self._schedule())
        else:
            self._poke()
        try:
            await future
        except asyncio.CancelledError:
            if future.done() and not future.cancelled():  # granted as it was cancelled
                self._release(slot)
            else:
                self._withdraw(slot)
            raise

    def _grant(self, slot: Slot, now: float) -> None:
        self._next = max(self._next, now) + self._spacing
        slot._sent_index = self._sent.take()
        slot._chat_index = slot._chat.take(now)
        slot._unanswered = True

    def _release(self, slot: Slot) -> None:
        if slot._unanswered:
            slot._unanswered = False
            now = self.clock.now()
            self._sent.answered(slot._sent_index, now)
            slot._chat.answered(slot._chat_index, now)
        self._poke()

    def _withdraw(self, slot: Slot) -> None:
        queue = self._replies if slot._reply else self._pushes
        try:
            queue.remove(slot)
        except ValueError:
            return
        slot._chat.waiting -= 1
        self._poke()

    # -- handing out slots -----------------------------------------------------------------

    async def _schedule(self) -> None:
        """Give each free slot to the first waiting reply whose chat may send, else the
        first such push; sleep until something can change that."""
        clock = self.clock
        try:
            while self._replies or self._pushes:
                now = clock.now()
                at = max(self._paused_until, self._sent.free_at())
                if at <= now:
                    slot, at = self._first_ready(now)
                    if slot is not None:
                        self._grant(slot, now)
                        assert slot._future is not None
                        slot._future.set_result(None)
                        continue
                await self._sleep(at - now)
        finally:
            self._scheduler = None
            for queue in (self._replies, self._pushes):
                while queue:
                    slot = queue.popleft()
                    slot._chat.waiting -= 1
                    if slot._future is not None:
                        slot._future.cancel()

    def _first_ready(self, now: float) -> tuple[Slot | None, float]:
        """The slot to grant now, or None and when the first waiting one may go."""
        soonest = math.inf
        spaced = self._next - self._tolerance
        for queue in (self._replies, self._pushes):
            for index, slot in enumerate(queue):
                if slot._future is None or slot._future.done():
                    continue  # cancelled: its task is withdrawing it
                at = slot._chat.ready_at()
                if not slot._reply:
                    at = max(at, spaced)
                if at <= now:
                    del queue[index]
                    slot._chat.waiting -= 1
                    return slot, now
                soonest = min(soonest, at)
        return None, soonest

    async def _sleep(self, seconds: float) -> None:
        """Sleep, or less: an arrival, an answer or a withdrawal (`_poke`) ends it early."""
        if math.isinf(seconds):  # only an answer still in flight can free the next slot
            nap: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        else:
            nap = asyncio.ensure_future(self.clock.sleep(seconds))
        self._nap = nap
        try:
            await asyncio.wait((nap,))
        finally:
            self._nap = None
            nap.cancel()

    def _poke(self) -> None:
        if self._nap is not None:
            self._nap.cancel()

    # -- chats -----------------------------------------------------------------------------

    def _chat(self, chat_id: str, group: bool) -> ChatBudget:
        chat = self._chats.get(chat_id)
        if chat is None:
            if len(self._chats) >= _MAX_TRACKED_CHATS:
                now = self.clock.now()
                for key in [key for key, known in self._chats.items() if known.idle(now)]:
                    del self._chats[key]
            chat = self._chats[chat_id] = self._new_chat(group)
        return chat

    def _new_chat(self, group: bool) -> ChatBudget:
        limits = self.limits
        per_minute = limits.per_group_per_minute
        if group and per_minute:
            return ChatBudget(per_minute / 60, limits.chat_burst, Window(per_minute, 60.0))
        return ChatBudget(limits.per_chat_per_second, limits.chat_burst, None)
