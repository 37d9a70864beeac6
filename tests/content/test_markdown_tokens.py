"""The converter's token tree must have exactly the shape markdown-it's own tree has."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode

from herald.content.markdown import _PARSER
from herald.content.markdown_tokens import Node, token_tree
from tests.content.fragments import any_markdown


def shape(nodes: list[Node] | list[SyntaxTreeNode]) -> list[tuple[object, ...]]:
    return [
        (node.type, node.tag, node.info, node.content, node.attrs, node.meta, shape(node.children))
        for node in nodes
    ]


def reference(tokens: list[Token]) -> list[tuple[object, ...]] | None:
    try:
        return shape(SyntaxTreeNode(tokens).children)
    except ValueError:
        return None


def ours(tokens: list[Token]) -> list[tuple[object, ...]] | None:
    try:
        return shape(token_tree(tokens))
    except ValueError:
        return None


def test_a_post_with_every_construct() -> None:
    tokens = _PARSER.parse(
        '# 标题\n\n**粗** *斜* [链接](https://x.org) ![图](a.png "t") $x$\n\n'
        "> 引用\n> - 列表 `code`\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        "```py\nx = 1\n```\n\n$$\nE=mc^2\n$$\n\n脚注[^1]\n\n[^1]: 注释 *强调*\n",
        {},
    )
    tree = ours(tokens)
    assert tree is not None and tree == reference(tokens)
    assert [kind for kind, *_ in tree] == [
        "heading", "paragraph", "blockquote", "table", "fence", "math_block", "paragraph",
        "footnote_block",
    ]  # fmt: skip


def test_a_stream_that_does_not_pair_up_is_refused() -> None:
    opening, closing = Token("em_open", "em", 1), Token("em_close", "em", -1)
    assert ours([closing]) is None and reference([closing]) is None
    assert ours([opening]) is None and reference([opening]) is None


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_markdown)
def test_same_tree_as_markdown_it_on_random_posts(markdown: str) -> None:
    tokens = _PARSER.parse(markdown, {})
    assert ours(tokens) == reference(tokens)
