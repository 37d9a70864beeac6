"""The words of a post for the search index, read from its Markdown source without parsing it.

Search needs every word a reader can see, not the document's structure, and a sync that
indexes 100k posts cannot afford a full Markdown parse of each only for that (the parse is
most of a post's cost; cards are rendered from the parsed document later, see
`herald.indexing.excerpts`).  So the index reads the source, with what a reader never sees
taken out: link and image destinations, reference definitions, footnote labels, HTML tags
and comments (outside code and math, where a reader sees them as written), the content
of scripts and styles, Liquid tags and kramdown's markers (the source is prepared exactly
as the parser's, `herald.content.prepass`).  Everything else stays: code, LaTeX as
written, alt texts, list numbers and fence languages (harmless extra words); an embedded
player adds the label of the link it becomes (`herald.content.embeds`).

Markup between two CJK characters is removed without a gap (`**注意**力`, `[梯度](…)检查`),
so the bigrams and phrases of the text as read are all there.  The tests check, over every
corpus, that each word and each CJK run of the rendered text (`render.search_text`) is found
in this one.
"""

from __future__ import annotations

import html
import re

import regex

from herald.content.embeds import MEDIA_TAG, media_label_of_tag
from herald.content.prepass import prepared
from herald.content.protected import protected_regions
from herald.content.rawhtml import SILENT

_GAP = "\x1f"
"""Stands where markup was, until the end decides: nothing between CJK, a space elsewhere."""
_CJK = r"\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}"

_COMMENT = regex.compile(r"<!--.*?-->", regex.S)
_SILENT = regex.compile(
    rf"<({'|'.join(sorted(SILENT))})\b[^>]*(?<!/)>(?:(?!\n[ \t]*\n).)*?</\1\s*>",
    regex.S | regex.I,
)
"""A silent element with its content, within one block; an unclosed one loses its tag only
(whatever follows is indexed: an extra word is harmless, a lost one is not)."""
_ASIDE = regex.compile(
    r"<d-footnote\b[^>]*>((?:(?!\n[ \t]*\n).)*?)</d-footnote\s*>", regex.S | regex.I
)
"""A distill footnote: read at the end of the post, as the rendered text has it, so the
text around it joins up as a reader sees it (two CJK runs either side become one)."""
_IMG_ALT = regex.compile(
    r"""<img\b[^>]*?\balt\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))[^>]*>""", regex.I
)
_PLAYER = regex.compile(MEDIA_TAG.pattern, regex.I)
_TAG = regex.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_REFERENCE = re.compile(r"\n {0,3}\[(?!\^)[^\]\n]+\]:[ \t]*\S[^\n]*")
"""A reference definition's line, with the newline before it: patterns here that look for
line starts do so after a newline (the text gets one in front), since a regex opening
with `^` is tried at every character, one opening with a literal only where it stands."""
_FOOTNOTE = regex.compile(r"\[\^[^\]\s]+\](?::)?")
_DESTINATION = regex.compile(
    r"""\]\(\s*(?:<[^>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)"""
    r"""(?:\s+(?:"[^"\n]*"|'[^'\n]*'|\([^)\n]*\)))?\s*\)"""
)
_MARKS = regex.compile(r"[*~`\[\]]+|!(?=\[)|(?<![\p{L}\p{N}])_+|_+(?![\p{L}\p{N}])")
_JOIN = regex.compile(rf"(?<=[{_CJK}]){_GAP}+(?=[{_CJK}])")
_LINE_MARKS = re.compile(r"\n[ \t]{0,3}(?:>[ \t]?)*(?:#{1,6}(?=[ \t\n]|\Z))?")
"""A line's quote markers and heading hashes: Markdown, not text."""
_FENCE_END = re.compile(r"[ \t>]*(?:`{3,}|~{3,})[`~]*[ \t]*")


def _player(match: regex.Match[str]) -> str:
    label = media_label_of_tag(match.group())
    return match.group() if label is None else f"{_GAP}{label}{_GAP}{match.group()}"


def _alt(match: regex.Match[str]) -> str:
    return _GAP + next((group for group in match.groups() if group is not None), "") + _GAP


def _without_html(text: str, asides: list[str]) -> str:
    """Prose with its HTML taken out (a player's label and an image's alt text stay);
    distill footnotes go to `asides`, for the end of the text."""
    if "<" not in text:
        return text
    text = _COMMENT.sub(_GAP, text)
    text = _PLAYER.sub(_player, text)
    if "<d-footnote" in text:
        asides.extend(match.group(1) for match in _ASIDE.finditer(text))
        text = _ASIDE.sub(_GAP, text)
    text = _SILENT.sub(_GAP, text)
    text = _IMG_ALT.sub(_alt, text)
    text = _TAG.sub(_GAP, text)
    return text


def _visible(text: str) -> str:
    """Markdown's marks taken out of the prose (emphasis, brackets, heading and quote
    markers); code keeps every character a reader sees in it, only its fences and
    backticks go, so a snippet cut from this text shows code as it is written."""
    if "`" not in text and "~~~" not in text:
        return _prose_marks(text)
    pieces, last = [], 0
    for start, end, kind in protected_regions(text):
        pieces += [_prose_marks(text[last:start]), _code_text(text[start:end], kind)]
        last = end
    return "".join([*pieces, _prose_marks(text[last:])])


def _prose_marks(text: str) -> str:
    return str(_MARKS.sub(_GAP, _LINE_MARKS.sub("\n" + _GAP, "\n" + text)[1:]))


def _code_text(code: str, kind: str) -> str:
    if kind == "fence":
        # The opening line keeps what follows its fence: a language (a harmless extra
        # word), or text when the line is no fence at all (`` ```*`中 ``: backticks in it).
        first, *lines = code.split("\n")
        if lines and _FENCE_END.fullmatch(lines[-1]):
            lines.pop()
        return _GAP + "\n".join([first.lstrip(" \t>`~"), *lines]) + _GAP
    if kind == "span":
        return _GAP + code.strip("`") + _GAP
    return code


def searchable_text(markdown: str) -> str:
    """The words of a Markdown body as the search index stores them, in one line."""
    text = prepared(markdown)
    if "<" in text:
        asides: list[str] = []
        if "`" in text or "~~~" in text or "$" in text or "\\" in text:
            pieces, last = [], 0
            for start, end, _ in protected_regions(text):
                pieces += [_without_html(text[last:start], asides), text[start:end]]
                last = end
            text = "".join([*pieces, _without_html(text[last:], asides)])
        else:
            text = _without_html(text, asides)
        text = "\n\n".join([text, *(_without_html(aside, []) for aside in asides)])
    if "]" in text:
        text = _REFERENCE.sub("\n", "\n" + text)[1:]
        text = _FOOTNOTE.sub(_GAP, text)
        text = _DESTINATION.sub("]", text)
    if "&" in text:
        text = html.unescape(text)
    text = _visible(text)
    text = _JOIN.sub("", text)
    return " ".join(text.replace(_GAP, " ").split())
