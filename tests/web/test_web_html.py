"""The body renderer on its own: escaping, links, math fallbacks, images."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from herald.content.document import (
    CodeBlock,
    Document,
    HtmlBlock,
    Image,
    Link,
    Math,
    MathBlock,
    Paragraph,
    Text,
)
from herald.render.web_html import safe_href, web_body
from herald.render.web_math import style_hashes


def body(*blocks: object) -> str:
    return web_body(Document(tuple(blocks)), image_urls={"a.png": "/media/a.png"}).html  # type: ignore[arg-type]


_WRAPPERS = (
    "<p>",
    "</p>",
    '<p class="html-text">',
    '<div class="scroll" tabindex="0" role="region" aria-label="code">',
    '<pre class="plain"><code>',
    "</code></pre></div>",
)


@given(st.text())
def test_text_is_never_markup(text: str) -> None:
    rendered = body(Paragraph((Text(text),)), HtmlBlock(text), CodeBlock("", text))
    for wrapper in _WRAPPERS:
        rendered = rendered.replace(wrapper, "")
    assert "<" not in rendered and ">" not in rendered


def test_only_followable_links_are_links() -> None:
    for href in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", " vbscript:x"):
        assert safe_href(href) is None
        assert "<a " not in body(Paragraph((Link(href, (Text("x"),)),)))
    assert safe_href("//evil.example/x") == "https://evil.example/x"
    assert safe_href("#fn-1") == "#fn-1" and safe_href("mailto:a@b.c") == "mailto:a@b.c"


def test_hostile_tex_stays_text() -> None:
    rendered = body(Paragraph((Math(r"\text{<script>alert(1)</script>}"),)))
    assert "<script>" not in rendered and "&lt;script&gt;" in rendered


def test_tex_that_cannot_convert_is_shown_as_code() -> None:
    inline = body(Paragraph((Math(r"\frac{1}{"),)))
    assert '<code class="tex-fallback">\\frac{1}{</code>' in inline
    display = body(MathBlock(r"\href{javascript:alert(1)}{x}"))
    assert '<pre class="tex-fallback"><code>' in display and "<a" not in display


def test_math_styles_are_allowed_by_hash_only() -> None:
    """math-core aligns `align` columns with inline styles: the page allows those values."""
    rendered = web_body(Document((MathBlock(r"\begin{align} a &= b \\ c &= d \end{align}"),)))
    assert ' style="width: 50%"' in rendered.html
    expected = style_hashes(["width: 50%"])[0]
    assert expected in rendered.style_hashes
    assert web_body(Document((MathBlock("x^2"),))).style_hashes == ()


def test_only_local_images_are_requested() -> None:
    rendered = body(
        Paragraph((Image("a.png", "local"), Image("https://x.example/b.png", "remote")))
    )
    assert '<img src="/media/a.png" alt="local"' in rendered
    assert (
        '<a href="https://x.example/b.png" rel="noopener noreferrer nofollow">🖼 remote</a>'
        in rendered
    )
    assert rendered.count("<img") == 1
