"""Result cards show where a search matched (issue 17): the snippet is an exact slice of
the post's text around its best hit, emphasised per platform and escaped losslessly."""

from __future__ import annotations

from dataclasses import replace

from fakes.telegram_rules import parse_html, utf16_length
from hypothesis import given
from hypothesis import strategies as st

from herald.content.searchable import searchable_text
from herald.core.actions import Noop, ReadPost, ShowLatest
from herald.core.search import Snippet, find_snippet
from herald.core.views import Button, Card, FeedPage
from herald.indexing.tokens import query_terms
from herald.limits import SEARCH_SNIPPET_CHARS, TELEGRAM_MESSAGE_CHARS
from herald.render.console_replies import feed_text
from herald.render.discord_replies import feed_message as discord_feed
from herald.render.search_snippets import snippet_html, snippet_markdown, snippet_plain
from herald.render.telegram_replies import feed_message, inline_articles

TRICKY = "用 <b>标签</b> & *星号* 和 _下划线_ 时，LoRA微调 仍然 `可见`。"


def snippet_of(text: str, query: str) -> Snippet:
    found = find_snippet(text, query_terms(query))
    assert found is not None
    return found


def hits(snippet: Snippet) -> list[str]:
    return [snippet.text[a:b] for a, b in snippet.hits]


def test_the_best_window_is_the_one_with_the_most_terms() -> None:
    text = "显存 " + "无关的话。" * 40 + "这里 LoRA微调 占用 GPU显存 很多。" + "后文。" * 40
    snippet = snippet_of(text, "LoRA微调 GPU显存")
    assert hits(snippet) == ["LoRA微调", "GPU显存"]
    assert snippet.cut_before and snippet.cut_after
    assert snippet.text in text


def test_a_cut_never_splits_a_word() -> None:
    text = "word " * 30 + "gradient checkpointing trades compute for memory " + "tail " * 60
    snippet = snippet_of(text, "checkpointing")
    start = text.index(snippet.text)
    end = start + len(snippet.text)
    assert text[start - 1] == " " and not text[end].isalpha()
    assert len(snippet.text) <= SEARCH_SNIPPET_CHARS + len("tail")


def test_nothing_found_in_the_text_gives_no_snippet() -> None:
    assert find_snippet("只在标题里", query_terms("LoRA")) is None


@given(
    st.text(alphabet=st.sampled_from("ab 微调显存<&*_`\\#>-。\n"), max_size=300),
    st.sampled_from(["微调", "ab", "显存", "a"]),
)
def test_snippets_are_exact_slices_whose_hits_spell_the_term(text: str, query: str) -> None:
    snippet = find_snippet(text, query_terms(query))
    if snippet is None:
        return
    assert snippet.text in text
    assert "".join(piece for piece, _ in snippet.pieces()) == snippet.text
    for hit in hits(snippet):
        assert hit.casefold().startswith(query)


def test_telegram_html_is_valid_bold_on_the_hit_and_loses_nothing() -> None:
    snippet = snippet_of(TRICKY, "LoRA微调")
    html = snippet_html(snippet)
    assert "<b>LoRA微调</b>" in html
    assert parse_html(html) == TRICKY  # the fake Bot API's parser: every character kept


def test_discord_markdown_bolds_the_hit_and_escapes_the_rest() -> None:
    markdown = snippet_markdown(snippet_of(TRICKY, "LoRA微调"))
    assert "**LoRA微调**" in markdown
    assert "\\*星号\\*" in markdown and "\\_下划线\\_" in markdown and "\\`可见\\`" in markdown


def test_console_marks_the_hit() -> None:
    snippet = snippet_of("我们用LoRA微调模型", "lora微调")
    assert snippet_plain(snippet) == "我们用LoRA微调模型"
    assert "«LoRA微调»" in feed_text(page_of(snippet, cards=1))


def card(number: int, snippet: Snippet | None) -> Card:
    return Card(
        number=number,
        post_id=number,
        slug=f"s{number}",
        link_key=f"s{number}",
        title=f"标题 {number}",
        excerpt="开头的摘要。",
        date_text="2025-01-01",
        tags=("LLM",),
        read=Button(f"Read {number}", ReadPost(number)),
        snippet=snippet,
    )


def page_of(snippet: Snippet | None, cards: int = 12) -> FeedPage:
    return FeedPage(
        heading="SEARCH · LoRA微调",
        cards=tuple(card(i, snippet) for i in range(1, cards + 1)),
        page=1,
        pages=1,
        total=cards,
        page_label="page 1/1",
        navigation=(Button("1/1", Noop()),),
        current=ShowLatest(1),
        lang="en",
    )


def test_a_full_telegram_page_of_long_snippets_fits_with_every_hit_bold() -> None:
    long = "<&>" * 200 + " LoRA微调 " + "长文本<>&" * 300
    snippet = snippet_of(long, "LoRA微调")
    snippet = replace(snippet, text=snippet.text + "尾" * 900)  # longer than any window
    message = feed_message(page_of(snippet))
    visible = parse_html(message.text)
    assert utf16_length(visible) <= TELEGRAM_MESSAGE_CHARS
    assert message.text.count("<b>LoRA微调</b>") == 12


def test_a_card_without_a_snippet_shows_its_excerpt() -> None:
    message = feed_message(page_of(None, cards=2))
    assert parse_html(message.text).count("开头的摘要。") == 2


def test_discord_cards_show_the_snippet_within_embed_limits() -> None:
    message = discord_feed(page_of(snippet_of(TRICKY, "LoRA微调"), cards=10))
    assert all("**LoRA微调**" in embed.description for embed in message.embeds)
    assert sum(map(len, message.embeds)) <= 6000


def test_inline_results_carry_the_snippet() -> None:
    [result] = inline_articles(
        page_of(snippet_of(TRICKY, "LoRA微调"), cards=1), lang="en", bot_username=None, limit=5
    )
    assert "<b>LoRA微调</b>" in result.message.text and parse_html(result.message.text)
    assert result.description == TRICKY  # descriptions are plain text: shown as written


def test_a_snippet_shows_code_as_written_and_prose_without_its_marks() -> None:
    """The text snippets are cut from keeps every character a reader sees: `*`, `_`,
    `[` and `#` inside code stay, Markdown's own marks (emphasis, headings, quote
    markers, fences, backticks) go."""
    body = (
        "## 梯度检查点\n\n> 引用里的 **LoRA微调** 说明\n\n"
        "```python\nx = a*b + c_d[0]  # gradient note\n```\n\n调用 `__init__` 和 `y[i]*2`。\n"
    )
    text = searchable_text(body)
    assert "##" not in text and ">" not in text and "**" not in text and "`" not in text
    snippet = snippet_of(text, "gradient")
    assert "x = a*b + c_d[0] # gradient note" in snippet.text
    assert "__init__" in snippet_of(text, "init").text
    assert "y[i]*2" in text
