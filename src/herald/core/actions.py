"""What a button asks for, and its compact wire form (≤ 64 bytes on every platform).

Buttons carry their whole state, like discord.py's dynamic items, so they keep working after
a restart and on any replica: a card's "read" button names the post *and* the list its
"back" button returns to.  Whatever comes back is untrusted: `decode` accepts only the
exact shapes `encode` produces, with numbers in range, and returns None for anything else.
"""

from __future__ import annotations

import base64
import hashlib
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
    ref: str
    """`tag_ref` of the tag: fixed-length, whatever the tag's script or length."""
    page: int = 1


@dataclass(frozen=True, slots=True)
class ShowSearch:
    key: str
    """Saved-query key of the search (see `Posts.save_query`)."""
    page: int = 1


Feed = ShowLatest | ShowTag | ShowSearch


@dataclass(frozen=True, slots=True)
class ReadPost:
    post_id: int
    back: Feed | None = None
    """The list the article's "back" button returns to (None: the latest)."""


@dataclass(frozen=True, slots=True)
class Noop:
    """The "page i/n" indicator: pressing it does nothing but acknowledge."""


Action = ShowLatest | ShowTag | ShowSearch | ReadPost | Noop

_B36 = "0123456789abcdefghijklmnopqrstuvwxyz"
_PAGE = r"[1-9][0-9]{0,5}"
_FEED = rf"l:{_PAGE}|[ts]:[a-z2-7]{{10}}:{_PAGE}"
_FEED_PARTS = re.compile(rf"(l):({_PAGE})|([ts]):([a-z2-7]{{10}}):({_PAGE})")
_READ = re.compile(rf"r:([1-9a-z][0-9a-z]{{0,7}})(?::({_FEED}))?")


def tag_ref(tag: str) -> str:
    """The tag's button key: a hash of its casefolded name, so no lookup table is written
    when a button is made; the store finds the tag again from it (`Posts.tag_for_ref`)."""
    digest = hashlib.sha256(tag.casefold().encode("utf-8")).digest()
    return base64.b32encode(digest).decode("ascii")[:10].lower()


def _base36(number: int) -> str:
    digits = ""
    while True:
        number, rest = divmod(number, 36)
        digits = _B36[rest] + digits
        if not number:
            return digits


def _encode_feed(feed: Feed) -> str:
    match feed:
        case ShowLatest(page):
            return f"l:{page}"
        case ShowTag(ref, page):
            return f"t:{ref}:{page}"
        case ShowSearch(key, page):
            return f"s:{key}:{page}"


def encode(action: Action) -> str:
    match action:
        case ReadPost(post_id, back):
            payload = f"r:{_base36(post_id)}" + (f":{_encode_feed(back)}" if back else "")
        case Noop():
            payload = "n"
        case _:
            payload = _encode_feed(action)
    assert len(payload.encode()) <= PAYLOAD_BYTES, payload
    return payload


def _decode_feed(payload: str) -> Feed | None:
    match = _FEED_PARTS.fullmatch(payload)
    if match is None:
        return None
    if match.group(1):
        page = int(match.group(2))
        return ShowLatest(page) if page <= MAX_PAGE else None
    page = int(match.group(5))
    if page > MAX_PAGE:
        return None
    kind = ShowTag if match.group(3) == "t" else ShowSearch
    return kind(match.group(4), page)


def decode(payload: str) -> Action | None:
    if not payload or len(payload.encode("utf-8", "surrogatepass")) > PAYLOAD_BYTES:
        return None
    if payload == "n":
        return Noop()
    if payload.startswith("r:"):
        match = _READ.fullmatch(payload)
        if match is None:
            return None
        post_id = int(match.group(1), 36)
        back = _decode_feed(match.group(2)) if match.group(2) else None
        if not 0 < post_id < MAX_POST_ID or (match.group(2) and back is None):
            return None
        return ReadPost(post_id, back)
    return _decode_feed(payload)
