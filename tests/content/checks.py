"""Independent checkers for rendered output, written from the platforms' rules, not our code."""

from __future__ import annotations

import html
from html.parser import HTMLParser

TELEGRAM_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "blockquote",
    "span",
    "tg-spoiler",
}


class _TelegramChecker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag in TELEGRAM_TAGS, f"tag <{tag}> is not allowed"
        if tag == "code" and attrs:
            assert self.stack[-1:] == ["pre"], "a code class is only allowed inside <pre>"
        if tag == "pre":
            assert "pre" not in self.stack
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack}"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        assert "<" not in data and ">" not in data
        self.text.append(data)

    def handle_entityref(self, name: str) -> None:
        assert name in {"lt", "gt", "amp", "quot"}, f"&{name}; is not allowed"
        self.text.append(html.unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self.text.append(html.unescape(f"&#{name};"))


def telegram_visible_text(message: str) -> str:
    """Parse like the Bot API: allowed tags only, balanced; returns the text a user sees."""
    checker = _TelegramChecker()
    checker.feed(message)
    checker.close()
    assert not checker.stack, f"unclosed tags {checker.stack}"
    return "".join(checker.text)


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def fences_balanced(message: str) -> bool:
    return message.count("```") % 2 == 0
