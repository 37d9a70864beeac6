"""The index's words, read from the Markdown source: every word a reader sees, nothing hidden."""

from __future__ import annotations

from pathlib import Path

import pytest
import regex
from bench.corpus import post_text
from hypothesis import HealthCheck, given, settings

from herald.content.loader import discover, read_post
from herald.content.markdown import parse_markdown
from herald.content.post import LoadError, Post
from herald.content.searchable import searchable_text
from herald.indexing.tokens import index_text
from herald.render import search_text
from tests.conftest import ICLR_POSTS
from tests.content.fragments import any_markdown

REPO = Path(__file__).resolve().parents[2]
_WORD = regex.compile(r"[\p{L}\p{N}\p{M}]+")
_CJK_RUN = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]+")
_MARKUP = regex.compile(r"<!--.*?-->|<[^<>]*>|\]\([^)]*\)", regex.S)


def words(text: str) -> set[str]:
    """The terms FTS5 stores for `text` (bigrams for CJK, casefolded words otherwise)."""
    return {word.casefold() for word in _WORD.findall(index_text(text))}


def unfound(body: str) -> tuple[set[str], set[str]]:
    """Words and CJK runs of the rendered text that searching the source text would miss."""
    shown = search_text(parse_markdown(body))
    indexed = searchable_text(body)
    runs = " ".join(_CJK_RUN.findall(indexed))
    return words(shown) - words(indexed), {r for r in _CJK_RUN.findall(shown) if r not in runs}


def posts_in(root: Path) -> list[Post]:
    loaded = [read_post(root, root / path) for path in discover(root)]
    return [post for post in loaded if not isinstance(post, LoadError)]


def test_markup_between_chinese_characters_leaves_no_gap() -> None:
    text = searchable_text(
        "使用**梯度**检查，见[显存](https://x.org/a_(b))优化与`torch`训练<b>注意</b>力"
    )
    assert "使用梯度检查" in text
    assert "见显存优化与" in text
    assert "torch" in text
    assert "训练注意力" in text


def test_what_readers_never_see_is_not_indexed() -> None:
    text = searchable_text(
        'See [the paper](https://arxiv.org/abs/2205.14135 "title") and ![a cat](cat.png)'
        "[^1].\n\n[ref]: https://example.com/hidden\n\n"
        '<div class="l-page"><!-- draft note -->Shown</div>\n\n'
        "<script>var secret = 1;</script>\n\n"
        '{% include figure.html path="fig.png" %}\n\n'
        '<d-cite key="smith2020"></d-cite>\n\n[^1]: A footnote.\n'
    )
    found = words(text)
    assert {"see", "the", "paper", "and", "a", "cat", "shown", "footnote"} <= found
    assert not {"arxiv", "2205", "png", "example", "hidden", "div", "class", "draft"} & found
    assert not {"secret", "var", "include", "smith2020", "key"} & found


def test_code_math_and_escapes_are_indexed_as_written() -> None:
    text = searchable_text(
        "行内 $\\theta_t$ 与 `zero_grad()`，\\*转义\\*，A&amp;B\n\n"
        "```python\nloss.backward()\n```\n\n$$\\mathcal{L}$$\n"
    )
    assert {"theta_t", "zero_grad", "loss", "backward", "mathcal", "转义", "a", "b"} <= {
        word.casefold() for word in regex.findall(r"[\w]+", text)
    }


def test_an_unclosed_silent_element_hides_only_its_tag() -> None:
    found = words('Before <d-cite key="k"/> middle words\n\nafter </d-cite> end')
    assert {"before", "middle", "words", "after", "end"} <= found


def test_every_word_of_the_bundled_content_and_the_benchmark_corpus_is_found() -> None:
    posts = posts_in(REPO / "content")
    assert len(posts) >= 16
    bodies = [post.body for post in posts] + [post_text(i, seed=3)[1] for i in range(300)]
    for body in bodies:
        assert unfound(body) == (set(), set())


@given(any_markdown)
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_every_cjk_run_a_reader_sees_stays_searchable(markdown: str) -> None:
    assert unfound(markdown)[1] == set()


@pytest.mark.skipif(not ICLR_POSTS.is_dir(), reason="../shared/corpora is not beside the repo")
def test_the_reference_corpus_loses_no_visible_word() -> None:
    """Two differences are allowed, both seen in these 48 posts: words that show only
    because the renderer prints raw markup as text (a `<div>` in an indented block, a link
    inside an HTML block), and words the renderer glues across markup
    (`c<sub>atom</sub>` reads `catom`), which the source keeps apart: found as words."""
    for post in posts_in(ICLR_POSTS):
        missing, runs = unfound(post.body)
        assert runs == set(), post.path
        indexed = [w.casefold() for w in _WORD.findall(index_text(searchable_text(post.body)))]
        joined = {"".join(indexed[i : i + n]) for n in (2, 3, 4) for i in range(len(indexed))}
        markup = " ".join(_MARKUP.findall(post.body))
        shown_markup = words(markup)
        assert missing - shown_markup <= joined, post.path


def test_a_distill_footnote_between_cjk_runs_leaves_them_joined() -> None:
    # Found by hypothesis: the rendered text reads the aside at the end, so the runs around
    # it join; the index must join them too, and still find the aside.
    markdown = "长" * 20 + "<d-footnote>aside</d-footnote>梯度检查点用计算换显存。"
    assert unfound(markdown) == (set(), set())
    assert "aside" in searchable_text(markdown)


def test_html_in_inline_math_over_a_line_break_stays_as_written() -> None:
    # Found by hypothesis: markdown-it's `$…$` goes on over a line break in a paragraph,
    # so the iframe is math a reader sees as written, not a player to be labelled.
    markdown = (
        '$看<iframe src="https://www.youtube.com/embed/abc_d">无法播放</iframe>视频\n$\\theta_t$'
    )
    assert unfound(markdown) == (set(), set())


def test_a_line_opening_and_closing_with_double_dollars_is_one_math_block() -> None:
    # Found by hypothesis: markdown-it reads the whole line as one math block, the `$$`
    # between included, so the iframe in it is math as written.
    markdown = '$$x$$看<iframe src="https://www.youtube.com/embed/abc_d">无法播放</iframe>视频$$y$$'
    assert unfound(markdown) == (set(), set())


def test_a_line_that_only_looks_like_a_fence_keeps_its_text() -> None:
    """`` ```*`中 `` is no fence (its info string has a backtick): 中 is text a reader sees."""
    assert unfound("```*`中") == (set(), set())
    assert "中文" in searchable_text("```*`中文")
