"""Splitting to platform limits: every chunk fits, stands alone, and nothing is lost."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from herald.content.markdown import parse_markdown
from herald.render import (
    discord_messages,
    excerpt,
    first_heading,
    images,
    plain_text,
    search_text,
    telegram_messages,
)
from herald.render.split import Run, cut_point, serialize, split_markdown, split_runs
from herald.render.telegram_html import BOLD
from tests.content.fragments import any_markdown
from tests.render.test_discord_md import fences_closed
from tests.render.test_telegram_html import telegram_visible_text, utf16

CORPUS = (
    Path(__file__).parents[2] / ".." / "shared" / "corpora" / "iclr-blogposts-2025" / "posts"
).resolve()
FAMILY = "👨\u200d👩\u200d👧\u200d👦"
_SPACE = re.compile(r"\s+")
_ADDED_FENCES = re.compile(r"^(?:> ?)*`{3,}\S*$", re.M)


def squash(text: str) -> str:
    return _SPACE.sub("", text)


def without_fences(text: str) -> str:
    """Discord text minus whitespace and fence lines (a split adds fences, nothing else)."""
    return squash(_ADDED_FENCES.sub("", text))


# -- the pieces ------------------------------------------------------------------------


def test_cut_point_prefers_lines_then_spaces_then_graphemes() -> None:
    assert cut_point("aaaa\nbbbb cccc", 12) == 10  # the space at 10 beats the line at 5
    assert cut_point("aaaaaaa\nbb cc", 10) == 8
    assert cut_point("abcdefghij", 4) == 4
    assert cut_point(f"ab{FAMILY}cd", 5) == 2  # the family is 7 code points: not split
    assert cut_point("short", 10) == 5


def test_serialize_closes_and_reopens_minimally() -> None:
    runs = [Run("a", (("b", ""),)), Run("b", (("b", ""), ("i", ""))), Run("<c>", ())]
    assert serialize(runs) == "<b>a<i>b</i></b>&lt;c&gt;"


def test_split_runs_prefers_block_boundaries() -> None:
    blocks = [[Run("a" * 6)], [Run("b" * 6)], [Run("c" * 2)]]
    chunks = split_runs(blocks, limit=10)
    assert [serialize(chunk) for chunk in chunks] == ["a" * 6, "b" * 6 + "\n\n" + "cc"]


def test_split_runs_counts_utf16_units() -> None:
    chunks = split_runs([[Run("😀" * 10)]], limit=5)
    assert [serialize(chunk) for chunk in chunks] == ["😀😀", "😀😀", "😀😀", "😀😀", "😀😀"]


def test_a_cut_code_block_reopens_with_its_class_in_telegram() -> None:
    code = "\n".join(f"value_{i} = compute({i})  # 注释 😀" for i in range(500))
    messages = telegram_messages(
        parse_markdown(f"Intro.\n\n```python\n{code}\n```\n"), header=[Run("Title", (BOLD,))]
    )
    assert len(messages) > 5 and messages[0].startswith("<b>Title</b>\n\nIntro.")
    for message in messages:
        assert utf16(telegram_visible_text(message)) <= 4096
    for message in messages[1:]:
        assert message.startswith('<pre><code class="language-python">value_')
        assert message.endswith("</code></pre>")
    joined = "".join(telegram_visible_text(m) for m in messages)
    assert joined.count("😀") == 500 and joined.count("value_") == 500


def test_a_cut_code_fence_reopens_with_its_language_in_discord() -> None:
    code = "\n".join(f"line {i} {'x' * 40}" for i in range(200))
    messages = discord_messages(parse_markdown(f"```python\n{code}\n```\n"), header="# T")
    assert len(messages) > 3
    for message in messages:
        assert len(message) <= 2000 and fences_closed(message)
    assert all(m.startswith("```python\nline ") for m in messages[1:])
    assert "".join(messages).count("line ") == 200


def test_discord_split_of_a_quoted_fence_keeps_the_quote_prefix() -> None:
    quoted = "\n".join(f"> row {i} {'y' * 30}" for i in range(80))
    messages = split_markdown([f"> ```py\n{quoted}\n> ```"], limit=500)
    assert len(messages) > 2 and all(len(m) <= 500 and fences_closed(m) for m in messages)
    assert all(m.startswith("> ```py\n") for m in messages[1:])


def test_long_prose_splits_at_words_and_lines() -> None:
    messages = telegram_messages(parse_markdown(("word " * 50 + "\n") * 40), limit=300)
    for message in messages:
        visible = telegram_visible_text(message)
        assert utf16(visible) <= 300 and not visible.startswith(("ord", "rd", "d "))


# -- properties ------------------------------------------------------------------------


def assert_starts_on_a_grapheme(chunk: str, whole: str) -> None:
    """A chunk may start with a combining mark or joiner only where the source did (at the
    start of a line or after a space), never because a cut split a grapheme."""
    if regex.match(r"\p{M}|\u200d", chunk):
        assert regex.search(r"(?:^|\s)" + regex.escape(chunk[0]), whole), repr(chunk[:10])


PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(any_markdown, st.integers(min_value=40, max_value=4096))
def test_telegram_chunks_are_valid_within_limits_and_lose_nothing(
    markdown: str, limit: int
) -> None:
    document = parse_markdown(markdown)
    messages = telegram_messages(document, header=[Run("T", (BOLD,))], limit=limit)
    visible = [telegram_visible_text(m) for m in messages]
    assert all(utf16(text) <= limit for text in visible)
    assert all(text.strip() for text in visible)
    [whole] = telegram_messages(document, header=[Run("T", (BOLD,))], limit=10**9)
    whole_text = telegram_visible_text(whole)
    for text in visible:
        assert_starts_on_a_grapheme(text, whole_text)
    assert squash("".join(visible)) == squash(whole_text)


@PROPERTY
@given(any_markdown, st.integers(min_value=100, max_value=2000))
def test_discord_chunks_fit_keep_fences_closed_and_lose_nothing(markdown: str, limit: int) -> None:
    document = parse_markdown(markdown)
    messages = discord_messages(document, header="# T", limit=limit)
    assert all(len(m) <= limit and fences_closed(m) for m in messages)
    [whole] = discord_messages(document, header="# T", limit=10**9)
    for message in messages:
        assert_starts_on_a_grapheme(message, whole)
    assert without_fences("\n".join(messages)) == without_fences(whole)


@PROPERTY
@given(any_markdown)
def test_every_view_accepts_any_document(markdown: str) -> None:
    document = parse_markdown(markdown)
    assert "\n" not in search_text(document)
    plain_text(document, width=40)
    first_heading(document)
    assert all(image.src for image in images(document))


# -- the real-world corpus --------------------------------------------------------------


def _corpus() -> list[Path]:
    return sorted(CORPUS.glob("*.md")) if CORPUS.is_dir() else []


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus not found at {CORPUS}")
@pytest.mark.parametrize("path", _corpus(), ids=lambda p: p.stem[11:40])
def test_every_real_post_renders_within_every_limit(path: Path) -> None:
    body = path.read_text(encoding="utf-8").split("---", 2)[2]
    document = parse_markdown(body)
    card = excerpt(document, lang="en")
    assert 0 < len(regex.findall(r"\X", card.removesuffix("..."))) <= 350
    for leak in ("{%", "{{", "<d-", "</", "<script", "<div", "&nbsp;", "&amp;"):
        assert leak not in card
    for message in telegram_messages(document, header=[Run("T", (BOLD,))]):
        assert utf16(telegram_visible_text(message)) <= 4096
    for message in discord_messages(document, header="# T"):
        assert len(message) <= 2000 and fences_closed(message)
    assert plain_text(document, width=80) and search_text(document)
