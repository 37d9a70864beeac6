"""What a button asks for, and its compact wire form (≤ 64 bytes on every platform).

Buttons carry their whole state, like discord.py's dynamic items, so they keep working after
a restart.  Whatever comes back is untrusted: `decode` accepts only the exact shapes
`encode` produces, with numbers in range, and returns None for anything else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from herald.limits import PAYLOAD_BYTES

MAX_PAGE = 100_000
MAX_POST_ID = 36**8


@dataclass(frozen=True, slots=True)
class ShowLatest:
    page: int = 1


@dataclass(frozen=True, slots=True)
class ShowTag:
    key: str
    """Saved-query key of the tag (see PostQueries.save_query)."""
    page: int = 1


@dataclass(frozen=True, slots=True)
class ShowSearch:
    key: str
    page: int = 1


@dataclass(frozen=True, slots=True)
class ReadPost:
    post_id: int


@dataclass(frozen=True, slots=True)
class Noop:
    """The "page i/n" indicator: pressing it does nothing but acknowledge."""


Action = ShowLatest | ShowTag | ShowSearch | ReadPost | Noop

_B36 = "0123456789abcdefghijklmnopqrstuvwxyz"
_PATTERNS = {
    "l": re.compile(r"l:([1-9][0-9]{0,5})"),
    "t": re.compile(r"t:([a-z2-7]{10}):([1-9][0-9]{0,5})"),
    "s": re.compile(r"s:([a-z2-7]{10}):([1-9][0-9]{0,5})"),
    "r": re.compile(r"r:([0-9a-z]{1,8})"),
    "n": re.compile(r"n"),
}


def _base36(number: int) -> str:
    digits = ""
    while True:
        number, rest = divmod(number, 36)
        digits = _B36[rest] + digits
        if not number:
            return digits


def encode(action: Action) -> str:
    match action:
        case ShowLatest(page):
            payload = f"l:{page}"
        case ShowTag(key, page):
            payload = f"t:{key}:{page}"
        case ShowSearch(key, page):
            payload = f"s:{key}:{page}"
        case ReadPost(post_id):
            payload = f"r:{_base36(post_id)}"
        case Noop():
            payload = "n"
    assert len(payload.encode()) <= PAYLOAD_BYTES, payload
    return payload


def decode(payload: str) -> Action | None:
    if not payload or len(payload.encode("utf-8", "surrogatepass")) > PAYLOAD_BYTES:
        return None
    pattern = _PATTERNS.get(payload[0])
    match = pattern.fullmatch(payload) if pattern else None
    if match is None:
        return None
    kind = payload[0]
    if kind == "l":
        return _paged(ShowLatest(int(match.group(1))))
    if kind in "ts":
        page = int(match.group(2))
        found: Action = (ShowTag if kind == "t" else ShowSearch)(match.group(1), page)
        return _paged(found)
    if kind == "r":
        post_id = int(match.group(1), 36)
        return ReadPost(post_id) if 0 < post_id < MAX_POST_ID else None
    return Noop()


def _paged(action: Action) -> Action | None:
    page = getattr(action, "page", 1)
    return action if 1 <= page <= MAX_PAGE else None
