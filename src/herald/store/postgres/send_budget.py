"""One send budget per bot token for every replica on the database (issue 19).

Each turn is granted by the database (`budget_state.py`, migration V3): one round trip that
checks and takes the token's overall window, the chat's bucket and, for a group, its
minute, by the server's clock; a second one when the platform has answered, which is when
the windows start counting the message down.  So however many replicas send, and however
their requests' travel times differ, no sliding window as the platform counts holds more
than one process's budget would let through.

Replies keep their priority across replicas without seeing each other's queues: pushes
never hold more than the window less a reserve (`SHARED_BUDGET_REPLY_SHARE`: 25 of 30),
spread over the second; replies take any free entry.  Within a replica, as in `Pacer`,
one task asks for turns, replies first, a chat whose bucket is empty not holding up the
others.

A 429 heard by any replica pauses this one at once and every other from its next request
(`paused_until` in the token's row).  A replica that dies mid-send holds its turns until
their lease ends (`SEND_LEASE_SECONDS`); a database out of reach holds every turn back
until it answers again, as it holds back the readers' pages.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections import deque
from collections.abc import Callable, Coroutine
from types import TracebackType
from typing import Any

from herald.core.ports import StoreUnavailable
from herald.limits import SEND_LEASE_SECONDS, SHARED_BUDGET_POLL_SECONDS
from herald.push.pacing import ChatLimits, SendObserver
from herald.push.send_windows import MONOTONIC, Clock
from herald.push.supervise import StoreOutage
from herald.store.postgres.budget_state import BudgetState, Rules, Turn

log = logging.getLogger(__name__)
_STORE_RETRY_SECONDS = 1.0
_FORGET_EVERY_SECONDS = 60.0
"""How often a replica removes the rows of chats back to a full bucket."""


class SharedSlot:
    """One message's turn, taken with `async with`; its exit gives the turn back."""

    __slots__ = ("_asked", "_budget", "_future", "_turn", "chat", "group", "reply")

    def __init__(self, budget: SharedBudget, chat: str, *, group: bool, reply: bool) -> None:
        self._budget = budget
        self.chat = chat
        self.group = group
        self.reply = reply
        self._asked = budget.clock.now()
        self._future: asyncio.Future[None] | None = None
        self._turn: Turn | None = None

    async def __aenter__(self) -> None:
        await self._budget._acquire(self)

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        budget = self._budget
        await budget._release(self)
        if budget.observer is not None:
            seconds = budget.clock.now() - self._asked
            budget.observer.sent(reply=self.reply, ok=error is None, seconds=seconds)


class SharedBudget:
    """`herald.push.budget.SendBudget` kept in PostgreSQL for every replica."""

    def __init__(
        self,
        state: BudgetState,
        limits: ChatLimits,
        *,
        clock: Clock = MONOTONIC,
        observer: SendObserver | None = None,
        poll: float = SHARED_BUDGET_POLL_SECONDS,
    ) -> None:
        self.state = state
        self.limits = limits
        self.clock = clock
        self.observer = observer
        self._poll = poll
        self._replies: deque[SharedSlot] = deque()
        self._pushes: deque[SharedSlot] = deque()
        self._busy: set[str] = set()
        """Chats with a message of this replica in flight (the database refuses them)."""
        self._chat_after: dict[str, float] = {}
        """Chats the database refused, and when to ask again (this replica's clock)."""
        self._replies_after = -math.inf
        self._pushes_after = -math.inf
        self._paused_until = -math.inf
        self._forget_after = clock.now() + _FORGET_EVERY_SECONDS
        self._scheduler: asyncio.Task[None] | None = None
        self._nap: asyncio.Future[None] | None = None
        self._background: set[asyncio.Task[None]] = set()
        self._outage = StoreOutage()
        """One log line when the database stops granting turns, one when it is back."""

    @classmethod
    def open(
        cls,
        url: str,
        where: str,
        key: str,
        limits: ChatLimits,
        *,
        observer: SendObserver | None = None,
        lease: float = SEND_LEASE_SECONDS,
        server_time: Callable[[], float] | None = None,
    ) -> SharedBudget:
        """No connection yet: the first turn asked for makes it."""
        state = BudgetState(url, where, key, Rules.of(limits), lease=lease, server_time=server_time)
        return cls(state, limits, observer=observer)

    def reply_slot(self, chat_id: str, *, group: bool) -> SharedSlot:
        return SharedSlot(self, chat_id, group=group, reply=True)

    def push_slot(self, chat_id: str, *, group: bool) -> SharedSlot:
        return SharedSlot(self, chat_id, group=group, reply=False)

    def pause(self, seconds: float) -> None:
        """Here at once; every other replica from its next request."""
        self._paused_until = max(self._paused_until, self.clock.now() + seconds)
        if self.observer is not None:
            self.observer.limited(seconds)
        self._in_background(self._pause_everyone(seconds))
        self._poke()

    async def close(self) -> None:
        for task in list(self._background):
            task.cancel()
        if self._scheduler is not None:
            self._scheduler.cancel()
        await asyncio.gather(*self._background, return_exceptions=True)
        await self.state.close()

    # -- taking and giving back ------------------------------------------------------------

    async def _acquire(self, slot: SharedSlot) -> None:
        future = slot._future = asyncio.get_running_loop().create_future()
        (self._replies if slot.reply else self._pushes).append(slot)
        if self._scheduler is None:
            self._scheduler = asyncio.get_running_loop().create_task(self._schedule())
        else:
            self._poke()
        try:
            await future
        except asyncio.CancelledError:
            if future.done() and not future.cancelled():  # granted as it was cancelled
                await asyncio.shield(self._release(slot))
            else:
                self._withdraw(slot)
            raise

    async def _release(self, slot: SharedSlot) -> None:
        turn, slot._turn = slot._turn, None
        if turn is None:
            return
        try:
            await self.state.release(slot.chat, turn, group=slot.group)
        except StoreUnavailable as fault:  # its lease frees the turn
            self._outage.failed(fault, doing="giving a send's turn back")
        finally:
            self._busy.discard(slot.chat)
            self._poke()

    def _withdraw(self, slot: SharedSlot) -> None:
        queue = self._replies if slot.reply else self._pushes
        try:
            queue.remove(slot)
        except ValueError:
            return
        self._poke()

    # -- asking the database ---------------------------------------------------------------

    async def _schedule(self) -> None:
        """Ask for the first waiting reply's turn whose chat may send, else the first such
        push's; sleep while nothing can go."""
        clock = self.clock
        try:
            while self._replies or self._pushes:
                now = clock.now()
                if now >= self._forget_after:
                    self._forget_after = now + _FORGET_EVERY_SECONDS
                    self._in_background(self._forget())
                slot, at = self._first_ready(now)
                if slot is None:
                    await self._sleep(at - now)
                    continue
                try:
                    turn = await self.state.take(slot.chat, group=slot.group, reply=slot.reply)
                except StoreUnavailable as fault:
                    self._outage.failed(fault, doing="asking for a send's turn")
                    await self._sleep(_STORE_RETRY_SECONDS)
                    continue
                self._outage.passed()
                self._heard(slot, turn, clock.now())
        finally:
            self._scheduler = None
            self._chat_after.clear()
            for queue in (self._replies, self._pushes):
                while queue:
                    waiting = queue.popleft()
                    if waiting._future is not None:
                        waiting._future.cancel()

    def _heard(self, slot: SharedSlot, turn: Turn, now: float) -> None:
        future = slot._future
        assert future is not None
        if turn.granted:
            slot._turn = turn
            self._busy.add(slot.chat)
            queue = self._replies if slot.reply else self._pushes
            if future.done():  # given up while we asked: give the turn straight back
                self._in_background(self._release(slot))
                return
            queue.remove(slot)
            future.set_result(None)
            return
        # The database's waits are exact, or the soonest the obstacle can go (an answer
        # still to come); only a chat busy on another replica has no such bound.
        again = now + turn.wait
        if turn.blocker == "paused":
            self._paused_until = max(self._paused_until, again)
        elif turn.blocker == "overall":
            self._pushes_after = again  # a push needs more room than a reply
            if slot.reply:
                self._replies_after = again
        elif turn.blocker == "chat":
            self._chat_after[slot.chat] = again
        else:
            self._chat_after[slot.chat] = now + min(turn.wait, self._poll)

    def _first_ready(self, now: float) -> tuple[SharedSlot | None, float]:
        """The slot to ask for now, or None and when the first waiting one may go."""
        soonest = math.inf
        if self._paused_until > now:
            return None, self._paused_until
        kinds = ((self._replies, self._replies_after), (self._pushes, self._pushes_after))
        for queue, after in kinds:
            for slot in queue:
                if slot._future is None or slot._future.done():
                    continue  # cancelled: its task is withdrawing it
                if slot.chat in self._busy:
                    continue  # its answer pokes
                at = max(after, self._chat_after.get(slot.chat, -math.inf))
                if at <= now:
                    self._chat_after.pop(slot.chat, None)
                    return slot, now
                soonest = min(soonest, at)
        return None, soonest

    async def _pause_everyone(self, seconds: float) -> None:
        try:
            await self.state.pause(seconds)
        except StoreUnavailable as fault:
            self._outage.failed(fault, doing="telling the other replicas of a 429")

    async def _forget(self) -> None:
        try:
            await self.state.forget_idle_chats()
        except StoreUnavailable as fault:
            self._outage.failed(fault, doing="forgetting idle chats")

    def _in_background(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    # -- sleeping --------------------------------------------------------------------------

    async def _sleep(self, seconds: float) -> None:
        """Sleep, or less: an arrival, an answer or a pause here (`_poke`) ends it early."""
        if math.isinf(seconds):
            nap: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        else:
            nap = asyncio.ensure_future(self.clock.sleep(max(0.0, seconds)))
        self._nap = nap
        try:
            await asyncio.wait((nap,))
        finally:
            self._nap = None
            nap.cancel()

    def _poke(self) -> None:
        if self._nap is not None:
            self._nap.cancel()
