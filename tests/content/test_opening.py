"""A card made from a post's opening is the card of the whole post.

`herald.content.opening` says where a body may be cut so that the opening's parse reads
its blocks as the whole body's parse does; the card (`herald.render.card_text`) is then
made from that parse when it read enough.  Both are checked here on generated Markdown
(the content tests' fragments and soups, the front-end comparison's math and site
pieces, and blocks put together around blank lines) and on every corpus file, with small
card limits too, so the cut lands early and often.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from herald.content.document import Footnotes
from herald.content.lead import lead
from herald.content.markdown import parse_markdown, parse_prepared
from herald.content.opening import cuts
from herald.content.prepass import prepared
from herald.render import card_text
from herald.render.excerpt import ELLIPSIS
from tests.content.fragments import markdown_documents, markup_soup
from tests.content.test_front_ends_agree import _FILES, corpus_body, math_soup, site_soup

excerpt_module = importlib.import_module("herald.render.excerpt")

_BLOCKS = [
    "梯度检查点用计算换显存，" * 3, "Plain prose with *emphasis* and `code`.", "# 标题",
    "- a\n- b", "- a\n\n- b", "1. one\n\n   continued", "1. one\n2. two",
    "    indented code", "```\ncode\n\nmore\n```", "```py\n````\n```", "~~~\n```\n\n~~~",
    "  ```\n  x\n\n  ```", "    ```\n\n```", "> quote\n> more", "> a\n\n> b",
    "<div>\n\ninside\n\n</div>", "<div class=\"x\">\n  <div>\n\ntext\n\n  </div>\n</div>",
    "<!-- a\n\nb -->", "<!--\n\n-->", "<pre>\n\nkept\n\n</pre>", "<img src=\"a.png\">",
    "<br/>", "<https://example.com/x>", "![](<a/b.png>)", "<d-footnote>aside</d-footnote>",
    "<details><summary>s</summary>\n\nhidden?\n\n</details>", "<span>open", "</span>",
    "$$\nx\n\ny\n$$", "$$x$$", "\\[\na\n\n\\]", "\\begin{align}\na\n\n\\end{align}",
    "$a<b$", "[ref]", "[text][ref]", "[ref]: https://example.com", "[^1]",
    "[^1]: a note\n\n    its second paragraph", "| a | b |\n|---|---|\n| 1 | 2 |",
    "term\n: definition", "{: .note}", "{% raw %}\n\n{% endraw %}", "`` a ` b ``", "`open",
    "Setext\n===", "***", "\t tabbed", "<!--more-->", "\\", "*[HTML]: HyperText",
]  # fmt: skip
block_soup = st.lists(st.sampled_from(_BLOCKS), max_size=14).map("\n\n".join)
_LIMITS = st.sampled_from([20, 60, 150, 350])
_EXAMPLES = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))


def _whole_card(body: str, limit: int) -> str:
    """The card as made before openings: from the parse of the whole lead or body."""
    head = lead(body)
    if head is not None:
        text = excerpt_module.excerpt(parse_markdown(head), limit=limit)
        if text:
            return text if text.endswith(ELLIPSIS) else text + ELLIPSIS
    return excerpt_module.excerpt(parse_markdown(body), limit=limit)


def _reads_as_the_whole(body: str) -> None:
    source = prepared(body)
    whole = [block for block in parse_prepared(source).blocks if not isinstance(block, Footnotes)]
    for cut in cuts(source):
        opening = parse_prepared(source[:cut]).blocks
        blocks = [block for block in opening if not isinstance(block, Footnotes)]
        assert blocks == whole[: len(blocks)], (body, cut)


def _same_card(body: str, limit: int) -> None:
    assert card_text(None, body, limit=limit) == _whole_card(body, limit), (body, limit)


@_EXAMPLES
@given(block_soup)
def test_an_opening_reads_as_the_first_blocks_of_the_whole(body: str) -> None:
    _reads_as_the_whole(body)


@_EXAMPLES
@given(st.one_of(markdown_documents, markup_soup, math_soup, site_soup))
def test_an_opening_of_any_soup_reads_as_the_whole(body: str) -> None:
    _reads_as_the_whole(body)


@_EXAMPLES
@given(st.one_of(block_soup, markdown_documents, markup_soup, math_soup, site_soup), _LIMITS)
def test_a_card_from_the_opening_is_the_card_of_the_whole(body: str, limit: int) -> None:
    _same_card(body, limit)


@pytest.mark.parametrize("path", _FILES, ids=lambda path: path.name)
def test_every_corpus_file_has_the_same_card_either_way(path: Path) -> None:
    body = corpus_body(path)
    _reads_as_the_whole(body)
    for limit in (40, 120, 350):
        _same_card(body, limit)


def test_a_cut_never_falls_where_a_block_may_go_on() -> None:
    prose = "word " * 20
    assert list(cuts(f"{prose}\n\n{prose}")) == [len(prose)]
    for opened in (
        "```\ncode",  # a fence
        "<div>\ninside",  # an element kramdown reads whole
        "<!-- a comment",
        "$$\nx",  # display math
        "\\begin{align}\nx",
        "    ```",  # a fence in indented code: cannot tell
        "`unpaired",
    ):
        assert list(cuts(f"{opened}\n\n{prose}\n\n{prose}")) == [], opened
    for following in ("- item", "1. item", "    indented", "> quote", "[^1]: note", ": def"):
        assert list(cuts(f"{prose}\n\n{following}")) == [], following
    assert list(cuts(f"{prose}\n\n{prose}\n\n[ref]: https://example.com")) == []
    definition = "[ref]: https://example.com"
    assert list(cuts(f"{definition}\n\n{prose}\n\n{prose}")) == [
        len(definition),
        len(f"{definition}\n\n{prose}"),
    ]
