"""Raw HTML read the way kramdown (and a browser) reads it, for the cases real Jekyll
blogs have; Liquid URL filters and Hugo shortcodes that name an image or a video."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from herald.content.document import (
    Heading,
    HtmlBlock,
    Image,
    Link,
    ListBlock,
    Paragraph,
    Quote,
    Strong,
    Text,
)
from herald.content.embeds import watch_page
from herald.content.html_blocks import kramdown_html_blocks
from herald.content.liquid import resolve_liquid
from herald.content.markdown import parse_markdown
from herald.content.searchable import searchable_text
from herald.render import search_text
from herald.render.excerpt import excerpt

SPEC = json.loads((Path(__file__).parent / "data" / "commonmark.json").read_text("utf-8"))


def card(markdown: str) -> str:
    return excerpt(parse_markdown(markdown), lang="zh", limit=500)


def blocks(markdown: str) -> tuple[object, ...]:
    return parse_markdown(markdown).blocks


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ('文字<a name="x" />之后。', "文字之后。"),
        ('<a name="intro" />\n\n正文。', "正文。"),
        ('<font color="red">红色的字，没有闭合。', "红色的字，没有闭合。"),
        ('一个<span style="color: blue">没闭合的 span。', "一个没闭合的 span。"),
        ("闭合多了</font>一个。", "闭合多了一个。"),
        # what stays text: ML tokens and generics in prose
        (
            "the <s> token and </s> and <video> placeholder",
            "the <s> token and </s> and <video> placeholder",
        ),
        ("List<String> and <T>, <pad> too", "List<String> and <T>, <pad> too"),
    ],
)
def test_unpaired_markup_goes_and_its_text_stays(source: str, shown: str) -> None:
    assert card(source) == shown


def test_markdown_right_after_an_html_line_is_markdown() -> None:
    assert blocks('<p align="center">居中的一段话</p>\n## 紧跟在 HTML 后面的标题\n') == (
        HtmlBlock("居中的一段话"),
        Heading(2, (Text("紧跟在 HTML 后面的标题"),)),
    )
    assert blocks('<div align="center"><img src="a.png" width="40%"></div>\n**图 2.** 说明') == (
        Paragraph((Image("a.png", ""),)),
        Paragraph((Strong((Text("图 2."),)), Text(" 说明"))),
    )
    assert blocks('<a name="video" />\n## 视频\n') == (Heading(2, (Text("视频"),)),)


def test_an_html_block_ends_with_its_element_inside_lists_and_quotes() -> None:
    assert blocks("- <p>a</p>\n  **b**\n") == (
        ListBlock(False, 1, ((HtmlBlock("a"), Paragraph((Strong((Text("b"),)),))),)),
    )
    assert blocks("> <p>a</p>\n> **b**\n") == (
        Quote((HtmlBlock("a"), Paragraph((Strong((Text("b"),)),)))),
    )


def test_an_element_still_open_keeps_the_block_html() -> None:
    assert blocks("<div>\ntext **x**\n</div>\n") == (HtmlBlock("text **x**"),)
    assert blocks("<script>\nvar a = 1;\n</script>\n**b**\n") == (
        Paragraph((Strong((Text("b"),)),)),
    )


def test_a_comment_in_an_html_block_stays_hidden_across_blank_lines() -> None:
    # as in an ICLR post: `</p>` then a comment with a blank line inside it
    markdown = "<p>\n正文\n</p>\n<!-- 草稿：\n\n$$x$$ 未完 -->\n\n之后。"
    assert blocks(markdown) == (HtmlBlock("正文"), Paragraph((Text("之后。"),)))
    # never closed: CommonMark's reading, nothing after it hidden
    assert blocks("<div>x</div>\n<!-- 没有结束\n\n之后。")[-1] == Paragraph((Text("之后。"),))


def test_footnotes_and_references_resolve_after_the_cut() -> None:
    [html, paragraph, _] = blocks(
        "<p>x</p>\n见[文档][d]和脚注[^1]。\n\n[d]: https://d.example\n\n[^1]: 注。"
    )
    assert html == HtmlBlock("x")
    assert isinstance(paragraph, Paragraph)
    assert Link("https://d.example", (Text("文档"),)) in paragraph.children


def test_only_the_spec_examples_of_markdown_after_a_closed_element_change() -> None:
    plain = MarkdownIt("commonmark")
    cut = MarkdownIt("commonmark").use(kramdown_html_blocks)
    changed = [
        e["example"] for e in SPEC if cut.render(e["markdown"]) != plain.render(e["markdown"])
    ]
    # `</div>\n*foo*`, `<div></div>\n``` c…`, `</ins>\n*bar*`, `<div>\nbar\n</div>\n*foo*`
    assert changed == [151, 161, 165, 186]


def test_alternating_html_and_markdown_lines_parse_in_linear_time() -> None:
    def parse(lines: int) -> float:
        text = "".join(f"<p>第 {i} 段</p>\n**粗体 {i}**\n" for i in range(lines))
        started = time.process_time()
        document = parse_markdown(text)
        spent = time.process_time() - started
        assert len(document.blocks) == 2 * lines
        return spent

    parse(100)  # warm up
    small, large = parse(400), parse(1600)
    assert large < 12 * small + 0.05  # quadratic would be 16 times


@pytest.mark.parametrize(
    ("src", "href"),
    [
        (
            "//player.bilibili.com/player.html?bvid=BV1GJ411x7h7&page=1",
            "https://www.bilibili.com/video/BV1GJ411x7h7",
        ),
        (
            "https://www.youtube.com/embed/dQw4w9WgXcQ?si=x",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        ),
        ("https://www.youtube-nocookie.com/embed/abc", "https://www.youtube.com/watch?v=abc"),
        ("https://player.vimeo.com/video/76979871", "https://vimeo.com/76979871"),
        (
            "https://www.desmos.com/calculator/hfjxlwycmz",
            "https://www.desmos.com/calculator/hfjxlwycmz",
        ),
        ("assets/html/figure.html", ""),  # a page of the site itself: nothing to open
        ("javascript:alert(1)", ""),
        ("", ""),
    ],
)
def test_a_player_opens_the_page_of_what_it_shows(src: str, href: str) -> None:
    assert watch_page(src) == href


def test_an_iframe_becomes_a_link_to_the_video() -> None:
    markdown = (
        "下面是一个视频：\n\n"
        '<iframe src="//player.bilibili.com/player.html?bvid=BV1GJ411x7h7&page=1" width="640" '
        'height="360" frameborder="0" allowfullscreen="true"></iframe>\n\n看完视频。'
    )
    link = Link(
        "https://www.bilibili.com/video/BV1GJ411x7h7", (Text("▶ bilibili.com/video/BV1GJ411x7h7"),)
    )
    assert blocks(markdown)[1] == Paragraph((link,))
    assert "bilibili.com/video/BV1GJ411x7h7" in searchable_text(markdown)


@pytest.mark.parametrize(
    ("markdown", "links"),
    [
        ('看 <iframe src="https://www.youtube.com/embed/abc">无法播放</iframe> 这个。', 1),
        (
            '<video src="https://cdn.example/demo.mp4" controls>\n<source src="https://cdn.example/demo.mp4">\n</video>',
            1,
        ),
        ('<div><iframe src="https://player.vimeo.com/video/1"></iframe></div>', 1),
        ('<!-- <iframe src="https://www.youtube.com/embed/abc"></iframe> -->', 0),
        (
            '<div style="display: none"><iframe src="https://www.youtube.com/embed/abc"></iframe></div>',
            0,
        ),
        ('<iframe src="assets/html/plot.html"></iframe>', 0),
        ("a lone <video> token", 0),
    ],
)
def test_players_are_links_wherever_they_stand(markdown: str, links: int) -> None:
    document = parse_markdown(markdown)
    shown = search_text(document)
    assert shown.count("▶") == links
    assert "无法播放" not in shown  # an iframe's fallback is not what the page shows
    labels = [word for word in shown.split("▶ ")[1:]]  # what the index must find too
    assert all(label.split()[0] in searchable_text(markdown) for label in labels)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("![a]({{ '/assets/x.png' | relative_url }})", "![a](/assets/x.png)"),
        ('![a]({{ "/assets/x.png" | absolute_url }})', "![a](/assets/x.png)"),
        ("![a]({{ '/assets/a b.png' | relative_url }})", "![a](</assets/a b.png>)"),
        ('<img src="{{ site.baseurl }}/assets/x.png">', '<img src="/assets/x.png">'),
        ("![a]({{ '/x.png' | prepend: site.baseurl }})", "![a](/x.png)"),
        ("![a]({{ site.url }}{{ site.baseurl }}/x.png)", "![a](/x.png)"),
        ("{{ page.title }} and `{{ '/x' | relative_url }}`", " and `{{ '/x' | relative_url }}`"),
    ],
)
def test_liquid_url_filters_give_the_path(source: str, expected: str) -> None:
    assert resolve_liquid(source) == expected


def test_an_image_with_a_liquid_source_keeps_it() -> None:
    [figure] = blocks("![The agent loop]({{ '/assets/images/agent loop.png' | relative_url }})")
    assert figure == Paragraph((Image("/assets/images/agent%20loop.png", "The agent loop"),))


def test_hugo_shortcodes_that_show_something() -> None:
    assert blocks('{{< figure src="示意图.png" caption="用短代码插入的图片" >}}') == (
        Paragraph((Image("%E7%A4%BA%E6%84%8F%E5%9B%BE.png", "用短代码插入的图片"),)),
    )
    [video] = blocks("{{< youtube dQw4w9WgXcQ >}}")
    assert video == Paragraph(
        (
            Link(
                "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
                (Text("▶ youtube.com/watch?v=dQw4w9WgXcQ"),),
            ),
        )
    )
    assert blocks('{{< bilibili id="BV1GJ411x7h7" >}}')[0] == Paragraph(
        (
            Link(
                "https://www.bilibili.com/video/BV1GJ411x7h7",
                (Text("▶ bilibili.com/video/BV1GJ411x7h7"),),
            ),
        )
    )
    assert blocks("{{< notice >}}") == ()
