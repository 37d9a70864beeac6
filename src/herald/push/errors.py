"""How a delivery can fail, in the dispatcher's terms: each adapter maps its platform's errors.

The distinction decides what happens to the outbox entry: wait exactly as told, retry with
backoff, or stop writing to that chat for good.
"""

from __future__ import annotations


class DeliveryError(Exception):
    """Base class; the message is what `herald outbox` shows as the last error."""


class RetryAfter(DeliveryError):
    """The platform said "too many requests": try again after exactly `seconds`."""

    def __init__(self, seconds: float, message: str = "") -> None:
        super().__init__(message or f"rate limited: retry after {seconds:g} s")
        self.seconds = seconds


class TemporaryFailure(DeliveryError):
    """5xx, timeouts, network trouble: retry with exponential backoff."""


class PermanentFailure(DeliveryError):
    """Blocked by the user, chat not found, kicked, missing access: deactivate the subscription."""
