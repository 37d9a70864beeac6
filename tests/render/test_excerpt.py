"""The card excerpt: the reference feed's reading experience, without its losses."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from herald.content.document import Document
from herald.content.markdown import parse_markdown
from herald.render import excerpt, excerpt_text
from herald.render.excerpt import _cut, _cut_by_grapheme, placeholders
from herald.render.text import math_unicode
from tests.content.fragments import any_markdown
from tests.content.test_front_ends_agree import _FILES, corpus_body

FAMILY = "👨\u200d👩\u200d👧\u200d👦"  # one grapheme, seven code points, eleven UTF-16 units
FLAG = "🇨🇳"


def ex(markdown: str, *, lang: str = "zh", limit: int = 350) -> str:
    return excerpt(parse_markdown(markdown), lang=lang, limit=limit)


def graphemes(text: str) -> list[str]:
    return [match.group() for match in regex.finditer(r"\X", text)]


def test_excerpt_keeps_every_character_the_reference_feed_dropped() -> None:
    text = ex(
        "## 相关内容\n\n自监督学习(Self-supervised)：TP 是 IoU>0.5 的检测框，FP 是 IoU<=0.5 的，"
        "a*b 与 x<y、A&B、<tag> 和 snake_case 都要保留，Mixture-of-Experts 见 "
        "https://arxiv.org/abs/2205.14135?a=1&b=2 。\n"
    )
    assert text == (
        "相关内容 自监督学习(Self-supervised)：TP 是 IoU>0.5 的检测框，FP 是 IoU<=0.5 的，"
        "a*b 与 x<y、A&B、<tag> 和 snake_case 都要保留，Mixture-of-Experts 见 "
        "https://arxiv.org/abs/2205.14135?a=1&b=2 。"
    )


def test_headings_and_list_numbers_read_as_text_like_the_feed() -> None:
    text = ex("# 简介\n\n24年12月，发布。\n\n1. 先训练\n2. 再微调\n\n- 无序\n- 列表\n")
    assert text == "简介 24年12月，发布。 1. 先训练 2. 再微调 无序 列表"


def test_chinese_placeholders_and_inline_math() -> None:
    text = ex(
        "参数 $\\theta_t$ 与 $x^2$，以及 $\\frac{a}{b}$：\n\n```python\nprint(1)\n```\n\n"
        "$$\nE = mc^2\n$$\n\n    indented code\n"
    )
    assert text == "参数 θₜ 与 x²，以及 [Math]： [代码] [公式] [代码]"


def test_english_placeholders() -> None:
    text = ex("Uses $\\frac{1}{2}$.\n\n```\ncode\n```\n\n$$\nx\n$$\n", lang="en")
    assert text == "Uses [math]. [code] [formula]"
    assert placeholders("en") == {"code": "[code]", "formula": "[formula]", "math": "[math]"}


def test_unknown_language_reads_english_placeholders() -> None:
    assert ex("```\nx\n```\n", lang="fr") == "[code]"
    assert ex("```\nx\n```\n", lang="zh-CN") == "[代码]"


def test_inline_math_is_unicode_only_when_faithful() -> None:
    text = ex(
        "$\\nabla_x \\log p_t(x)$, $\\mathbb{R}^d$, $\\text{loss}$, $\\left( x \\right)$, "
        "$\\sqrt{2}$, $\\operatorname{softmax}$, $$a_i$$ inline\n",
        lang="en",
    )
    assert text == "∇ₓ log pₜ(x), ℝᵈ, loss, ( x ), [math], softmax, aᵢ inline"


def test_images_footnotes_and_citations_leave_no_trace() -> None:
    text = ex(
        'See ![架构图](a.png) the model[^1]<d-cite key="x"></d-cite>.\n\n'
        '<img src="b.png" alt="photo">\n\n[^1]: A footnote body.\n',
        lang="en",
    )
    assert text == "See the model."


def test_html_and_liquid_never_leak_but_their_text_stays() -> None:
    text = ex(
        'Intro <d-cite key="a"></d-cite>text&nbsp;with &lt;entities&gt;.\n\n'
        '<div class="x">\n  <b>bold</b> &amp; kept\n</div>\n\n'
        '{% include figure.html path="assets/img/a.png" class="img-fluid" %}\n\n'
        "{% highlight python %}\nprint(1)\n{% endhighlight %}\n\n<script>track()</script>\n\n"
        "{% raw %}{{ literal }}{% endraw %} and {{ site.title }}\n",
        lang="en",
    )
    assert text == "Intro text with <entities>. bold & kept [code] {{ literal }} and"


def test_tables_quotes_and_rules_read_as_their_text() -> None:
    text = ex("> 引用一句\n\n---\n\n| 方案 | 显存 |\n|---|---|\n| MHA | 1 |\n")
    assert text == "引用一句 方案 显存 MHA 1"


@pytest.mark.parametrize(
    ("tex", "expected"),
    [
        ("\\theta_t", "θₜ"),
        ("x^2", "x²"),
        ("\\nabla_x \\log p_t(x)", "∇ₓ log pₜ(x)"),  # \\log is not ł + og
        ("\\max_i x_i", "maxᵢ xᵢ"),
        ("\\mathbb{R}^d", "ℝᵈ"),
        ("\\hat{y}", "ŷ"),
        ("\\text{loss} + \\left[ a \\right]", "loss + [ a ]"),
        ("\\frac{a}{b}", None),
        ("\\sqrt{2}", None),
        ("\\lefteqn{x}", None),
        ("\\operatorname{soft}{max}", None),
        ("   ", None),
    ],
)
def test_math_unicode_is_faithful_or_absent(tex: str, expected: str | None) -> None:
    assert math_unicode(tex) == expected


# -- the cut ---------------------------------------------------------------------------


def test_cut_at_the_limit_with_an_uncounted_ellipsis() -> None:
    assert ex("字" * 400) == "字" * 350 + "..."
    assert ex("字" * 350) == "字" * 350  # exactly the limit: not cut, no ellipsis
    assert ex("short") == "short"


def test_cut_never_splits_a_grapheme() -> None:
    assert ex(f"{'a' * 9}{FAMILY}{FAMILY}", limit=10) == "a" * 9 + FAMILY + "..."
    assert ex(f"{FLAG * 12}", limit=5) == FLAG * 5 + "..."
    decomposed = "e\u0301" * 8  # é as e + combining acute: one grapheme each
    assert ex(decomposed, limit=3) == "e\u0301" * 3 + "..."
    assert ex("中文" * 10 + FAMILY, limit=21) == "中文" * 10 + FAMILY


def test_cut_never_splits_a_placeholder_and_drops_the_trailing_space() -> None:
    assert ex("abcdefgh\n\n```\nx\n```\n\nmore", limit=10) == "abcdefgh..."
    assert ex("abcde\n\n```\nx\n```\n\nmore", limit=10) == "abcde [代码]..."


def test_a_long_post_is_marked_as_cut_even_when_it_stops_reading_early() -> None:
    blocks = "\n\n".join(FAMILY * 300 for _ in range(5))
    text = ex(blocks, limit=400)
    assert text.endswith("...") and len(graphemes(text.removesuffix("..."))) <= 400


def test_summary_gets_the_same_cleanup_and_cut() -> None:
    assert excerpt_text("  一行\n  两行 ") == "一行 两行"
    assert excerpt_text("x" * 20, limit=5) == "xxxxx..."
    assert excerpt_text("**AdamW** 把 $\\lambda$ 从 <b>梯度</b> 里拿出来 &amp; a*b") == (
        "AdamW 把 λ 从 梯度 里拿出来 & a*b"
    )
    assert excerpt_text("1. 第一点 - 第二点 {% raw %}x{% endraw %}") == "1. 第一点 - 第二点 x"
    assert excerpt_text("$\\frac{a}{b}$", lang="en") == "[math]"


# -- properties ------------------------------------------------------------------------

JOINING = st.sampled_from(
    [
        "e\u0301",
        FAMILY,
        FLAG,
        "🇨",
        "👍🏽",
        "\u1100\u1161\u11a8",
        "가",
        "क्ष",
        "\u0e01\u0e33",
        "\u0600",
        "\r\n",
        "\r",
        "\u200d",
        "\ufe0f",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from(["字", "a", " ", "[代码]", "[Math]"]), JOINING)),
    st.integers(min_value=1, max_value=40),
)
def test_the_quick_cut_agrees_with_counting_graphemes_one_by_one(
    pieces: list[str], limit: int
) -> None:
    text = "".join(pieces)
    marks = placeholders("zh")
    assert _cut(text, limit, marks) == _cut_by_grapheme(text, limit, marks)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_markdown, st.integers(min_value=1, max_value=400), st.sampled_from(["zh", "en"]))
def test_excerpt_is_bounded_collapsed_and_a_prefix_on_a_grapheme_boundary(
    markdown: str, limit: int, lang: str
) -> None:
    document = parse_markdown(markdown)
    text = excerpt(document, lang=lang, limit=limit)
    full = excerpt(document, lang=lang, limit=10**9)
    assert "  " not in text and "\n" not in text and text == text.strip()
    if text == full:
        assert len(graphemes(full)) <= limit
        return
    body = text.removesuffix("...")
    assert text.endswith("...") and len(graphemes(body)) <= limit
    assert full.startswith(body)
    boundaries = {0}
    for grapheme in graphemes(full):
        boundaries.add(max(boundaries) + len(grapheme))
    assert len(body) in boundaries
    for mark in placeholders(lang).values():
        assert not any(body.endswith(mark[:k]) for k in range(2, len(mark)))


def _without_early_stop(document: Document, lang: str, limit: int) -> str:
    """The excerpt as read block by block up to four times the limit (the oracle)."""
    excerpt_module: Any = sys.modules["herald.render.excerpt"]  # the package exports the function
    early = excerpt_module._ENOUGH
    excerpt_module._ENOUGH = 10**9
    try:
        return excerpt(document, lang=lang, limit=limit)
    finally:
        excerpt_module._ENOUGH = early


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(any_markdown, st.sampled_from([FAMILY, FLAG, "e\u0301", "\n\n"])), max_size=6
    ).map("".join),
    st.integers(min_value=1, max_value=120),
    st.sampled_from(["zh", "en"]),
)
def test_stopping_early_cuts_where_reading_on_cuts(markdown: str, limit: int, lang: str) -> None:
    document = parse_markdown(markdown)
    assert excerpt(document, lang=lang, limit=limit) == _without_early_stop(document, lang, limit)


@pytest.mark.parametrize("path", _FILES, ids=lambda path: path.name)
def test_stopping_early_cuts_where_reading_on_cuts_in_every_corpus_file(path: Path) -> None:
    document = parse_markdown(corpus_body(path))
    for limit in (40, 120, 350):
        expected = _without_early_stop(document, "zh", limit)
        assert excerpt(document, lang="zh", limit=limit) == expected


def test_graphemes_of_many_code_points_are_read_on_past_the_early_stop() -> None:
    document = parse_markdown(FAMILY * 30 + "\n\n" + "字" * 50)  # 210 code points, 30 graphemes
    text = excerpt(document, limit=60)  # 60 + 64 < 210 < 4 × 60
    assert text == FAMILY * 30 + " " + "字" * 29 + "..."
    assert text == _without_early_stop(document, "zh", 60)
