"""kramdown syntax that readers must never see, removed from the Markdown source.

Jekyll's default converter is kramdown, and Jekyll blogs use its extensions everywhere;
Herald showed them as text (every article of one real blog opened with `• content {:toc}`):

- block IALs, a line of their own after (or before) a block: `{: style="width: 60%;"
  class="center"}`, `{:.image-caption}`, `{: .lead #first}`;
- span IALs glued to an inline element: `**bold**{:.red}`, `[x](u){:target="_blank"}`;
- the table of contents: a one-item list followed by `{:toc}` (`* TOC`, `* content`),
  which kramdown *replaces* by the TOC, so the list goes with the marker;
- attribute list definitions (ALDs): `{:refdef: style="color: gray"}`;
- extensions: `{::comment}…{:/comment}` (gone with its content), `{::nomarkdown}…{:/}`
  (its content kept, as the raw HTML it is), `{::options … /}` (gone);
- header ids `## Install {#install}`, and goldmark's heading attributes
  `## Install {#install .wide}` (Hugo's analogue, on by default there);
- abbreviation definitions `*[HTML]: HyperText…`; the end-of-block marker `^` alone.

Why on the source, after Liquid (as Jekyll runs them) and before parsing: block IALs and
the TOC marker change block structure (kramdown ends a paragraph at a block IAL;
CommonMark would glue the IAL to the paragraph or make it a lazy list line), comments and
`nomarkdown` span blocks, and the same cleaned source is what the search index reads
(`herald.content.searchable`), so `{:toc}` is never a search term either.  Code and math
are protected exactly as Liquid protects them (`herald.content.protected`); the block
patterns need at most three spaces of indentation, so indented code keeps its lines.  The
IAL grammar is kramdown's (`.class`, `#id`, `key="v"`, `key='v'`, `key=v`, `refname`), so
Ruby's `{:a => 1}` in prose stays.  Run for every post, Jekyll site or not: the grammar is
specific, and no reader wants `{:toc}`.
"""

from __future__ import annotations

import re

from herald.content.protected import KEPT, PROTECTED_AFTER_NEWLINE, outside_protected

_ITEM = r"""(?:[.#][\w-]+|[\w-]+=(?:"[^"\n]*"|'[^'\n]*'|[^\s"'}]+)|[\w-]+)"""
"""One IAL item: `.class`, `#id`, `key="value"`, `key='value'`, `key=value`, `refname`."""
_IAL_AFTER_BRACE = rf":\s*(?:{_ITEM}\s*)*\}}"
_IAL = r"\{" + _IAL_AFTER_BRACE
_HEADING_ATTRIBUTES = rf"\{{\s*[#.][\w-]+\s*(?:{_ITEM}\s*)*\}}"
_SCAN = re.compile(
    PROTECTED_AFTER_NEWLINE
    + rf"""
    | \{{(?:
        (?P<comment>::comment\b[^}}]*?/\}}|::comment\b[^}}]*\}}.*?(?:\{{:/(?:comment)?\}}|\Z))
      | (?P<nomarkdown>::nomarkdown\b[^}}]*\}}(?P<raw>.*?)(?:\{{:/(?:nomarkdown)?\}}|\Z))
      | (?P<extension>::\w+\b[^}}\n]*?/\}})
      | (?P<ial>(?<=\S\{{){_IAL_AFTER_BRACE})
      )
    | \n(?:
        (?P<toc>[ \t]{{0,3}}(?:[*+-]|\d+[.)])[ \t]+[^\n]*
          \n[ \t]{{0,3}}\{{:\s*toc\s*\}}[ \t]*(?=\n|\Z))
      | (?P<block>(?P<prefix>(?:[ \t]{{0,3}}>)*[ \t]{{0,3}})
          (?:{_IAL}|\{{:[\w-]+:[^}}\n]*\}})[ \t]*(?=\n|\Z))
      | (?P<abbr>[ \t]{{0,3}}\*\[[^\]\n]+\]:[^\n]*(?=\n|\Z))
      | (?P<eob>\^[ \t]*(?=\n|\Z))
      )
    | [ \t](?P<header>(?<=[^\s{{][ \t])[ \t]*{_HEADING_ATTRIBUTES}[ \t]*(?=\n|\Z))
    """,
    re.S | re.X,
)
"""Scanned over the text with a newline in front, each alternative opening with a literal
(`herald.content.protected` says why): a line's own construct goes with the newline
before it, and gives that newline back."""
_ABBREVIATION = re.compile(r"\n[ \t]{0,3}\*\[[^\]\n]+\]:")
_END_OF_BLOCK = re.compile(r"\n\^[ \t]*(?=\n|\Z)")
"""Both looked for after a newline, in the text with one in front (`herald.content.protected`
says why: a pattern opening with `^` is tried at every character)."""
_ATX = re.compile(r"[ \t]{0,3}(?:>[ \t]?)*#{1,6}[ \t]")


def strip_kramdown(text: str) -> str:
    """Markdown with kramdown's reader-invisible syntax removed; code and math intact."""
    if not _has_kramdown(text):
        return text
    return outside_protected(_SCAN, _replace, text)


def _has_kramdown(text: str) -> bool:
    """Any kramdown construct at all: most posts have none and skip the scan.  Substring
    tests first, since a regex without a literal to look for reads slowly."""
    if "{:" in text or " {#" in text or " {." in text or "\t{" in text:
        return True
    if "*[" in text and _ABBREVIATION.search("\n" + text):
        return True
    return "\n^" in text and _END_OF_BLOCK.search("\n" + text) is not None


def _replace(match: re.Match[str]) -> str:
    kind = match.lastgroup
    if kind in KEPT:
        return match.group()
    if kind == "nomarkdown":
        return f"\n\n{match.group('raw').strip()}\n\n"
    if kind == "block":
        return "\n" + match.group("prefix").rstrip()  # an empty line (in a quote: `>` alone)
    if kind == "toc" or kind == "abbr" or kind == "eob":
        return "\n"  # the line, empty
    if kind == "header" and not _on_heading_line(match):
        return match.group()
    return ""  # comment, extension, header ids, span IAL


def _on_heading_line(match: re.Match[str]) -> bool:
    """`{#id}` is a header id only at the end of an ATX heading line."""
    text = match.string
    start = text.rfind("\n", 0, match.start()) + 1
    return _ATX.match(text, start, match.start() + 1) is not None
