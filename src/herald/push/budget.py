"""The send budget as a port: where replies and pushes ask for their turn.

Telegram's limits are per bot token, whoever sends.  One process keeps its token's budget
in memory (`Pacer`); replicas sharing a PostgreSQL database keep one budget per token in
it (`herald.store.postgres.send_budget`), so that all of them together send no more than
one process would.  Which one an adapter gets is the composition root's choice
(`herald.adapters.Services.send_budget`), never the adapter's.

A budget is named by `budget_key`, a hash of the platform and its token: the database
tells tokens apart without ever holding one.
"""

from __future__ import annotations

import hashlib
from contextlib import AbstractAsyncContextManager
from typing import Protocol, runtime_checkable

from herald.push.pacing import ChatLimits, Pacer, SendObserver


class SendBudget(Protocol):
    """One token's turns: replies before pushes, a 429 pausing every send."""

    def reply_slot(self, chat_id: str, *, group: bool) -> AbstractAsyncContextManager[None]:
        """The turn of a message answering a person: before every push that waits."""
        ...

    def push_slot(self, chat_id: str, *, group: bool) -> AbstractAsyncContextManager[None]:
        """The turn of a push: it goes when no reply needs the room."""
        ...

    def pause(self, seconds: float) -> None:
        """The platform said "too many requests": nothing leaves for `seconds`."""
        ...


class BudgetFactory(Protocol):
    def __call__(
        self, key: str, limits: ChatLimits, *, observer: SendObserver | None
    ) -> SendBudget: ...


@runtime_checkable
class SharesSendBudgets(Protocol):
    """A store whose processes share one budget per token (PostgreSQL's replicas)."""

    def send_budget(
        self, key: str, limits: ChatLimits, *, observer: SendObserver | None
    ) -> SendBudget: ...


def in_process(key: str, limits: ChatLimits, *, observer: SendObserver | None) -> SendBudget:
    """One process, one budget in memory (the key names nothing: there is no one to share
    it with)."""
    return Pacer(limits, observer=observer)


def budgets_of(store: object) -> BudgetFactory:
    """Where the budgets of a service on `store` live: in the store if its processes share
    it, else in this process."""
    return store.send_budget if isinstance(store, SharesSendBudgets) else in_process


def budget_key(platform: str, token: str) -> str:
    return hashlib.sha256(f"herald-send-budget:{platform}:{token}".encode()).hexdigest()
