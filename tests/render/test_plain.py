"""Plain text for the terminal, and the small views the store and adapters use."""

from __future__ import annotations

from herald.content.document import Image
from herald.content.markdown import parse_markdown
from herald.render import first_heading, images, plain_text, search_text
from herald.render.plain import wrap_line
from herald.render.text import display_width


def plain(markdown: str, width: int | None = None) -> str:
    return plain_text(parse_markdown(markdown), width=width)


def test_headings_links_code_and_tables() -> None:
    text = plain(
        "# Title\n\n## 小节\n\n"
        "See [paper](https://arxiv.org) and <https://x.org>, not [rel](a.md).\n\n"
        "```py\nx = 1\n\ny = 2\n```\n\n| 名称 | n |\n|---|---|\n| 梯度 | 1 |\n"
    )
    assert text == (
        "Title\n=====\n\n小节\n----\n\n"
        "See paper <https://arxiv.org> and https://x.org, not rel.\n\n"
        "    [py]\n    x = 1\n\n    y = 2\n\n"
        "名称 | n\n-----+--\n梯度 | 1"
    )


def test_lists_quotes_math_images_footnotes() -> None:
    text = plain(
        "1. 一\n2. 二\n   - 嵌套\n\n> 引用\n\n$$\n\\sum_i x_i\n$$\n\n"
        "$\\theta_t$ ![图](a.png)[^1]\n\n"
        "[^1]: 脚注\n"
    )
    assert text == (
        "1. 一\n2. 二\n   • 嵌套\n\n│ 引用\n\n    \\sum_i x_i\n\nθₜ [image: 图][1]\n\n"
        "──────────\n[1] 脚注"
    )


def test_wrapping_counts_display_width_and_never_touches_code() -> None:
    text = plain("长" * 30 + "\n\n" + "word " * 12 + "\n\n```\n" + "x" * 60 + "\n```\n", width=20)
    lines = text.splitlines()
    assert lines[:3] == ["长" * 10, "长" * 10, "长" * 10]
    assert all(display_width(line) <= 20 for line in lines if "x" * 60 not in line)
    assert "    " + "x" * 60 in lines


def test_wrap_line_breaks_words_only_when_they_are_too_long() -> None:
    assert wrap_line("alpha beta gamma", 11) == ["alpha beta", "gamma"]
    assert wrap_line("abcdefghij", 4) == ["abcd", "efgh", "ij"]
    assert wrap_line("中文English混排", 6) == ["中文", "Englis", "h混排"]
    assert wrap_line("", 10) == [""]


def test_list_items_wrap_inside_their_indent() -> None:
    text = plain("- " + "词" * 12 + "\n", width=12)
    assert text.splitlines() == ["• " + "词" * 5, "  " + "词" * 5, "  " + "词" * 2]


# -- search, title, images ---------------------------------------------------------------


def test_search_text_has_prose_code_and_math_source_but_no_markup() -> None:
    text = search_text(
        parse_markdown(
            "# 标题\n\n**Prose** with $\\theta_t$ and [link](https://x.org).\n\n"
            "```python\nflash_attn()\n```\n\n$$\n\\alpha\n$$\n\n![alt text](a.png)\n\n"
            "| 表 | b |\n|---|---|\n| c | d |\n\n<div>html text</div>\n"
        )
    )
    assert text == (
        "标题 Prose with \\theta_t and link. flash_attn() \\alpha alt text 表 b c d html text"
    )


def test_first_heading_is_plain_text() -> None:
    assert (
        first_heading(parse_markdown("intro\n\n## A *b* `c`[^1]\n\n# Later\n\n[^1]: x")) == "A b c"
    )
    assert first_heading(parse_markdown("no heading")) is None
    assert first_heading(parse_markdown("#\n\n## real\n")) == "real"


def test_images_from_every_syntax_in_order() -> None:
    document = parse_markdown(
        "text ![图一](img/a.png)\n\n"
        '{% include figure.html path="assets/b.png" caption="B" %}\n\n'
        '<p><img src="c.png" alt="C"></p>\n\n> [![D](d.png)](https://x.org)\n\n'
        "| ![E](e.png) |\n|---|\n"
    )
    assert images(document) == [
        Image("img/a.png", "图一"),
        Image("assets/b.png", "B"),
        Image("c.png", "C"),
        Image("d.png", "D"),
        Image("e.png", "E"),
    ]
