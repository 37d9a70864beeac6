"""Markdown → document model: what each construct of real posts becomes."""

from __future__ import annotations

import pytest

from herald.content.document import (
    Code,
    CodeBlock,
    Emph,
    Footnote,
    FootnoteRef,
    Footnotes,
    Heading,
    HtmlBlock,
    Image,
    LineBreak,
    Link,
    ListBlock,
    Math,
    MathBlock,
    Paragraph,
    Quote,
    Rule,
    Strike,
    Strong,
    Table,
    Text,
)
from herald.content.markdown import parse_inline, parse_markdown


def blocks(markdown: str) -> tuple[object, ...]:
    return parse_markdown(markdown).blocks


def test_commonmark_blocks_and_inlines() -> None:
    assert blocks(
        "# 标题\n\n**粗** *斜* ~~删~~ `code` [链接](https://x.org)\n\n> 引用\n\n---\n\n"
        "1. one\n2. two\n\n- a\n"
    ) == (
        Heading(1, (Text("标题"),)),
        Paragraph(
            (
                Strong((Text("粗"),)),
                Text(" "),
                Emph((Text("斜"),)),
                Text(" "),
                Strike((Text("删"),)),
                Text(" "),
                Code("code"),
                Text(" "),
                Link("https://x.org", (Text("链接"),)),
            )
        ),
        Quote((Paragraph((Text("引用"),)),)),
        Rule(),
        ListBlock(True, 1, ((Paragraph((Text("one"),)),), (Paragraph((Text("two"),)),))),
        ListBlock(False, 1, ((Paragraph((Text("a"),)),),)),
    )


def test_ordered_list_keeps_its_start_number() -> None:
    [listing] = blocks("3. three\n4. four\n")
    assert isinstance(listing, ListBlock) and listing.start == 3 and listing.ordered


def test_code_blocks_keep_language_and_text_exactly() -> None:
    assert blocks("```python\nif a < b:\n    pass\n```\n\n    indented\n") == (
        CodeBlock("python", "if a < b:\n    pass"),
        CodeBlock("", "indented"),
    )


@pytest.mark.parametrize(
    ("info", "lang"), [("   ", ""), ("c++ {.x}", "c++"), ("<x>", "x"), ("py title='a'", "py")]
)
def test_fence_info_is_reduced_to_a_safe_language(info: str, lang: str) -> None:
    [block] = blocks(f"```{info}\nx\n```\n")
    assert block == CodeBlock(lang, "x")


def test_table_header_and_rows() -> None:
    [table] = blocks("| 名称 | n |\n|---|---:|\n| 梯度 | `1` |\n")
    assert table == Table(
        ((Text("名称"),), (Text("n"),)),
        (((Text("梯度"),), (Code("1"),)),),
    )


# -- math ------------------------------------------------------------------------------


def test_every_math_syntax() -> None:
    [para, display] = blocks("a $\\theta_t$ b $$x^2$$ c \\(y_1\\) d\n\n$$\nE = mc^2\n$$\n")
    assert para == Paragraph(
        (
            Text("a "),
            Math("\\theta_t"),
            Text(" b "),
            Math("x^2", display=True),
            Text(" c "),
            Math("y_1"),
            Text(" d"),
        )
    )
    assert display == MathBlock("E = mc^2")
    assert blocks("\\[\n\\sum_i x_i\n\\]\n") == (MathBlock("\\sum_i x_i"),)


def test_display_math_on_its_own_lines_inside_a_paragraph_becomes_a_block() -> None:
    """Typora/Obsidian notes put `$$` right under the text with no blank line."""
    assert blocks("定义为：\n$$\nI(X;Y)\n$$\n其中 $X$ 是变量。\n") == (
        Paragraph((Text("定义为："),)),
        MathBlock("I(X;Y)"),
        Paragraph((Text("其中 "), Math("X"), Text(" 是变量。"))),
    )


def test_currency_is_not_math() -> None:
    assert blocks("costs $5 and $10 today\n") == (Paragraph((Text("costs $5 and $10 today"),)),)


def test_macro_preambles_show_nothing() -> None:
    assert blocks("$$\n\\def\\R{\\mathbb{R}}\n\\newcommand{\\x}{x}\n$$\n\ntext\n") == (
        Paragraph((Text("text"),)),
    )
    hidden = '<div style="display: none">\n$$\n\\def\\a{b}\n$$\n</div>\n\ntext\n'
    assert blocks(hidden) == (Paragraph((Text("text"),)),)


# -- footnotes -------------------------------------------------------------------------


def test_footnotes_of_every_syntax_are_numbered_in_reading_order() -> None:
    document = parse_markdown(
        "A<d-footnote>distill note</d-footnote> B[^x] C^[inline note].\n\n[^x]: markdown note\n"
    )
    para, notes = document.blocks
    assert para == Paragraph(
        (Text("A"), FootnoteRef("1"), Text(" B"), FootnoteRef("2"), Text(" C"), FootnoteRef("3"),
         Text("."))
    )  # fmt: skip
    assert notes == Footnotes(
        (
            Footnote("1", (Paragraph((Text("distill note"),)),)),
            Footnote("2", (Paragraph((Text("markdown note"),)),)),
            Footnote("3", (Paragraph((Text("inline note"),)),)),
        )
    )


# -- raw HTML --------------------------------------------------------------------------


def test_inline_html_tags_go_text_stays_images_and_links_survive() -> None:
    [para] = blocks(
        'a <b>bold</b> <img src="x.png" alt="图"> <a href="https://x.org">site</a>'
        "<br>next &amp; <span>s</span>\n"
    )
    assert para == Paragraph(
        (
            Text("a "),
            Text("bold"),
            Text(" "),
            Image("x.png", "图"),
            Text(" "),
            Link("https://x.org", (Text("site"),)),
            LineBreak(),
            Text("next & "),
            Text("s"),
        )
    )


def text_of(block: object) -> str:
    assert isinstance(block, Paragraph)
    return "".join(node.text for node in block.children if isinstance(node, Text))


def test_angle_brackets_that_are_not_html_are_text() -> None:
    [para] = blocks("List<String> and <T> and a<b> or x < y, <s>问题</s> <video> token\n")
    assert text_of(para) == "List<String> and <T> and a<b> or x < y, <s>问题</s> <video> token"
    [para] = blocks("a <b>real</b> <sup>2</sup>\n")
    assert text_of(para) == "a real 2"


def test_html_blocks_keep_text_and_images_and_drop_scripts() -> None:
    assert blocks(
        '<div class="l-page">\n  <img src="a.png" alt="A">\n  <p>caption &amp;lt; here</p>\n'
        "<script>track()</script>\n</div>\n"
    ) == (Paragraph((Image("a.png", "A"),)), HtmlBlock("caption &lt; here"))


def test_a_distill_footnote_inside_raw_html_stays_in_place() -> None:
    assert blocks("<div>\nA<d-footnote>note</d-footnote> B\n</div>\n") == (HtmlBlock("A (note) B"),)


def test_citations_vanish_with_their_separators() -> None:
    [para] = blocks(
        'tools for productivity <d-cite key="a"></d-cite>, <d-cite key="b"></d-cite>. '
        'Next <d-cite key="c"></d-cite>, where\n'
    )
    assert text_of(para) == "tools for productivity. Next, where"


# -- Liquid ----------------------------------------------------------------------------


def test_liquid_highlight_figure_twitter_and_other_tags() -> None:
    assert blocks(
        "{% assign x = 1 %}\nIntro {{ page.title }} text.\n\n"
        "{% highlight python linenos %}\n# not a heading\nprint('{{ x }}')\n{% endhighlight %}\n\n"
        '<div class="l-page">\n    {% include figure.html path="assets/img/a.png" '
        'class="img-fluid" caption="Fig [1]" %}\n</div>\n\n'
        "{% twitter https://x.com/a/status/1 %}\n\n{% comment %}secret{% endcomment %}\n"
    ) == (
        Paragraph((Text("Intro  text."),)),
        CodeBlock("python", "# not a heading\nprint('{{ x }}')"),
        Paragraph((Image("assets/img/a.png", "Fig (1)"),)),
        Paragraph((Link("https://x.com/a/status/1", (Text("https://x.com/a/status/1"),)),)),
    )


def test_liquid_inside_code_and_math_is_content() -> None:
    """A chat-template note or `\\text{{a, b}}` must not lose characters to Liquid."""
    document = parse_markdown(
        "```jinja\n{% for m in messages %}{{ m['content'] }}{% endfor %}\n```\n\n"
        "Tokens $\\text{{a, b}}$ and `{{ x }}`.\n"
    )
    code, para = document.blocks
    assert code == CodeBlock("jinja", "{% for m in messages %}{{ m['content'] }}{% endfor %}")
    assert para == Paragraph(
        (Text("Tokens "), Math("\\text{{a, b}}"), Text(" and "), Code("{{ x }}"), Text("."))
    )


def test_liquid_raw_keeps_its_content_verbatim() -> None:
    assert blocks(
        '```markdown\n{% raw %}{% include figure.html path="a.png" %}{% endraw %}\n```\n'
    ) == (CodeBlock("markdown", '{% include figure.html path="a.png" %}'),)


def test_inline_parse_for_summaries_keeps_block_markers() -> None:
    assert parse_inline("1. **a** - b") == (Text("1. "), Strong((Text("a"),)), Text(" - b"))


@pytest.mark.parametrize(
    "text", ["", "   \n\n", "{%", "{{", "<div>", "$$", "```", "\\(", "[^1]", "<d-footnote>", "\x00"]
)
def test_odd_input_never_raises(text: str) -> None:
    parse_markdown(text)
    parse_inline(text)


def test_footnote_input_that_breaks_the_plugin_still_parses() -> None:
    # Found by hypothesis in CI: the footnote plugin emitted badly nested tokens here.
    document = parse_markdown("[^1]: 1. [^1]: ")
    assert document.blocks
