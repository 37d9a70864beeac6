"""What a button asks for, and its compact wire form (≤ 64 bytes on every platform).

Buttons carry their whole state, like discord.py's dynamic items, so they keep working after
a restart and on any replica: a card's "read" button names the post *and* the list its
"back" button returns to.  Whatever comes back is untrusted: `decode` accepts only the
exact shapes `encode` produces, with numbers in range, and returns None for anything else.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from dataclasses import dataclass
from typing import Literal

from herald.core.records import SendMode
from herald.limits import MAX_ARTICLE_PART, PAYLOAD_BYTES

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


# -- group E (issue 15): the article pager ----------------------------------------------


@dataclass(frozen=True, slots=True)
class ReadPart:
    """A pager's ‹ ›: that part of the post, edited into the pager message in place."""

    post_id: int
    part: int
    back: Feed | None = None


@dataclass(frozen=True, slots=True)
class ReadAll:
    """The pager's "send all": every part of the post as a message of its own."""

    post_id: int
    back: Feed | None = None


@dataclass(frozen=True, slots=True)
class ReadImages:
    """The pager's images button: the post's local images, sent as photos."""

    post_id: int


PagerAction = ReadPart | ReadAll | ReadImages

# -- group F (issue 15): /settings toggles ------------------------------------------------

OptionName = Literal["silent", "mode", "link_preview"]


@dataclass(frozen=True, slots=True)
class SetOption:
    """A /settings button: set one push option of the subscription *where it is pressed*.
    The chat and topic come from the platform's own record of that message, never from
    the payload, so a forged payload cannot reach another chat.  The value is absolute,
    not a flip, so a double tap changes nothing twice."""

    name: OptionName
    value: bool | SendMode


_OPTION_PAYLOADS: dict[tuple[OptionName, bool | SendMode], str] = {
    ("silent", True): "o:s1",
    ("silent", False): "o:s0",
    ("mode", "card"): "o:mc",
    ("mode", "article"): "o:ma",
    ("mode", "title"): "o:mt",
    ("link_preview", True): "o:p1",
    ("link_preview", False): "o:p0",
}
_OPTIONS_BY_PAYLOAD = {payload: SetOption(*key) for key, payload in _OPTION_PAYLOADS.items()}


Action = ShowLatest | ShowTag | ShowSearch | ReadPost | Noop | PagerAction | SetOption

_B36 = "0123456789abcdefghijklmnopqrstuvwxyz"
_PAGE = r"[1-9][0-9]{0,5}"
_FEED = rf"l:{_PAGE}|[ts]:[a-z2-7]{{10}}:{_PAGE}"
_FEED_PARTS = re.compile(rf"(l):({_PAGE})|([ts]):([a-z2-7]{{10}}):({_PAGE})")
_READ = re.compile(rf"r:([1-9a-z][0-9a-z]{{0,7}})(?::({_FEED}))?")


@functools.lru_cache(maxsize=4096)
def tag_ref(tag: str) -> str:
    """The tag's button key: a hash of its casefolded name, so no lookup table is written
    when a button is made; the store finds the tag again from it (`Posts.tag_for_ref`).
    Cached: a sync asks for the same few tags on every post.  Ten base32 characters are
    the digest's first 50 bits, so only its first 10 bytes are encoded."""
    digest = hashlib.sha256(tag.casefold().encode("utf-8")).digest()
    return base64.b32encode(digest[:10]).decode("ascii")[:10].lower()


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
        case SetOption(name, value):
            payload = _OPTION_PAYLOADS[(name, value)]
        case ReadPart() | ReadAll() | ReadImages():
            payload = _encode_pager(action)
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
    if payload.startswith("o:"):
        return _OPTIONS_BY_PAYLOAD.get(payload)
    if payload.startswith(("rp:", "ra:", "ri:")):
        return _decode_pager(payload)
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


# -- group E (issue 15): the pager's payloads -------------------------------------------
_PART = rf"[1-9][0-9]{{0,{len(str(MAX_ARTICLE_PART)) - 1}}}"
_PAGER = re.compile(
    rf"rp:([1-9a-z][0-9a-z]{{0,7}}):({_PART})(?::({_FEED}))?"
    rf"|ra:([1-9a-z][0-9a-z]{{0,7}})(?::({_FEED}))?"
    rf"|ri:([1-9a-z][0-9a-z]{{0,7}})"
)


def _encode_pager(action: PagerAction) -> str:
    def back(feed: Feed | None) -> str:
        return f":{_encode_feed(feed)}" if feed else ""

    match action:
        case ReadPart(post_id, part, feed):
            return f"rp:{_base36(post_id)}:{part}{back(feed)}"
        case ReadAll(post_id, feed):
            return f"ra:{_base36(post_id)}{back(feed)}"
        case ReadImages(post_id):
            return f"ri:{_base36(post_id)}"


def _decode_pager(payload: str) -> PagerAction | None:
    match = _PAGER.fullmatch(payload)
    if match is None:
        return None
    number = match.group(1) or match.group(4) or match.group(6)
    feed_text = match.group(3) or match.group(5)
    post_id = int(number, 36)
    feed = _decode_feed(feed_text) if feed_text else None
    if not 0 < post_id < MAX_POST_ID or (feed_text and feed is None):
        return None
    if match.group(1):
        part = int(match.group(2))
        return ReadPart(post_id, part, feed) if part <= MAX_ARTICLE_PART else None
    return ReadAll(post_id, feed) if match.group(4) else ReadImages(post_id)
