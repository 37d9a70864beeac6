"""The pyromark front end gives markdown-it's Document, on every post it is sent.

`parse_markdown` sends a body to pulldown-cmark (`herald.content.pyromark_document`)
unless `herald.content.markdown_routing` says it may read differently there; whatever it
is sent must come out exactly as the markdown-it front end makes it.  Checked on
generated Markdown (the content tests' fragments and markup soup, a mix of math
delimiters, and pieces for CJK emphasis, kramdown markers, Liquid and raw HTML) and on
every file of the shared corpora and the fixture sites.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from herald.content.frontmatter import split_frontmatter
from herald.content.markdown import markdown_it_document, parse_markdown
from herald.content.markdown_routing import needs_markdown_it
from herald.content.prepass import prepared
from herald.content.pyromark_document import (
    Declined,
    exact_document,
    path_of,
    pyromark_document,
)
from tests.content.fragments import markdown_documents, markup_soup

_MATH_PIECES = [
    "$", "$$", "\\(", "\\)", "\\[", "\\]", "\\$", "\\\\", "`", "``", "x", " ", "\n", "\n\n",
    "> ", "- ", "1. ", "    ", "|", "| a | b |\n|---|---|\n", "*", "_", "~", "~~", "5", "a_1",
    "\\alpha", "{", "}", "<b>", "</b>", "<br>", "[l](u)", "[", "](", ")", "![i](s.png)", "#",
    "^[", "]", "[^1]", "\n\n[^1]: n\n\n", "&amp;", "\u3000", "\xa0", "中", "<d-footnote>",
    "</d-footnote>", "<https://a.b/c>", "```\n", "(1)",
]  # fmt: skip
_SITE_PIECES = [
    "这是**前1%**的人", "**粗体**", "中文*强调*。", "「**引用**」", "*", "**", "_", "~~",
    "{: .note}\n", "{:toc}\n", "* TOC\n{:toc}\n\n", "{::comment}\nhidden\n{:/comment}\n",
    "{% raw %}{{ x }}{% endraw %}", "{{ '/a.png' | relative_url }}", "{% include x.html %}",
    "{{< youtube abc >}}", '<div class="x">\n', "</div>\n", "<p align=\"center\">hi</p>\n",
    "## Heading\n", "- **item**\n", '<a name="x" />\n', "<iframe src=\"https://www.youtube.com/embed/abc\"></iframe>",
    "<video src=\"v.mp4\"></video>", "<!-- note -->\n", "<!--\n\n-->\n", "<font color=\"red\">",
    "</font>", "<s>", "List<int>", "\n", "\n\n", " ", "text", "$x$", "$$\ny\n$$\n",
    "```python\nprint(1)\n```\n", "| a | b |\n|---|---|\n| 1 | 2 |\n", "> ", "1. ",
]  # fmt: skip
math_soup = st.lists(st.sampled_from(_MATH_PIECES), max_size=60).map("".join)
site_soup = st.lists(st.sampled_from(_SITE_PIECES), max_size=40).map("".join)
_EXAMPLES = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))


def _agree(body: str) -> None:
    source = prepared(body)
    if needs_markdown_it(source):
        return  # read by markdown-it itself: nothing to compare
    try:
        document = pyromark_document(source)
    except Declined:
        return  # declined at parse time: read by markdown-it too
    assert document == markdown_it_document(source), repr(body)
    assert parse_markdown(body) == document


@_EXAMPLES
@given(markdown_documents)
def test_fragments_read_alike(body: str) -> None:
    _agree(body)


@_EXAMPLES
@given(markup_soup)
def test_markup_soup_reads_alike(body: str) -> None:
    _agree(body)


@_EXAMPLES
@given(math_soup)
def test_math_delimiters_read_alike(body: str) -> None:
    _agree(body)


@_EXAMPLES
@given(site_soup)
def test_cjk_kramdown_liquid_and_html_read_alike(body: str) -> None:
    _agree(body)


@_EXAMPLES
@given(math_soup)
def test_pulldown_math_never_differs_from_the_exact_path(body: str) -> None:
    """The fast path keeps pulldown-cmark's math only when it matches; it must never
    give another Document than the exact path (placeholders) would."""
    source = prepared(body)
    if not needs_markdown_it(source) and path_of(source) == "pulldown math":
        with contextlib.suppress(Declined):
            assert pyromark_document(source) == exact_document(source), repr(body)


def test_the_router_sends_what_pulldown_cannot_read_to_markdown_it() -> None:
    assert needs_markdown_it(prepared("这是**前1%**的人"))
    assert needs_markdown_it(prepared('<p align="center">x</p>\n## Heading\n'))
    assert needs_markdown_it(prepared("~~gone~~~~gone~~"))
    assert needs_markdown_it(prepared("| a | b |\n|---|---|\n    c\n"))
    assert not needs_markdown_it(prepared("| a | b |\n|---|---|\n| c | d |\n\n    code\n"))
    assert not needs_markdown_it(prepared("Plain **bold** and $x$.\n\n<div>\n</div>\n"))
    assert parse_markdown("这是**前1%**的人") == markdown_it_document("这是**前1%**的人")


_ROOT = Path(__file__).resolve().parents[2]
_CORPORA = [Path("/work/shared/corpora"), _ROOT / "tests" / "fixtures" / "sites", _ROOT / "content"]
_FILES = sorted(
    path
    for root in _CORPORA
    if root.is_dir()
    for path in root.rglob("*")
    if path.suffix in (".md", ".markdown") and path.is_file()
)


def corpus_body(path: Path) -> str:
    """The Markdown body of a corpus or fixture file (after its frontmatter, if any)."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")  # the fixture sites' legacy encodings: bytes as text
    split = split_frontmatter(text)
    return text if isinstance(split, str) else split[1]


@pytest.mark.parametrize("path", _FILES, ids=lambda path: path.name)
def test_every_corpus_file_reads_alike(path: Path) -> None:
    _agree(corpus_body(path))


def test_the_digit_ranges_are_this_pythons_isdigit() -> None:
    """markdown-it-py's digit check is `str.isdigit()`; the math scan's table must agree."""
    from herald.content.pyromark_math import _DIGIT_RANGES

    listed = {code for first, last in _DIGIT_RANGES for code in range(first, last + 1)}
    assert listed == {code for code in range(sys.maxunicode + 1) if chr(code).isdigit()}
