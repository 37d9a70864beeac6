"""kramdown's markers never reach a reader or the search index; code and math keep them."""

from __future__ import annotations

import pytest

from herald.content.document import CodeBlock, Emph, Heading, HtmlBlock, Image, Paragraph, Text
from herald.content.kramdown import strip_kramdown
from herald.content.markdown import parse_markdown
from herald.content.searchable import searchable_text
from herald.render import search_text
from herald.render.excerpt import excerpt


def card(markdown: str) -> str:
    return excerpt(parse_markdown(markdown), lang="zh", limit=500)


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        # the table of contents kramdown puts in place of a one-item list
        ('{: class="table-of-content"}\n* TOC\n{:toc}\n\n正文。', "正文。"),
        ("* content\n{:toc}\n\n正文。", "正文。"),
        ("1. toc\n{:toc}\n\n正文。", "正文。"),
        # block IALs, after the block they style
        (
            '![图](a.png)\n{: style="width: 60%;" class="center"}\n*图 1. 说明*\n{:.image-caption}',
            "图 1. 说明",
        ),
        ("段落。\n{: .lead #first}\n下一段。", "段落。 下一段。"),
        ("> 引用\n> {: .note}\n> 第二段", "引用 第二段"),
        # span IALs glued to an element
        ('**加粗**{:.red} 和 [链接](u){:target="_blank"}。', "加粗 和 链接。"),
        ("*说明*{: .image-caption}", "说明"),
        # attribute list definitions and their use
        ('{:refdef: style="color: gray"}\n{:refdef}\n引用。', "引用。"),
        # extensions
        ('{::options parse_block_html="true" /}\n\n正文。', "正文。"),
        ("{::comment}\n注释\n\n多段\n{:/comment}\n正文。", "正文。"),
        ("{::comment}注释{:/}正文。", "正文。"),
        ("{::nomarkdown}\n<p>原样</p>\n{:/nomarkdown}", "原样"),
        # header ids (kramdown) and heading attributes (goldmark, Hugo)
        ("## 安装 {#install}\n\n正文。", "安装 正文。"),
        ("## Install {#install .wide}\n\nText.", "Install Text."),
        # abbreviations and the end-of-block marker
        ("*[HTML]: HyperText Markup Language\n\nHTML 正文。", "HTML 正文。"),
        ("列表\n\n* a\n* b\n^\n* c", "列表 a b c"),
    ],
)
def test_kramdown_markers_are_not_shown(source: str, shown: str) -> None:
    assert card(source) == shown


@pytest.mark.parametrize(
    "source",
    [
        "`{:toc}` 和 `{: .x}`",
        "```yaml\ntitle: {: not an IAL}\n{:toc}\n```",
        "~~~\n{::comment}\n~~~",
        "$\\{:x\\}$ 和 $$ \\{: a \\} $$",
        "    {: indented code}",
        "dict = {:a => 1} in prose",  # Ruby, not the IAL grammar
        "## C# {#not-at-end} here",
        "text {#x} that is no heading",
    ],
)
def test_code_math_and_prose_keep_what_looks_like_kramdown(source: str) -> None:
    assert strip_kramdown(source) == source


def test_a_post_without_markers_costs_nothing() -> None:
    text = "plain text " * 1000
    assert strip_kramdown(text) is text


def test_the_toc_list_and_the_ials_are_not_search_terms() -> None:
    markdown = (
        '{: class="table-of-content"}\n* TOC\n{:toc}\n\n'
        "图神经网络把**深度学习**{:.red}推广到了图上。\n"
        '{: style="width: 60%;" class="center"}\n\n'
        "{::comment}\n秘密注释\n{:/comment}\n"
    )
    indexed = searchable_text(markdown)
    for hidden in ("toc", "TOC", "table", "style", "width", "center", "red", "秘密", "{:"):
        assert hidden not in indexed
    assert "图神经网络把深度学习推广到了图上" in indexed
    assert "toc" not in search_text(parse_markdown(markdown)).casefold()


def test_a_figure_with_its_ials_reads_as_the_site_shows_it() -> None:
    document = parse_markdown(
        "## 消息传递 {#message-passing}\n\n"
        "![GCN 的消息传递](/assets/images/gnn.png)\n"
        '{: style="width: 60%;" class="center"}\n\n'
        "*图 1. 每个节点聚合邻居的表示。*\n{:.image-caption}\n\n"
        "```ruby\nputs({:a => 1})\n{:toc}\n```\n"
    )
    heading, figure, caption, code = document.blocks
    assert heading == Heading(2, (Text("消息传递"),))
    assert figure == Paragraph((Image("/assets/images/gnn.png", "GCN 的消息传递"),))
    assert caption == Paragraph((Emph((Text("图 1. 每个节点聚合邻居的表示。"),)),))
    assert code == CodeBlock("ruby", "puts({:a => 1})\n{:toc}")


def test_nomarkdown_content_is_the_raw_html_it_is() -> None:
    [block] = parse_markdown("{::nomarkdown}\n<p>直接输出的 HTML 段落。</p>\n{:/nomarkdown}").blocks
    assert block == HtmlBlock("直接输出的 HTML 段落。")
