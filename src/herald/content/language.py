"""A post's language from the text a reader sees: code, math, URLs and markup left out.

Guessing from the first 600 characters of raw Markdown made a Chinese post that opens
with a code block (or a block of LaTeX, or a row of image links) English, with `[code]`
on its card.  The share-of-CJK rule (`i18n.language_by_script`) reads the visible text
instead.  Blocks that are not prose
(fenced code, `$$` display math, `<style>`/`<script>`, multi-line comments) are jumped
over with one search for their end; in the lines left, inline code, math, HTML tags,
link and image destinations, URLs and Liquid are cut out, each by a small regex that
starts with a literal character (the fast kind for Python's `re`), and only on lines that
hold one of those characters.  The share is counted on UTF-8 bytes with
`bytes.translate` (C speed): CJK characters by their lead byte, against ASCII letters.
Lines are read until 600 such letters are seen, or 100 of which a quarter are CJK.

Digits, punctuation and accented Latin letters are not counted: `1. 2. 3.` lists and
tables of numbers say nothing about the language, and neither Herald language is written
with accents.  Indented code is left in (telling it from a nested list item needs the
parser); it is rare in blogs, and fences are not.
"""

from __future__ import annotations

import re

from herald.core.i18n import language_by_script

SAMPLE = 600
"""Letters (CJK characters and ASCII letters) read before deciding."""
CHUNK = 1000
"""Characters of plain lines read at a time (one regex substitution and one count each)."""
_FENCE = re.compile(r"^[ \t>]*(`{3,}|~{3,})")
_CUTS = tuple(
    (trigger, re.compile(pattern, re.S))
    for trigger, pattern in (
        ("`", r"`[^`\n]*`"),  # code spans (the common one-backtick kind)
        ("$$", r"\$\$[^\n]*?\$\$"),  # display math written inline
        ("$", r"\$[^$\n]+\$"),  # inline math
        ("\\(", r"\\\([^\n]*?\\\)"),
        ("\\[", r"\\\[[^\n]*?\\\]"),
        ("<!--", r"<!--.*?-->"),
        ("<", r"<[A-Za-z/!][^>]*>"),  # tags (their text stays)
        ("](", r"\]\([^)]*\)"),  # link and image destinations
        ("://", r"://\S*"),  # URLs (the scheme's few letters stay)
        ("{", r"\{[{%][^}]*\}\}?"),  # Liquid
    )
)
"""What a reader does not see, each cut only from text that holds its first characters
(a literal-first pattern is the fast kind for Python's `re`)."""
_OPENER = re.compile(r"^[ \t>]*(?:`{3}|~{3}|\$\$|\\\[)|<!--|<(?:script|style)\b", re.M | re.I)
"""Where a line may open a block that is not prose: one search finds the next one."""
_END_DISPLAY = re.compile(r"\$\$[^\n]*$", re.M)
_END_BRACKET = re.compile(r"\\\][^\n]*$", re.M)
_END_COMMENT = re.compile(r"-->[^\n]*$", re.M)
_SILENT = re.compile(r"<(script|style)\b", re.I)
_END_STYLE = re.compile(r"</style\s*>[^\n]*$", re.M | re.I)
_END_SCRIPT = re.compile(r"</script\s*>[^\n]*$", re.M | re.I)
_LETTERS = bytes(range(ord("A"), ord("Z") + 1)) + bytes(range(ord("a"), ord("z") + 1))
_NOT_LETTERS = bytes(b for b in range(256) if b not in _LETTERS)
_CJK_LEADS = bytes(range(0xE3, 0xEA))  # U+3000–U+9FFF: CJK punctuation, kana, Han
_HANGUL_LEADS = bytes(range(0xEA, 0xEE))  # U+A000–U+DFFF: Hangul syllables among them
_NOT_CJK = bytes(b for b in range(256) if b not in _CJK_LEADS + _HANGUL_LEADS)


def visible_counts(title: str, body: str, size: int = SAMPLE) -> tuple[int, int]:
    """(CJK characters, ASCII letters) in the title and the body's visible text, read
    until `size` letters are counted.  Plain lines are read `CHUNK` characters at a time
    up to the next line that may open a block; a block of code, display math, a comment,
    a style or a script is jumped over with one search for its end."""
    cjk, latin = _counts(title)
    position = 0
    length = len(body)
    while position < length and cjk + latin < size and not _clear(cjk, latin):
        limit = min(length, position + CHUNK)
        opener = _OPENER.search(body, position, limit)
        if opener is not None:
            start = body.rfind("\n", position, opener.start()) + 1
        else:
            start = limit if limit == length else body.find("\n", limit)
            start = length if start < 0 else start
        if start > position:  # plain lines up to the opener (or a chunk of them)
            more_cjk, more_latin = _counts(_visible(body[position:start]))
            cjk += more_cjk
            latin += more_latin
            position = start
            continue
        end = body.find("\n", position)
        end = length if end < 0 else end
        line = body[position:end]
        position = end + 1
        closing = _opens(line)
        if closing is not None:
            found = closing.search(body, position)
            position = length if found is None else found.end() + 1
            continue
        more_cjk, more_latin = _counts(_visible(line))
        cjk += more_cjk
        latin += more_latin
    return cjk, latin


def _visible(text: str) -> str:
    for trigger, cut in _CUTS:
        if trigger in text:
            text = cut.sub(" ", text)
    return text


def _clear(cjk: int, latin: int) -> bool:
    """Decided before `size` letters: a quarter CJK after a hundred letters is Chinese
    whatever follows (an English post does not open that way)."""
    return cjk >= 25 and cjk * 4 >= cjk + latin >= 100


def _opens(line: str) -> re.Pattern[str] | None:
    """Where the block a line opens (and does not close) ends: a code fence, display
    math, a comment."""
    fence = _FENCE.match(line)
    if fence:
        ticks = fence.group(1)
        return re.compile(rf"^[ \t>]*{re.escape(ticks[0])}{{{len(ticks)},}}[ \t]*$", re.M)
    stripped = line.strip()
    if stripped.startswith("$$") and stripped.count("$$") % 2:
        return _END_DISPLAY
    if stripped.startswith("\\[") and "\\]" not in stripped:
        return _END_BRACKET
    if "<!--" in line and "-->" not in line[line.rfind("<!--") :]:
        return _END_COMMENT
    silent = _SILENT.search(line)
    if silent and f"</{silent.group(1).lower()}" not in line.lower():
        return _END_STYLE if silent.group(1).lower() == "style" else _END_SCRIPT
    return None


def _counts(text: str) -> tuple[int, int]:
    data = text.encode("utf-8", "surrogatepass")
    return len(data.translate(None, _NOT_CJK)), len(data.translate(None, _NOT_LETTERS))


def detect_lang(title: str, body: str, fallback: str | None = None) -> str:
    """`zh` or `en` by the share of CJK in what a reader sees; `fallback` (the site's
    language) when there is almost nothing to see.

    A text all in ASCII has no CJK to count (`str.isascii` answers in well under a µs
    for a whole post), so only a site language makes reading it worth the time."""
    if fallback is None and title.isascii() and body.isascii():
        return language_by_script(0.0)
    cjk, latin = visible_counts(title, body)
    if cjk + latin < 20 and fallback is not None:
        return fallback
    return language_by_script(cjk / (cjk + latin) if cjk + latin else 0.0)
