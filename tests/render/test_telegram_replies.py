"""Telegram formatting rules that the end-to-end tests cannot reach with the bundled posts."""

from __future__ import annotations

from fakes.telegram_rules import parse_html, utf16_length

from herald.core.actions import Noop, ReadPost, ShowLatest
from herald.core.views import Button, Card, FeedPage
from herald.render.telegram_replies import feed_message, visible_length


def page_of(excerpt: str, cards: int = 10) -> FeedPage:
    return FeedPage(
        heading="LATEST UPDATES",
        cards=tuple(
            Card(
                number=i,
                post_id=i,
                slug=f"s{i}",
                link_key=f"s{i}",
                title=f"标题 <{i}> & co",
                excerpt=excerpt,
                date_text="2025-01-01",
                tags=("LLM", "训练"),
                read=Button(f"Read {i}", ReadPost(i)),
            )
            for i in range(1, cards + 1)
        ),
        page=1,
        pages=2,
        total=20,
        page_label="page 1/2",
        navigation=(Button("1/2", Noop()), Button("Next ›", ShowLatest(2))),
        current=ShowLatest(1),
        lang="en",
    )


def test_a_page_too_long_for_one_message_shrinks_its_excerpts() -> None:
    message = feed_message(page_of("长文本 " * 400))  # 10 cards × 2,000 characters
    visible = parse_html(message.text)  # the fake's Bot API parser: valid entities, or it raises
    assert utf16_length(visible) <= 4096
    assert visible.count("...") == 10  # every card kept, each cut shorter
    assert "标题 <3> & co" in visible
    assert len(message.keyboard) == 3  # 5 + 5 reads, navigation


def test_a_page_that_fits_is_left_alone() -> None:
    text = feed_message(page_of("short excerpt", cards=3)).text
    assert "..." not in parse_html(text) and visible_length(text) < 400
