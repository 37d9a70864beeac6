"""The Bot API's own rules, re-implemented from its documentation for the fake server.

Deliberately separate from Herald's renderers: the fake must reject what Telegram rejects,
whatever our code believes.
"""

from __future__ import annotations

import html
from collections import defaultdict, deque
from html.parser import HTMLParser

ALLOWED = {
    "b": set(),
    "strong": set(),
    "i": set(),
    "em": set(),
    "u": set(),
    "ins": set(),
    "s": set(),
    "strike": set(),
    "del": set(),
    "span": {"class"},
    "tg-spoiler": set(),
    "a": {"href"},
    "code": {"class"},
    "pre": set(),
    "blockquote": {"expandable"},
    "tg-emoji": {"emoji-id"},
}
ENTITIES = {"lt", "gt", "amp", "quot"}
MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_BYTES = 64


class EntityError(ValueError):
    """Becomes `Bad Request: can't parse entities: <message>`."""


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class _Parser(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.stack: list[str] = []
        self.text: list[str] = []

    def _offset(self) -> int:
        line, column = self.getpos()
        lines = self.source.split("\n")
        prefix = "\n".join(lines[: line - 1]) + ("\n" if line > 1 else "")
        return len((prefix + lines[line - 1][:column]).encode())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED:
            raise EntityError(f'Unsupported start tag "{tag}" at byte offset {self._offset()}')
        for name, _ in attrs:
            if name not in ALLOWED[tag]:
                raise EntityError(f'Unsupported attribute "{name}" of tag "{tag}"')
        if tag == "span" and dict(attrs).get("class") != "tg-spoiler":
            raise EntityError('Tag "span" must have class "tg-spoiler"')
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if not href.startswith(("http://", "https://", "tg://", "mailto:")):
                raise EntityError(f'Wrong HTTP URL specified "{href}"')
        if tag == "code" and dict(attrs).get("class") and self.stack[-1:] != ["pre"]:
            raise EntityError("Code language can be specified only inside a pre tag")
        self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raise EntityError(f'Unsupported start tag "{tag}/" at byte offset {self._offset()}')

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            expected = self.stack[-1] if self.stack else None
            if expected is None:
                raise EntityError(f"Unexpected end tag at byte offset {self._offset()}")
            raise EntityError(f'Can\'t find end tag corresponding to start tag "{expected}"')
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        for character in "<>&":
            if character in data:
                raise EntityError(
                    f'Unexpected "{character}" at byte offset {self._offset()}; '
                    "escape it as an entity"
                )
        self.text.append(data)

    def handle_entityref(self, name: str) -> None:
        if name not in ENTITIES:
            raise EntityError(f'Unsupported HTML entity "&{name};" at byte offset {self._offset()}')
        self.text.append(html.unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self.text.append(html.unescape(f"&#{name};"))

    def handle_comment(self, data: str) -> None:
        raise EntityError(f'Unsupported start tag "!--" at byte offset {self._offset()}')


def parse_html(source: str) -> str:
    """The text a user sees after entity parsing, or EntityError as the Bot API reports it."""
    parser = _Parser(source)
    parser.feed(source)
    parser.close()
    if parser.rawdata:
        raise EntityError(f"Unclosed start tag at byte offset {len(source.encode())}")
    if parser.stack:
        raise EntityError(f'Can\'t find end tag corresponding to start tag "{parser.stack[-1]}"')
    return "".join(parser.text)


def check_keyboard(markup: object, *, private: bool = False) -> str | None:
    """A Bot API error description for an invalid inline keyboard, else None.  `private`:
    it goes to a private chat, the only kind where `web_app` buttons are allowed."""
    if markup is None:
        return None
    if not isinstance(markup, dict) or not isinstance(markup.get("inline_keyboard"), list):
        return "Bad Request: can't parse reply keyboard markup JSON object"
    for row in markup["inline_keyboard"]:
        for button in row:
            if not isinstance(button, dict) or not button.get("text"):
                return "Bad Request: BUTTON_TEXT_INVALID"
            kinds = [
                k
                for k in (
                    "url",
                    "callback_data",
                    "switch_inline_query",
                    "switch_inline_query_current_chat",
                    "login_url",
                    "pay",
                    "web_app",
                )
                if k in button
            ]
            if len(kinds) != 1:
                return 'Bad Request: can\'t find field "callback_data" or "url"'
            if "callback_data" in button:
                size = len(str(button["callback_data"]).encode())
                if size == 0 or size > CALLBACK_DATA_BYTES:
                    return "Bad Request: BUTTON_DATA_INVALID"
            if "url" in button and not str(button["url"]).startswith(
                ("http://", "https://", "tg://")
            ):
                return "Bad Request: BUTTON_URL_INVALID"
            if "web_app" in button:
                if not private:
                    return "Bad Request: BUTTON_TYPE_INVALID"
                if not str(button["web_app"].get("url", "")).startswith("https://"):
                    return "Bad Request: BUTTON_URL_INVALID"
    return None


class FloodControl:
    """Telegram's flood limits as its Bot FAQ describes them, counted at receipt.

    Overall, at most `per_second` messages in any one-second window.  Per chat, a bucket of
    `chat_burst` messages ("short bursts that go over this limit"), refilled at one a
    second in private chats and `group_per_minute` a minute in groups; groups also never
    get more than `group_per_minute` messages in any minute.
    """

    def __init__(
        self, *, per_second: int = 30, chat_burst: int = 4, group_per_minute: int = 20
    ) -> None:
        self.per_second = per_second
        self.chat_burst = chat_burst
        self.group_per_minute = group_per_minute
        self._last_second: deque[float] = deque()
        self._buckets: dict[int, tuple[float, float]] = {}
        """chat → (tokens, when they were counted)"""
        self._last_minute: dict[int, deque[float]] = defaultdict(deque)

    def _refill(self, chat_id: int) -> float:
        return self.group_per_minute / 60 if chat_id < 0 else 1.0

    def wait(self, chat_id: int, now: float) -> float:
        """Seconds until a message to this chat would be accepted (0: now)."""
        second, waits = self._last_second, [0.0]
        while second and now - second[0] >= 1.0:
            second.popleft()
        if len(second) >= self.per_second:
            waits.append(second[0] + 1.0 - now)
        tokens = self._tokens(chat_id, now)
        if tokens < 1:
            waits.append((1 - tokens) / self._refill(chat_id))
        if chat_id < 0:
            minute = self._last_minute[chat_id]
            while minute and now - minute[0] >= 60.0:
                minute.popleft()
            if len(minute) >= self.group_per_minute:
                waits.append(minute[0] + 60.0 - now)
        return max(waits)

    def count(self, chat_id: int, now: float) -> None:
        """The message was accepted: it uses the window and a token of the chat's bucket."""
        self._last_second.append(now)
        self._buckets[chat_id] = (self._tokens(chat_id, now) - 1, now)
        if chat_id < 0:
            self._last_minute[chat_id].append(now)

    def _tokens(self, chat_id: int, now: float) -> float:
        tokens, counted = self._buckets.get(chat_id, (float(self.chat_burst), now))
        return min(float(self.chat_burst), tokens + (now - counted) * self._refill(chat_id))
