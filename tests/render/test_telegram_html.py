"""Telegram HTML: only what the Bot API accepts, nested only as it allows."""

from __future__ import annotations

import html
from html.parser import HTMLParser

from fakes.telegram_rules import ALLOWED, ENTITIES, parse_html

from herald.content.markdown import parse_markdown
from herald.render import telegram_messages
from herald.render.split import Run
from herald.render.telegram_html import BOLD, ITALIC


class _Checker(HTMLParser):
    """The Bot API's formatting rules, not the renderer's code: the fake server's tag table
    plus the nesting rules (code and pre hold nothing and sit in no formatting or link,
    blockquotes never nest or hold a pre, links never nest)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag in ALLOWED, f"<{tag}> is not a Telegram tag"
        values = dict(attrs)
        assert set(values) <= ALLOWED[tag], f"<{tag}> cannot carry {set(values)}"
        inside_pre = tag == "code" and self.stack[-1:] == ["pre"]
        assert inside_pre or not {"code", "pre"} & set(self.stack), f"<{tag}> in {self.stack}"
        if tag == "a":
            href = values.get("href") or ""
            assert href.startswith(("http://", "https://", "tg://", "mailto:")), href
            assert "a" not in self.stack, "links cannot nest"
        if tag == "code" and "class" in values:
            assert self.stack[-1:] == ["pre"], "a code language only inside <pre>"
            assert (values["class"] or "").startswith("language-")
        if tag in ("code", "pre"):
            outer = set(self.stack) - ({"blockquote"} if tag == "code" else set())
            assert not outer - ({"pre"} if tag == "code" else set()), f"<{tag}> in {self.stack}"
        if tag == "blockquote":
            assert not self.stack, f"<blockquote> inside {self.stack}"
        self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raise AssertionError(f"self-closing <{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack}"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_entityref(self, name: str) -> None:
        assert name in ENTITIES, f"&{name}; is not a Telegram entity"
        self.text.append(html.unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self.text.append(html.unescape(f"&#{name};"))

    def handle_comment(self, data: str) -> None:
        raise AssertionError("comments are not allowed")


def telegram_visible_text(message: str) -> str:
    """Parse like the Bot API: allowed tags only, balanced; returns the text a user sees."""
    checker = _Checker()
    checker.feed(message)
    checker.close()
    assert not checker.rawdata, f"unfinished markup: {checker.rawdata!r}"
    assert not checker.stack, f"unclosed tags {checker.stack}"
    text = "".join(checker.text)
    assert parse_html(message) == text  # and the fake Bot API reads it the same way
    return text


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def one(markdown: str, **kwargs: str) -> str:
    messages = telegram_messages(parse_markdown(markdown), **kwargs)  # type: ignore[arg-type]
    assert len(messages) == 1
    telegram_visible_text(messages[0])
    return messages[0]


def test_formatting_maps_to_telegram_tags_and_only_three_characters_are_escaped() -> None:
    message = one("## H\n\n**b** *i* ~~s~~ `c<d>` a<b & \"q\" 'x'\n")
    assert message == (
        "<b>H</b>\n\n<b>b</b> <i>i</i> <s>s</s> <code>c&lt;d&gt;</code> a&lt;b &amp; \"q\" 'x'"
    )


def test_links_only_for_schemes_telegram_accepts() -> None:
    message = one(
        "[l](https://x.org/?a=1&b=2) [m](mailto:a@b.c) [rel](./x.md) [js](javascript:alert(1))\n"
    )
    assert '<a href="https://x.org/?a=1&amp;b=2">l</a>' in message
    assert '<a href="mailto:a@b.c">m</a>' in message
    assert "rel" in message and "./x.md" not in message and 'href="javascript' not in message


def test_code_block_keeps_its_language_class() -> None:
    message = one("```python\nif a < b:\n    pass\n```\n")
    assert message == '<pre><code class="language-python">if a &lt; b:\n    pass</code></pre>'
    assert one("```\nplain\n```\n") == "<pre>plain</pre>"


def test_code_never_sits_inside_formatting_or_links() -> None:
    message = one("**bold `code` bold** [`linked code`](https://x.org) *$x^2$*\n")
    assert message == (
        '<b>bold </b><code>code</code><b> bold</b> <a href="https://x.org">linked code</a> '
        "<code>x²</code>"
    )


def test_quotes_never_nest_and_never_hold_a_pre() -> None:
    message = one("> outer\n> > inner\n>\n> ```py\n> x = 1\n> ```\n> after\n")
    assert message.count("<blockquote>") == 2  # closed around the code, re-opened after
    assert '</blockquote><pre><code class="language-py">x = 1</code></pre><blockquote>' in message
    assert "inner" in telegram_visible_text(message)


def test_lists_tables_math_images_rules() -> None:
    message = one(
        "1. 一\n2. 二\n   - 嵌套\n\n| 名称 | n |\n|---|---|\n| 梯度 | 10 |\n\n"
        "$$\n\\sum_i x_i\n$$\n\n![架构](img/a.png) ![远程](https://x.org/a.png)\n\n---\n"
    )
    visible = telegram_visible_text(message)
    assert "1. 一\n2. 二\n  • 嵌套" in visible
    assert "<pre>名称 | n\n-----+---\n梯度 | 10</pre>" in message  # CJK counts double width
    assert "<pre>\\sum_i x_i</pre>" in message
    assert '🖼 架构 <a href="https://x.org/a.png">🖼 远程</a>' in message
    assert visible.endswith("———")


def test_footnotes_come_last_numbered() -> None:
    visible = telegram_visible_text(one("A[^n] B<d-footnote>aside</d-footnote>.\n\n[^n]: note\n"))
    assert visible == "A[1] B[2].\n\n[1] note\n[2] aside"


def test_header_starts_the_first_message() -> None:
    header = [Run("Title & more", (BOLD,)), Run("\n"), Run("2025-01-01", (ITALIC,))]
    message = one("body\n", header=header)
    assert message == "<b>Title &amp; more</b>\n<i>2025-01-01</i>\n\nbody"


def test_an_empty_document_still_yields_one_message() -> None:
    assert telegram_messages(parse_markdown("")) == ["…"]
    assert telegram_messages(parse_markdown(""), header=[Run("T", (BOLD,))]) == ["<b>T</b>"]
