"""The scanners written for speed find exactly what their plain forms find.

CPython's `re` tries a pattern that opens with `^`, a lookahead or a group at every
character, and jumps between candidates only for one that opens with a literal; so the
pre-passes and the search text look for line starts after a newline (the text gets one
in front) and open every alternative with its first character.  Each fast form is
checked here against the plain pattern it replaced, kept as the oracle, on generated
text (the content tests' soups and strings of the characters these patterns care about)
and on every corpus file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from herald.content import kramdown, liquid, markdown_routing, searchable
from herald.content.protected import outside_protected, protected_regions
from herald.indexing import tokens
from herald.indexing.tokens import index_text
from tests.content.fragments import markdown_documents, markup_soup
from tests.content.test_front_ends_agree import _FILES, corpus_body, math_soup, site_soup

PROTECTED = r"""
      (?P<fence>^[ \t>]*(?P<ticks>`{3,}|~{3,})[^\n]*
        (?:\n.*?)??(?:\n[ \t>]*(?P=ticks)[`~]*[ \t]*(?=\n|\Z)|\Z))
    | (?P<span>(?P<bt>`+)(?:[^`\n]|\n(?![ \t]*\n)|(?!(?P=bt))`+)+?(?P=bt)(?!`))
    | (?P<math>^[ \t]{0,3}\$\$(?:(?!\n[ \t]*\n).)*?\$\$[ \t]*$
        |\$\$(?:(?!\n[ \t]*\n)[^$]|\$(?!\$))+?\$\$|\$(?:[^$\n]|\n(?![ \t]*\n))+?\$
        |\\\((?:(?!\n[ \t]*\n).)+?\\\)|\\\[(?:(?!\n[ \t]*\n).)+?\\\])
"""
"""The protected regions as first written (`^` for a line start, for `re.M`): the oracle."""
_PLAIN_PROTECTED = re.compile(rf"(?=[`~$\\]|^)(?:{PROTECTED})", re.S | re.M | re.X)
_PLAIN_LIQUID = re.compile(
    r"""
    (?=[`~$\\{]|^)
    (?:
      (?P<comment>\{%-?\s*comment\s*-?%\}.*?(?:\{%-?\s*endcomment\s*-?%\}|\Z))
    | (?P<block>\{%-?\s*(?P<kind>highlight|mermaid)\b(?P<args>[^%]*)%\}[ \t]*\n?
        (?P<body>.*?)\{%-?\s*end(?P=kind)\s*-?%\})
    | """
    + PROTECTED
    + r"""
    | (?P<figure>\{%-?\s*include\s+figure\.\w+\s(?P<attrs>(?:[^%]|%(?!\}))*?)-?%\})
    | (?P<twitter>\{%-?\s*twitter\s+(?P<tweet>\S+?)\s*-?%\})
    | (?P<shortcode>\{\{[<%]\s*(?P<code>figure|youtube|vimeo|bilibili)\s
        (?P<params>(?:[^<>%}]|[<>%](?!\}\}))*?)\s*[>%]\}\})
    | (?P<line>^[ \t]*\{%(?!-?\s*(?:include\s+figure|twitter|highlight|mermaid|comment)\b)
        (?:[^%]|%(?!\}))*%\}[ \t]*(?:\n|\Z))
    | (?P<tag>\{%(?:[^%]|%(?!\}))*%\}|\{\{(?:[^}]|\}(?!\}))*\}\})
    )
    """,
    re.S | re.M | re.X,
)
_PLAIN_KRAMDOWN = re.compile(
    r"""
    (?=[`$\\{ \t*^]|^)
    (?:"""
    + PROTECTED
    + rf"""
    | (?P<comment>\{{::comment\b[^}}]*?/\}}|\{{::comment\b[^}}]*\}}.*?(?:\{{:/(?:comment)?\}}|\Z))
    | (?P<nomarkdown>\{{::nomarkdown\b[^}}]*\}}(?P<raw>.*?)(?:\{{:/(?:nomarkdown)?\}}|\Z))
    | (?P<extension>\{{::\w+\b[^}}\n]*?/\}})
    | (?P<toc>^[ \t]{{0,3}}(?:[*+-]|\d+[.)])[ \t]+[^\n]*\n[ \t]{{0,3}}\{{:\s*toc\s*\}}[ \t]*$)
    | (?P<block>^(?P<prefix>(?:[ \t]{{0,3}}>)*[ \t]{{0,3}})
        (?:{kramdown._IAL}|\{{:[\w-]+:[^}}\n]*\}})[ \t]*$)
    | (?P<abbr>^[ \t]{{0,3}}\*\[[^\]\n]+\]:[^\n]*$)
    | (?P<eob>^\^[ \t]*$)
    | (?P<header>(?<=[^\s{{])[ \t]+{kramdown._HEADING_ATTRIBUTES}[ \t]*$)
    | (?P<ial>(?<=\S){kramdown._IAL})
    )
    """,
    re.S | re.M | re.X,
)
_PLAIN_LINE_MARKS = regex.compile(r"^[ \t]{0,3}(?:>[ \t]?)*(?:#{1,6}(?=[ \t]|$))?", regex.M)
_PLAIN_REFERENCE = regex.compile(r"^ {0,3}\[(?!\^)[^\]\n]+\]:[ \t]*\S.*$", regex.M)
_PLAIN_DIGITS = regex.compile(r"\p{N}+")
_PLAIN_ABBREVIATION = re.compile(r"^[ \t]{0,3}\*\[[^\]\n]+\]:", re.M)
_PLAIN_END_OF_BLOCK = re.compile(r"^\^[ \t]*$", re.M)
_PLAIN_TABLE_RULE = re.compile(r"(?m)^[ \t>]*(?=[-|: \t]*\|)(?=[-|: \t]*-)[-|: \t]+$")
_PLAIN_FENCE_LINE = re.compile(r"(?m)^[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)*(`{3,})(.*)$")
_PLAIN_ROUTING_SEARCHES = (
    (
        markdown_routing._TILDES_BY_PUNCTUATION,
        re.compile(r"[!-/:-@\[-`{-}\x80-\U0010ffff]~~|~~[!-/:-@\[-`{-}\x80-\U0010ffff]"),
    ),
    (markdown_routing._SINGLE_TILDES, re.compile(r"(?<!~)~(?!~)[^\n]*?(?<!~)~(?!~)")),
    (markdown_routing._MATH_THEN_TEXT, re.compile(r"(?:\$\$|\\\])[ \t]*\n[ \t>]*\S")),
)
_PLAIN_DELIMITER_RUN = re.compile(r"[*_~]+")

_PIECES = [
    *"\n\n\n  \t>#[]:^x中`~$\\(){}%-_1²*.|",
    "{%",
    "%}",
    "{{",
    "}}",
    "```",
    "\n\n",
    "{:",
    "{::comment}",
    "{:/comment}",
    "{:toc}",
    "{#id}",
    "{: .note}",
    "*[HTML]:",
    "~~",
    "---|---",
    "| a |",
]
_CHARACTERS = st.lists(st.sampled_from(_PIECES), max_size=80).map("".join)
texts = st.one_of(_CHARACTERS, markdown_documents, markup_soup, math_soup, site_soup)
_EXAMPLES = settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))


_PLAIN_KEPT = ("fence", "span", "math")


def _plain_liquid(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        if match.lastgroup in _PLAIN_KEPT:
            return match.group()
        return "" if match.lastgroup == "line" else liquid._replace(match)

    return _PLAIN_LIQUID.sub(replace, text)


def _plain_kramdown(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        if match.lastgroup in _PLAIN_KEPT:
            return match.group()
        if match.lastgroup == "block":
            return match.group("prefix").rstrip()
        if match.lastgroup in ("toc", "abbr", "eob"):
            return ""
        return kramdown._replace(match)

    return _PLAIN_KRAMDOWN.sub(replace, text)


def _plain_cjk_next_to_delimiter(source: str) -> bool:
    for run in _PLAIN_DELIMITER_RUN.finditer(source):
        start, end = run.span()
        if (start and source[start - 1] >= "\u1100") or source[end : end + 1] >= "\u1100":
            return True
    return False


def _plain_table_rule_headers(source: str) -> list[str]:
    """What `_odd_table` reads above each delimiter row: its header line and the row."""
    return [
        source[source.rfind("\n", 0, max(rule.start() - 1, 0)) + 1 : rule.end()]
        for rule in _PLAIN_TABLE_RULE.finditer(source)
    ]


def _check_routing(text: str) -> None:
    rules = [(m.start(), m.end()) for m in _PLAIN_TABLE_RULE.finditer(text)]
    fast_rules = markdown_routing._TABLE_RULE.finditer("\n" + text)
    assert [(m.start(1) - 1, m.end(1) - 1) for m in fast_rules] == rules, repr(text)
    fences = [m.groups() for m in _PLAIN_FENCE_LINE.finditer(text)]
    fast_fences = markdown_routing._FENCE_LINE.finditer("\n" + text)
    assert [m.groups() for m in fast_fences] == fences, repr(text)
    for fast, plain in _PLAIN_ROUTING_SEARCHES:
        assert (fast.search(text) is None) == (plain.search(text) is None), repr(text)
    headers = [header for header, _ in markdown_routing._table_rules(text)]
    assert headers == _plain_table_rule_headers(text), repr(text)
    cjk = markdown_routing._cjk_next_to_delimiter(text)
    assert cjk == _plain_cjk_next_to_delimiter(text), repr(text)


def _check(text: str) -> None:
    _check_routing(text)
    found = [(m.start(), m.end(), m.lastgroup) for m in _PLAIN_PROTECTED.finditer(text)]
    assert list(protected_regions(text)) == found, repr(text)
    if "{%" in text or "{{" in text:
        no_raw = text.replace("\x00", "")  # `resolve_liquid` stashes `{% raw %}` with NULs
        resolved = outside_protected(liquid._SCAN, liquid._replace, no_raw)
        assert resolved == _plain_liquid(no_raw)
    for fast, plain in (
        (kramdown._ABBREVIATION, _PLAIN_ABBREVIATION),
        (kramdown._END_OF_BLOCK, _PLAIN_END_OF_BLOCK),
    ):
        assert (fast.search("\n" + text) is None) == (plain.search(text) is None), repr(text)
    kramdown_removed = outside_protected(kramdown._SCAN, kramdown._replace, text)
    assert kramdown_removed == _plain_kramdown(text), repr(text)
    gap = searchable._GAP
    line_marks = searchable._LINE_MARKS.sub("\n" + gap, "\n" + text)[1:]
    assert line_marks == _PLAIN_LINE_MARKS.sub(gap, text), repr(text)
    references = searchable._REFERENCE.sub("\n", "\n" + text)[1:]
    assert references == _PLAIN_REFERENCE.sub("", text), repr(text)
    runs = tokens._CJK_RUN.sub(tokens._spaced_run, text)
    assert index_text(text) == _PLAIN_DIGITS.sub(lambda match: f" {match.group()} ", runs)


@_EXAMPLES
@given(texts)
def test_the_fast_scans_find_what_the_plain_patterns_find(text: str) -> None:
    _check(text)


@pytest.mark.parametrize("path", _FILES, ids=lambda path: path.name)
def test_the_fast_scans_agree_on_every_corpus_file(path: Path) -> None:
    _check(corpus_body(path))


def test_no_cjk_character_comes_before_where_the_index_looks_for_cjk() -> None:
    below = "".join(map(chr, range(0x1100)))
    assert tokens._CJK_CHAR.search(below) is None
    assert tokens._MAYBE_CJK.fullmatch("\u1100中ア한") is not None
