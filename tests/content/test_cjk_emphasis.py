"""Emphasis next to CJK text: the CJK-friendly amendment makes `这是**前1%**的人` bold
and changes nothing else.  The CommonMark spec examples (0.31.2, `data/commonmark.json`,
as markdown-it-py's own test suite ships them) are the proof of "nothing else"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin

from herald.content.cjk_emphasis import cjk_friendly_plugin, run_flags
from herald.content.document import Emph, Paragraph, Strike, Strong, Text
from herald.content.markdown import parse_markdown
from herald.content.searchable import searchable_text
from herald.render import search_text
from herald.render.discord_md import discord_messages
from herald.render.excerpt import excerpt
from herald.render.telegram_html import telegram_messages

SPEC = json.loads((Path(__file__).parent / "data" / "commonmark.json").read_text("utf-8"))
PLAIN = MarkdownIt("commonmark").enable("strikethrough")
CJK = MarkdownIt("commonmark").enable("strikethrough").use(cjk_friendly_plugin)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("这是**前1%**的人", "这是<strong>前1%</strong>的人"),
        ("**注意**力", "<strong>注意</strong>力"),
        ("中文*强调*中文", "中文<em>强调</em>中文"),
        ("权重，**（重要）**的是归一化", "权重，<strong>（重要）</strong>的是归一化"),
        ("**真，**她", "<strong>真，</strong>她"),
        ("**推荐：**React 和 Vue", "<strong>推荐：</strong>React 和 Vue"),
        ("税前**¥10,000**元", "税前<strong>¥10,000</strong>元"),
        ("Go**「入门」**教程", "Go<strong>「入门」</strong>教程"),
        ("正确答案是**④**。", "正确答案是<strong>④</strong>。"),
        ("**这句会加粗。**请注意。", "<strong>这句会加粗。</strong>请注意。"),
        ("模型**(GPT-4)**很强", "模型<strong>(GPT-4)</strong>很强"),
        ("**이 용어(This term)**를 강조", "<strong>이 용어(This term)</strong>를 강조"),
        ("「かっこ」**（強調）**です", "「かっこ」<strong>（強調）</strong>です"),
        ("这是~~删除的，~~文字", "这是<s>删除的，</s>文字"),
        ("__注意__：事项", "<strong>注意</strong>：事项"),
        ("**好😀**的", "<strong>好😀</strong>的"),
        ("大塚\ufe00**(U+585A U+FE00)**店", "大塚\ufe00<strong>(U+585A U+FE00)</strong>店"),
    ],
)
def test_emphasis_next_to_cjk_is_emphasis(source: str, expected: str) -> None:
    assert CJK.renderInline(source) == expected


@pytest.mark.parametrize(
    "source", ["这是**前1%**的人", "**（重要）**的是", "Go**「入门」**教程", "**推荐：**React"]
)
def test_commonmark_alone_leaves_those_asterisks(source: str) -> None:
    assert "**" in PLAIN.renderInline(source)


@pytest.mark.parametrize(
    "source",
    [
        "a**a«**a",  # punctuation inside, letters outside: no emphasis in CommonMark
        "a**»a**a",
        "a**a∇**a",
        "a**a𝜵**a",
        "a**😀**b",  # an emoji is not CJK
        "snake_case_name stays",
        "2*3*4 = 24",
        "foo_bar_",
        "中文_强调_中文",  # `_` inside a word stays literal, CJK or not
        "**a** * b *c*",
    ],
)
def test_latin_text_and_underscores_parse_as_before(source: str) -> None:
    assert CJK.renderInline(source) == PLAIN.renderInline(source)


def test_every_commonmark_example_renders_as_without_the_rule() -> None:
    changed = [
        e["example"] for e in SPEC if CJK.render(e["markdown"]) != PLAIN.render(e["markdown"])
    ]
    assert len(SPEC) == 652
    assert changed == []


@pytest.mark.parametrize(
    "entry",
    [e for e in SPEC if e["section"] == "Emphasis and strong emphasis"],
    ids=lambda e: str(e["example"]),
)
def test_the_spec_emphasis_examples_pass_with_the_rule(entry: dict[str, object]) -> None:
    md = MarkdownIt("commonmark").use(cjk_friendly_plugin)
    assert md.render(str(entry["markdown"])) == entry["html"]


def test_the_rule_works_beside_the_other_plugins_and_inside_footnotes() -> None:
    md = (
        MarkdownIt("commonmark")
        .enable(["table", "strikethrough"])
        .use(dollarmath_plugin, double_inline=True, allow_digits=False)
        .use(footnote_plugin)
        .use(cjk_friendly_plugin)
    )
    out = md.render("正文**前1%**的人[^1]，公式 $x^2$。\n\n[^1]: 脚注里**（也）**要加粗。\n")
    assert "<strong>前1%</strong>的人" in out
    assert "<strong>（也）</strong>要加粗" in out


def test_code_spans_keep_their_asterisks() -> None:
    assert CJK.renderInline("`这是**前1%**的人`") == "<code>这是**前1%**的人</code>"


def test_the_plugin_changes_only_its_own_parser() -> None:
    MarkdownIt("commonmark").use(cjk_friendly_plugin)
    assert "**" in MarkdownIt("commonmark").renderInline("这是**前1%**的人")


def test_the_rule_is_a_function_of_the_neighbours_for_any_front_end() -> None:
    # the closing `**` of `前1%**的`: punctuation inside, a CJK letter outside
    assert run_flags("%", "1", "的", can_split_word=True) == (True, True)
    assert run_flags("%", "1", "a", can_split_word=True) == (True, False)  # CommonMark: opens
    assert run_flags("%", "1", "的", can_split_word=False) == (True, False)  # `_` unchanged
    assert run_flags(" ", " ", "的", can_split_word=True) == (True, False)


def test_herald_documents_and_every_renderer_show_the_bold() -> None:
    markdown = (
        "图神经网络：这是**前1%**的人才会读到的细节，**（重要）**的是归一化，~~删除的，~~文字。"
    )
    [paragraph] = parse_markdown(markdown).blocks
    assert isinstance(paragraph, Paragraph)
    assert Strong((Text("前1%"),)) in paragraph.children
    assert Strong((Text("（重要）"),)) in paragraph.children
    assert Strike((Text("删除的，"),)) in paragraph.children
    document = parse_markdown(markdown)
    assert "*" not in excerpt(document) and "*" not in search_text(document)
    assert "<b>前1%</b>的人" in telegram_messages(document)[0]
    assert "**前1%**的人" in discord_messages(document)[0]  # Discord's own bold
    assert "前1" in searchable_text(markdown) and "的人" in searchable_text(markdown)


def test_emphasis_inside_cjk_that_commonmark_already_read_is_unchanged() -> None:
    [paragraph] = parse_markdown("**注意**力机制，中文*强调*中文").blocks
    assert paragraph == Paragraph(
        (Strong((Text("注意"),)), Text("力机制，中文"), Emph((Text("强调"),)), Text("中文"))
    )
