import re
from pathlib import Path

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from herald.content.markdown import parse_markdown
from herald.content.render import (
    discord_messages,
    excerpt,
    excerpt_text,
    first_heading,
    images,
    plain_text,
    search_text,
    telegram_messages,
)
from tests.conftest import ICLR_POSTS
from tests.content.checks import fences_balanced, telegram_visible_text, utf16

LOSSY = (
    "## 相关内容\n\n自监督学习(Self-supervised)：TP 是 IoU>0.5 的检测框，FP 是 IoU<=0.5 的，"
    "a*b 与 x<y、A&B 都要保留，详见 https://arxiv.org/abs/2205.14135 。\n"
)


def ex(markdown: str, **kwargs: object) -> str:
    return excerpt(parse_markdown(markdown), **kwargs)  # type: ignore[arg-type]


# -- excerpt ---------------------------------------------------------------------------


def test_excerpt_loses_none_of_the_characters_the_seeds_dropped() -> None:
    text = ex(LOSSY)
    for kept in (
        "Self-supervised",
        "IoU>0.5",
        "IoU<=0.5",
        "a*b",
        "x<y",
        "A&B",
        "https://arxiv.org/abs/2205.14135",
    ):
        assert kept in text
    assert text.startswith("相关内容 自监督学习")


def test_excerpt_placeholders_and_math_in_chinese() -> None:
    text = ex(
        "参数 $\\theta_t$ 与 $x^2$，以及 $\\frac{a}{b}$：\n\n```python\nprint(1)\n```\n\n"
        "$$\nE = mc^2\n$$\n\n1. 第一步\n2. 第二步\n\n- 无序\n"
    )
    assert text == "参数 θₜ 与 x²，以及 [Math]： [代码] [公式] 1. 第一步 2. 第二步 无序"


def test_excerpt_placeholders_in_english() -> None:
    text = ex("Uses $\\frac{1}{2}$.\n\n```\ncode\n```\n\n$$\nx\n$$\n", lang="en")
    assert text == "Uses [math]. [code] [formula]"


def test_excerpt_is_cut_at_the_limit_with_an_ellipsis() -> None:
    text = ex("字" * 400)
    assert text == "字" * 350 + "..."
    assert ex("short") == "short"


def test_excerpt_never_cuts_a_grapheme_or_a_placeholder() -> None:
    family = "👨‍👩‍👧‍👦"
    text = ex(f"{'a' * 9}{family}{family}", limit=10)
    assert text == "a" * 9 + family + "..."
    cut = ex("abcdefgh\n\n```\nx\n```\n\nmore", limit=10)
    assert cut == "abcdefgh..."  # "[代码]" (4) would not fit whole


def test_excerpt_drops_markup_and_liquid_but_keeps_text() -> None:
    text = ex(
        'Intro <d-cite key="a"></d-cite>text.\n\n'
        '<div class="x">\n  <b>bold</b> &amp; kept\n</div>\n\n'
        '{% include figure.html path="assets/img/a.png" class="img-fluid" %}\n\n'
        "{% highlight python %}\nprint(1)\n{% endhighlight %}\n\n<script>track()</script>\n",
        lang="en",
    )
    assert text == "Intro text. bold & kept [code]"


def test_summary_is_cleaned_and_cut_the_same_way() -> None:
    assert excerpt_text("  一行\n  两行 ", limit=350) == "一行 两行"
    assert excerpt_text("x" * 20, limit=5) == "xxxxx..."


# -- other views ------------------------------------------------------------------------


def test_search_text_includes_code_and_math_source() -> None:
    text = search_text(
        parse_markdown("Prose.\n\n```python\nflash_attn()\n```\n\n$$\n\\alpha\n$$\n")
    )
    assert "flash_attn()" in text and "\\alpha" in text and "Prose." in text


def test_first_heading_and_images() -> None:
    document = parse_markdown("text\n\n## A *b*\n\n![图一](img/a.png) and ![](https://x/y.png)\n")
    assert first_heading(document) == "A b"
    assert [(i.src, i.alt) for i in images(document)] == [
        ("img/a.png", "图一"),
        ("https://x/y.png", ""),
    ]


def test_plain_text_reads_well() -> None:
    text = plain_text(
        parse_markdown(
            "# Title\n\nSee [paper](https://arxiv.org) now.\n\n```py\nx = 1\n```\n\n"
            "| 名称 | n |\n|---|---|\n| 梯度 | 1 |\n"
        )
    )
    assert "Title\n=====" in text
    assert "See paper <https://arxiv.org> now." in text
    assert "    x = 1" in text
    assert "名称 | n\n-----+--\n梯度 | 1" in text


# -- Telegram ---------------------------------------------------------------------------


def test_telegram_html_uses_only_allowed_tags_and_escapes_text() -> None:
    [message] = telegram_messages(
        parse_markdown(
            "## H\n\n**b** *i* ~~s~~ `c<d>` a<b & [l](https://x.org/?a=1&b=2) [rel](./x.md)\n\n"
            "```python\nif a < b:\n    pass\n```\n\n> quote\n\n- one\n- two\n"
        )
    )
    visible = telegram_visible_text(message)
    assert "<b>H</b>" in message and "<s>s</s>" in message
    assert '<a href="https://x.org/?a=1&amp;b=2">l</a>' in message
    assert "rel" in visible and "./x.md" not in message  # relative links stay text
    assert '<pre><code class="language-python">if a &lt; b:' in message
    assert "• one\n• two" in visible and "a<b & " in visible


def test_telegram_split_reopens_code_blocks_and_respects_the_limit() -> None:
    code = "\n".join(f"value_{i} = compute({i})  # 注释 😀" for i in range(500))
    messages = telegram_messages(
        parse_markdown(f"Intro.\n\n```python\n{code}\n```\n"), header_html="<b>Title</b>\n\n"
    )
    assert len(messages) > 5
    assert messages[0].startswith("<b>Title</b>")
    for message in messages:
        assert utf16(telegram_visible_text(message)) <= 4096
    for message in messages[1:]:
        assert message.startswith('<pre><code class="language-python">')
        assert message.endswith("</code></pre>")
    joined = "".join(telegram_visible_text(m) for m in messages)
    assert joined.count("😀") == 500


# -- Discord ----------------------------------------------------------------------------


def test_discord_markdown_escapes_text_and_keeps_urls() -> None:
    [message] = discord_messages(
        parse_markdown(
            "## H\n\n**b** with a*b_c~d and https://x.org/a_b_c\n\n- item\n\n```py\nx = 1\n```\n"
        )
    )
    assert "## H" in message and "**b**" in message
    assert "a\\*b\\_c\\~d" in message and "https://x.org/a_b_c" in message
    assert "- item" in message and "```py\nx = 1\n```" in message


def test_discord_split_closes_and_reopens_fences() -> None:
    code = "\n".join(f"line {i} {'x' * 40}" for i in range(200))
    messages = discord_messages(parse_markdown(f"```python\n{code}\n```\n"), header="# T")
    assert len(messages) > 3
    for message in messages:
        assert len(message) <= 2000 and fences_balanced(message)
    assert all(m.startswith("```python") for m in messages[1:])


# -- properties -------------------------------------------------------------------------

fragments = st.sampled_from(
    [
        "梯度检查点用计算换显存。",
        "Self-supervised IoU>0.5 a*b <x> & y",
        "👨‍👩‍👧‍👦🇨🇳é",
        "$\\theta_t$",
        "$$\\sum_i x_i$$",
        "`code`",
        "**bold**",
        "*em*",
        "[link](https://example.com/a_b)",
        "\n\n```python\nprint('x' * 3)\n```\n\n",
        "\n\n$$\nE=mc^2\n$$\n\n",
        "\n\n- a\n- b\n\n",
        "\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n",
        "\n\n> quote\n\n",
        "\n\n# Heading\n\n",
        "x" * 300,
        "长" * 700,
        "\n",
        " ",
        "<",
        ">",
        "&",
        "\\",
        "_",
        "~",
    ]
)
documents = st.lists(fragments, max_size=40).map("".join)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(documents, st.integers(min_value=200, max_value=4096))
def test_telegram_chunks_are_valid_within_limits_and_lose_nothing(
    markdown: str, limit: int
) -> None:
    document = parse_markdown(markdown)
    messages = telegram_messages(document, limit=limit)
    visible = [telegram_visible_text(m) for m in messages]
    assert all(utf16(text) <= limit for text in visible)
    whole = telegram_visible_text("".join(telegram_messages(document, limit=10**9)))
    squash = re.compile(r"\s+")
    assert squash.sub("", "".join(visible)) == squash.sub("", whole)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(documents, st.integers(min_value=200, max_value=2000))
def test_discord_chunks_fit_and_keep_fences_balanced(markdown: str, limit: int) -> None:
    messages = discord_messages(parse_markdown(markdown), limit=limit)
    assert all(len(m) <= limit and fences_balanced(m) for m in messages)


@settings(max_examples=150, deadline=None)
@given(documents, st.integers(min_value=5, max_value=400))
def test_excerpt_is_bounded_and_made_of_whole_graphemes(markdown: str, limit: int) -> None:
    text = excerpt(parse_markdown(markdown), limit=limit)
    body = text.removesuffix("...")
    assert len(regex.findall(r"\X", body)) <= limit
    assert "  " not in text and "\n" not in text


# -- the real-world corpus --------------------------------------------------------------


def _corpus() -> list[Path]:
    return sorted(ICLR_POSTS.glob("*.md")) if ICLR_POSTS.is_dir() else []


@pytest.mark.skipif(not ICLR_POSTS.is_dir(), reason="../shared/corpora is not beside the repo")
@pytest.mark.parametrize("path", _corpus(), ids=lambda p: p.stem[11:40])
def test_every_real_post_renders_within_every_limit(path: Path) -> None:
    body = path.read_text(encoding="utf-8").split("---", 2)[2]
    document = parse_markdown(body)
    card = excerpt(document, lang="en")
    assert 0 < len(card) <= 353 and "{%" not in card and "<d-cite" not in card
    for message in telegram_messages(document, header_html="<b>T</b>\n\n"):
        assert utf16(telegram_visible_text(message)) <= 4096
    for message in discord_messages(document, header="# T"):
        assert len(message) <= 2000 and fences_balanced(message)
    assert plain_text(document)


def test_fence_info_of_only_spaces_or_odd_characters() -> None:
    document = parse_markdown("```   \nplain\n```\n\n```c++ {.x}\nint\n```\n\n```<x>\ny\n```\n")
    langs = [getattr(block, "lang", None) for block in document.blocks]
    assert langs == ["", "c++", "x"]


@pytest.mark.parametrize(
    ("tex", "expected"),
    [
        ("\\theta_t", "θₜ"),
        ("x^2", "x²"),
        ("\\nabla_x \\log p_t(x)", "∇ₓ log pₜ(x)"),
        ("\\max_i x_i", "maxᵢ xᵢ"),
        ("\\mathbb{R}^d", "ℝᵈ"),
        ("\\hat{y}", "ŷ"),
        ("\\frac{a}{b}", None),
        ("\\text{loss}", None),
        ("\\lefteqn{x}", None),
    ],
)
def test_math_unicode_is_faithful_or_absent(tex: str, expected: str | None) -> None:
    from herald.content.render.text import math_unicode

    assert math_unicode(tex) == expected
